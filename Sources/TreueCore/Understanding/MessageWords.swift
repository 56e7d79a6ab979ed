/// A word of a folded message: lower-cased text and where it stands in the folded text.
public struct MessageWord: Sendable, Equatable {
    public let text: String
    /// UTF-8 byte range in the folded text.
    public let range: Range<Int>

    /// Letters only: numbers, codes and mixed tokens are never corrected or stemmed.
    public let isAlphabetic: Bool

    /// An ASCII word's `WordSet.key`, made while the scan lower-cases it: the stages ask
    /// dozens of `WordSet`s about each word, and hashing it anew for each question cost
    /// more than the question. 0 for any other word. One integer, not an optional struct:
    /// that made each copy of a word a call.
    let asciiKey: UInt64

    /// `isAlphabetic` known from the scan (an ASCII word without a digit), or looked up
    /// scalar by scalar: the stages ask it of every word, and a property lookup per letter
    /// cost more than the question was worth.
    init(text: String, range: Range<Int>, isAlphabetic: Bool? = nil, asciiKey: UInt64 = 0) {
        self.text = text
        self.range = range
        self.isAlphabetic = isAlphabetic ?? text.unicodeScalars.allSatisfy(\.isAlphabetic)
        self.asciiKey = asciiKey
    }
}

/// Splits folded text into words. Apostrophes split too (`don't` → `don`, `t`), the same
/// way for messages and examples, so both sides agree.
public enum MessageWords {
    public static func scan(_ folded: String) -> [MessageWord] {
        var folded = folded
        return folded.withUTF8 { bytes in
            var words: [MessageWord] = []
            // Room for a word every five bytes and a long word: growing them cost as much as the scan.
            words.reserveCapacity(bytes.count / 5 + 1)
            var inWord = false
            var ascii = true
            var digits = false
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
                        } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                            isWord = true
                            digits = true
                        }
                    } else {
                        width = min(byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2, bytes.count - offset)
                        if let decoded = UTF8Scalar.decode(bytes, at: offset), let scalar = Unicode.Scalar(decoded.value),
                           scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                            isWord = true
                            ascii = false
                        }
                    }
                    if isWord, !inWord {
                        inWord = true
                        start = offset
                    }
                }
                if !isWord, inWord {
                    // The word's bytes are read in place: ASCII, most of every word, is
                    // lower-cased straight into the new string; the rest by Unicode.
                    let piece = UnsafeBufferPointer(rebasing: bytes[start..<offset])
                    if ascii {
                        var hash = WordSet.hashBasis
                        let text = String(unsafeUninitializedCapacity: piece.count) { target in
                            for index in piece.indices {
                                let byte = piece[index]
                                let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                                target[index] = lower
                                hash = WordSet.hashStep(hash, lower)
                            }
                            return piece.count
                        }
                        let key = WordSet.key(hash: hash, first: piece[0] | (piece[0] >= 0x41 && piece[0] <= 0x5A ? 0x20 : 0), count: piece.count)
                        words.append(MessageWord(text: text, range: start..<offset, isAlphabetic: !digits, asciiKey: key))
                    } else {
                        words.append(MessageWord(text: String(decoding: piece, as: UTF8.self).lowercased(), range: start..<offset))
                    }
                    inWord = false
                    ascii = true
                    digits = false
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
