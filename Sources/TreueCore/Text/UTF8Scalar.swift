/// Decodes one character of UTF-8 in place, for the loops that walk a message's bytes
/// (folding, the word scan of the candidate index) without building Unicode scalars.
enum UTF8Scalar {
    /// The scalar value and byte width of the character whose first byte is at `index`;
    /// nil when no character starts there (a continuation byte, a sequence cut short).
    @inline(__always)
    static func decode<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at index: Int) -> (value: UInt32, width: Int)?
    where Bytes.Index == Int {
        let lead = bytes[index]
        if lead < 0x80 { return (UInt32(lead), 1) }
        guard lead >= 0xC0 else { return nil }
        let width = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        guard index + width <= bytes.endIndex else { return nil }
        var value = UInt32(lead) & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
        for offset in 1..<width { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
        return (value, width)
    }
}

extension Unicode.Scalar {
    /// The Alphabetic property, answered for ASCII without the property table: loading a
    /// knowledge base asks it for every letter of every pattern and phrasing.
    @inline(__always)
    var isAlphabetic: Bool { isASCII ? (value | 0x20) &- 0x61 < 26 : properties.isAlphabetic }
}
