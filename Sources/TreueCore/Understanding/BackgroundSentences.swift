/// Where the sentences of a message start, so that a story told before the question can be
/// set aside: "Our football team finally won a match. Separate thing: please take me off
/// your mailing list." The out-of-scope layer rightly knows football as other business, but
/// here it is background; the question stands on its own after it.
///
/// A sentence ends at `.`, `!`, `?`, `;` or `:` followed by a space, or at a line break. A
/// full stop after a common abbreviation ("z. B.", "Nr.", "e.g.") or a single letter or
/// digit ends nothing.
public enum BackgroundSentences {
    /// UTF-8 offsets into `text` where the second, third, … sentence starts.
    public static func starts(in text: String) -> [Int] {
        let bytes = Array(text.utf8)
        var starts: [Int] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            var ends = false
            if byte == 0x0A || byte == 0x0D {
                ends = true
            } else if Self.closing.contains(byte), index + 1 < bytes.count, bytes[index + 1] == 0x20 || bytes[index + 1] == 0x0A {
                ends = byte != UInt8(ascii: ".") || !Self.abbreviationEnds(bytes, at: index)
            }
            index += 1
            guard ends else { continue }
            while index < bytes.count, Self.closing.contains(bytes[index]) || bytes[index] == 0x20 || bytes[index] == 0x0A
                || bytes[index] == 0x0D || bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: ")") {
                index += 1
            }
            if index < bytes.count, starts.last != index { starts.append(index) }
        }
        return starts
    }

    private static let closing: Set<UInt8> = [UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: ";"), UInt8(ascii: ":")]

    private static let abbreviations: Set<String> = [
        "z", "b", "bzw", "ca", "nr", "usw", "etc", "inkl", "evtl", "ggf", "st", "dr", "mr", "mrs", "ms", "no",
        "u", "a", "e", "g", "i", "d", "h", "vs", "str", "tel", "bspw", "zb", "eg", "ie", "approx",
    ]

    /// Whether the full stop at `index` closes an abbreviation or a lone letter or number.
    private static func abbreviationEnds(_ bytes: [UInt8], at index: Int) -> Bool {
        var start = index
        while start > 0, bytes[start - 1] != 0x20, bytes[start - 1] != 0x0A, bytes[start - 1] != UInt8(ascii: ".") { start -= 1 }
        let word = String(decoding: bytes[start..<index], as: UTF8.self).lowercased()
        if word.isEmpty { return true }
        if word.count == 1 { return true }
        if word.allSatisfy(\.isNumber) { return word.count <= 2 }
        return abbreviations.contains(word)
    }
}
