/// Writes the project's fixed JSON shapes (transcript records, JSON-mode wire objects)
/// into a byte array, one object per line. It exists because Foundation's `JSONEncoder`
/// was a third of the server's CPU; it is the only hand-written JSON in the project, and
/// the tests and the fuzzer prove that what it writes decodes, with `JSONDecoder`, to
/// exactly what `JSONEncoder` writes for the same value. Readers keep Foundation's decoder.
///
/// What it writes: strings escaped per RFC 8259 (quote, backslash and every control
/// character, plus U+2028 and U+2029 as `\u` escapes so a line can be embedded in
/// JavaScript), integers, booleans, `null`, arrays of strings and string maps. Keys are
/// written in the order the caller gives them; callers give them sorted, as
/// `JSONEncoder`'s `.sortedKeys` does (the tests compare the bytes).
///
/// Commas are placed by one flag: a value or key that follows another gets one.
public struct JSONLineWriter: Sendable {
    /// Everything written so far.
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// Forgets what was written and keeps the capacity, for reuse.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        needsComma = false
    }

    /// Hands out what was written and starts empty.
    public mutating func take() -> [UInt8] {
        defer { needsComma = false }
        let taken = bytes
        bytes = []
        return taken
    }

    // MARK: - Structure

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Ends a JSON Lines record: the next value starts a new line.
    public mutating func endLine() {
        bytes.append(10)
        needsComma = false
    }

    /// A key known when the program is written: a plain ASCII name that needs no escape.
    public mutating func key(_ key: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { name in
            assert(name.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") },
                   "a static key must need no escape")
            bytes.append(contentsOf: name)
        }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// A key that comes from data (a capture name, a template field): escaped like a value.
    public mutating func key(_ key: String) {
        separate()
        appendQuoted(key)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    // MARK: - Values

    public mutating func string(_ value: String) {
        separate()
        appendQuoted(value)
        needsComma = true
    }

    public mutating func int(_ value: Int) {
        separate()
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        // Int.max has 19 digits: fill from the back of a fixed buffer, then copy once.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
        needsComma = true
    }

    public mutating func bool(_ value: Bool) {
        separate()
        appendLiteral(value ? "true" : "false")
        needsComma = true
    }

    public mutating func null() {
        separate()
        appendLiteral("null")
        needsComma = true
    }

    public mutating func stringArray(_ values: [String]) {
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    /// An object of strings, keys sorted as `JSONEncoder`'s `.sortedKeys` sorts them
    /// (Swift's `String` order).
    public mutating func stringMap(_ map: [String: String]) {
        beginObject()
        if map.count == 1, let (name, value) = map.first {
            key(name)
            string(value)
        } else {
            for (name, value) in map.sorted(by: { $0.key < $1.key }) {
                key(name)
                string(value)
            }
        }
        endObject()
    }

    // MARK: - Fields (a key and its value)

    public mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    public mutating func field(_ name: StaticString, _ value: Int) {
        key(name)
        int(value)
    }

    public mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    /// Leaves the field out when the value is absent, as `encodeIfPresent` does.
    public mutating func fieldIfPresent(_ name: StaticString, _ value: String?) {
        if let value { field(name, value) }
    }

    public mutating func fieldIfPresent(_ name: StaticString, _ value: Int?) {
        if let value { field(name, value) }
    }

    public mutating func fieldIfPresent(_ name: StaticString, _ value: Bool?) {
        if let value { field(name, value) }
    }

    // MARK: - Strings

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func appendLiteral(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func appendQuoted(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        // Native strings are contiguous UTF-8 already; this makes a bridged one so once.
        value.withUTF8 { appendEscaped($0) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Copies runs of bytes that need no escape in one call each; a Swift string is valid
    /// UTF-8, so only ASCII escapes and the three-byte U+2028/U+2029 need a look. Sixteen,
    /// then eight bytes at a time are tested at once (most text has nothing to escape: this was 7 %
    /// of the server's instructions byte by byte).
    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        let count = utf8.count
        var runStart = 0
        var index = 0
        while index < count {
            if index + 16 <= count, let base = utf8.baseAddress,
               !Self.mayNeedEscape(UnsafeRawPointer(base + index).loadUnaligned(as: SIMD2<UInt64>.self)) {
                index += 16
                continue
            }
            if index + 8 <= count, let base = utf8.baseAddress,
               !Self.mayNeedEscape(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) {
                index += 8
                continue
            }
            // Eight bytes of which one may need a look go byte by byte, all of them: testing
            // the overlapping eight again after each byte cost eight tests per dash or
            // typographic quote (E2 …), which German answers are full of.
            let windowEnd = min(index + 8, count)
            while index < windowEnd {
                let byte = utf8[index]
                if byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte != 0xE2 {
                    index += 1
                    continue
                }
                if byte == 0xE2 {
                    // U+2028 is E2 80 A8, U+2029 is E2 80 A9; any other E2 sequence is plain.
                    guard index + 2 < count, utf8[index + 1] == 0x80, utf8[index + 2] & 0xFE == 0xA8 else {
                        index += 1
                        continue
                    }
                    appendRun(utf8, from: runStart, to: index)
                    appendUnicodeEscape(utf8[index + 2] == 0xA8 ? 0x2028 : 0x2029)
                    index += 3
                    runStart = index
                    continue
                }
                appendRun(utf8, from: runStart, to: index)
                switch byte {
                case UInt8(ascii: "\""): appendTwo(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): appendTwo(UInt8(ascii: "\\"))
                case 0x08: appendTwo(UInt8(ascii: "b"))
                case 0x09: appendTwo(UInt8(ascii: "t"))
                case 0x0A: appendTwo(UInt8(ascii: "n"))
                case 0x0C: appendTwo(UInt8(ascii: "f"))
                case 0x0D: appendTwo(UInt8(ascii: "r"))
                default: appendUnicodeEscape(UInt16(byte))
                }
                index += 1
                runStart = index
            }
        }
        appendRun(utf8, from: runStart, to: count)
    }

    /// The same test on sixteen bytes, two words side by side in one vector register: the
    /// eight-byte test cost six instructions a byte of answer text.
    @inline(__always)
    private static func mayNeedEscape(_ words: SIMD2<UInt64>) -> Bool {
        let ones = SIMD2<UInt64>(repeating: 0x0101_0101_0101_0101)
        let highs = SIMD2<UInt64>(repeating: 0x8080_8080_8080_8080)
        let spaces = SIMD2<UInt64>(repeating: 0x2020_2020_2020_2020)
        let quotes = SIMD2<UInt64>(repeating: 0x2222_2222_2222_2222)
        let backslashes = SIMD2<UInt64>(repeating: 0x5C5C_5C5C_5C5C_5C5C)
        let leads = SIMD2<UInt64>(repeating: 0xE2E2_E2E2_E2E2_E2E2)
        func zeroBytes(_ value: SIMD2<UInt64>) -> SIMD2<UInt64> { (value &- ones) & ~value & highs }
        let flagged = ((words &- spaces) & ~words & highs) | zeroBytes(words ^ quotes) | zeroBytes(words ^ backslashes) | zeroBytes(words ^ leads)
        return flagged[0] | flagged[1] != 0
    }

    /// Whether any of eight bytes is a control character, a quote, a backslash or 0xE2 (the lead
    /// byte of U+2028/U+2029). Exact for "none": a false "maybe" only costs the byte loop.
    @inline(__always)
    private static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
        // A byte below 0x20: subtracting 0x20 borrows into its high bit while the byte's own high bit is clear.
        let control = (word &- ones &* 0x20) & ~word & highs != 0
        return control || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C)) || hasZeroByte(word ^ (ones &* 0xE2))
    }

    private mutating func appendRun(_ utf8: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
        if start < end { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<end])) }
    }

    private mutating func appendTwo(_ escaped: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(escaped)
    }

    /// `\uXXXX` in lower-case hex, as `JSONEncoder` writes control characters.
    private mutating func appendUnicodeEscape(_ unit: UInt16) {
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "u"))
        for shift in stride(from: 12, through: 0, by: -4) {
            let nibble = UInt8((unit >> UInt16(shift)) & 0xF)
            bytes.append(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10)
        }
    }
}
