/// A message prepared for matching: the folded text patterns run against, and the map back
/// to the original so captures keep the customer's spelling.
public struct FoldedText: Sendable {
    /// The message after NFC normalization: what captures are cut from.
    public let original: String
    /// The message with umlauts and ß spelled out and typographic quotes made plain.
    public let folded: String
    /// For every UTF-8 offset in `folded` (and its end), the UTF-8 offset in `original`
    /// of the character it came from; nil when both are identical.
    let originalOffsets: [Int]?

    /// The original text behind a byte range of the folded text.
    public func originalText(for foldedRange: Range<Int>) -> String {
        let utf8 = Array(original.utf8)
        guard let map = originalOffsets else {
            return String(decoding: utf8[foldedRange], as: UTF8.self)
        }
        let start = map[foldedRange.lowerBound]
        var end = map[foldedRange.upperBound]
        // A range ending inside an expansion (`ue` of `ü`) still takes the whole character.
        if foldedRange.upperBound > foldedRange.lowerBound,
           map[foldedRange.upperBound - 1] == end {
            end = nextBoundary(after: end, in: utf8)
        }
        return String(decoding: utf8[start..<max(start, end)], as: UTF8.self)
    }

    private func nextBoundary(after offset: Int, in utf8: [UInt8]) -> Int {
        var next = offset + 1
        while next < utf8.count, utf8[next] & 0xC0 == 0x80 { next += 1 }
        return min(next, utf8.count)
    }
}
