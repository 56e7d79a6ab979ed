/// A word of a folded message: lower-cased text and where it stands in the folded text.
public struct MessageWord: Sendable, Equatable {
    public let text: String
    /// UTF-8 byte range in the folded text.
    public let range: Range<Int>

    /// Letters only: numbers, codes and mixed tokens are never corrected or stemmed.
    public var isAlphabetic: Bool { text.unicodeScalars.allSatisfy { $0.properties.isAlphabetic } }
}

/// Splits folded text into words. Apostrophes split too (`don't` → `don`, `t`), the same
/// way for messages and examples, so both sides agree.
public enum MessageWords {
    public static func scan(_ folded: String) -> [MessageWord] {
        var folded = folded
        return folded.withUTF8 { bytes in
            var words: [MessageWord] = []
            var current: [UInt8] = []
            var ascii = true
            var start = 0
            var offset = 0
            while offset <= bytes.count {
                var isWord = false
                var width = 1
                if offset < bytes.count {
                    let byte = bytes[offset]
                    if byte < 0x80 {
                        let lower = byte | 0x20
                        if lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z") {
                            isWord = true
                            if current.isEmpty { start = offset }
                            current.append(lower)
                        } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                            isWord = true
                            if current.isEmpty { start = offset }
                            current.append(byte)
                        }
                    } else {
                        width = min(byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2, bytes.count - offset)
                        let piece = UnsafeBufferPointer(rebasing: bytes[offset..<(offset + width)])
                        if let scalar = String(decoding: piece, as: UTF8.self).unicodeScalars.first,
                           scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                            isWord = true
                            if current.isEmpty { start = offset }
                            current.append(contentsOf: piece)
                            ascii = false
                        }
                    }
                }
                if !isWord, !current.isEmpty {
                    // ASCII, most of every word, is lower-cased byte by byte; the rest by Unicode.
                    let text = String(decoding: current, as: UTF8.self)
                    words.append(MessageWord(text: ascii ? text : text.lowercased(), range: start..<offset))
                    current.removeAll(keepingCapacity: true)
                    ascii = true
                }
                offset += width
            }
            return words
        }
    }

    /// Every word of an example or a text written by an author, folded first.
    public static func words(of text: String) -> [String] {
        scan(TextFolder.foldLiteral(text)).map(\.text)
    }
}
