/// An order number as customers type it: 6 to 10 digits, sometimes after a `#`. Only the
/// digits go further (into lookups, URLs and records).
public enum OrderNumber {
    public static let digitRange = 6...10

    /// The digits of a typed number, or nil when it is not one (too short, too long,
    /// anything but digits after an optional `#`).
    public static func normalize(_ typed: String) -> String? {
        var text = Substring(typed)
        while let first = text.first, first == " " { text = text.dropFirst() }
        while let last = text.last, last == " " { text = text.dropLast() }
        if text.first == "#" { text = text.dropFirst() }
        guard digitRange.contains(text.utf8.count), text.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return String(text)
    }

    /// The distinct order numbers in a message, in order: runs of 6 to 10 digits (a `#`
    /// before one is allowed), not part of a longer run, a word or a decimal number.
    public static func all(in text: String) -> [String] {
        var found: [String] = []
        var run: [UInt8] = []
        var previous: UInt8 = 0
        var beforePrevious: UInt8 = 0
        var runStartsClean = true
        func finish(next: UInt8) {
            defer { run.removeAll(keepingCapacity: true) }
            guard digitRange.contains(run.count), runStartsClean, !isWordByte(next) else { return }
            let number = String(decoding: run, as: UTF8.self)
            if !found.contains(number) { found.append(number) }
        }
        for byte in text.utf8 {
            if (48...57).contains(byte) {
                // `12,345678` is a decimal number; `Bestellnr.44812345` is not.
                let decimal = (previous == 44 || previous == 46) && (48...57).contains(beforePrevious)
                if run.isEmpty { runStartsClean = !isWordByte(previous) && !decimal }
                run.append(byte)
            } else if !run.isEmpty {
                finish(next: byte)
            }
            beforePrevious = previous
            previous = byte
        }
        if !run.isEmpty { finish(next: 32) }
        return found
    }

    /// Letters and `_` glue digits into a word (`ABC123456`); bytes of other scripts do too.
    private static func isWordByte(_ byte: UInt8) -> Bool {
        (65...90).contains(byte) || (97...122).contains(byte) || byte == 95 || byte >= 128
    }
}
