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
        var words: [MessageWord] = []
        var current = String.UnicodeScalarView()
        var start = 0
        var offset = 0
        for scalar in folded.unicodeScalars {
            let width = UTF8.width(scalar)
            // ASCII, most of every message, without a Unicode property lookup.
            let isWordScalar = scalar.isASCII
                ? (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
                : scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            if isWordScalar {
                if current.isEmpty { start = offset }
                current.append(scalar)
            } else if !current.isEmpty {
                words.append(MessageWord(text: String(current).lowercased(), range: start..<offset))
                current = String.UnicodeScalarView()
            }
            offset += width
        }
        if !current.isEmpty { words.append(MessageWord(text: String(current).lowercased(), range: start..<offset)) }
        return words
    }

    /// Every word of an example or a text written by an author, folded first.
    public static func words(of text: String) -> [String] {
        scan(TextFolder.foldLiteral(text)).map(\.text)
    }
}
