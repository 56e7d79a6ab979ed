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

    /// The folded text lower-cased, as bytes: what the candidate index looks up.
    func lowercasedBytes(into bytes: inout [UInt8]) {
        bytes.removeAll(keepingCapacity: true)
        var text = folded
        let ascii = text.withUTF8 { utf8 in
            // Whole buffer at once: iterating a String's UTF-8 view costs an index step per byte.
            guard !utf8.contains(where: { $0 >= 0x80 }) else { return false }
            bytes.append(contentsOf: utf8)
            bytes.withUnsafeMutableBufferPointer { lowered in
                for index in lowered.indices where lowered[index] >= 65 && lowered[index] <= 90 { lowered[index] |= 0x20 }
            }
            return true
        }
        if !ascii {
            bytes.removeAll(keepingCapacity: true)
            CaselessText.appendLowercased(folded, to: &bytes)
        }
    }

    /// The original text behind a byte range of the folded text.
    public func originalText(for foldedRange: Range<Int>) -> String {
        var original = original
        return original.withUTF8 { utf8 in
            guard let map = originalOffsets else {
                return String(decoding: UnsafeBufferPointer(rebasing: utf8[foldedRange]), as: UTF8.self)
            }
            let start = map[foldedRange.lowerBound]
            var end = map[foldedRange.upperBound]
            // A range ending inside an expansion (`ue` of `ü`) still takes the whole character.
            if foldedRange.upperBound > foldedRange.lowerBound, map[foldedRange.upperBound - 1] == end {
                end += 1
                while end < utf8.count, utf8[end] & 0xC0 == 0x80 { end += 1 }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: utf8[start..<max(start, min(end, utf8.count))]), as: UTF8.self)
        }
    }

    /// The text with byte ranges of `folded` replaced (ranges in ascending order, not
    /// overlapping); the replacing bytes lead back to where the replaced ones began, so
    /// captures still come from the customer's own spelling.
    func replacing(_ replacements: [(range: Range<Int>, with: String)]) -> FoldedText {
        let bytes = Array(folded.utf8)
        var text: [UInt8] = []
        var offsets: [Int] = []
        text.reserveCapacity(bytes.count + 8)
        offsets.reserveCapacity(bytes.count + 9)
        func origin(_ offset: Int) -> Int { originalOffsets?[offset] ?? offset }
        var position = 0
        for replacement in replacements {
            for offset in position..<replacement.range.lowerBound { text.append(bytes[offset]); offsets.append(origin(offset)) }
            for byte in replacement.with.utf8 { text.append(byte); offsets.append(origin(replacement.range.lowerBound)) }
            position = replacement.range.upperBound
        }
        for offset in position..<bytes.count { text.append(bytes[offset]); offsets.append(origin(offset)) }
        offsets.append(origin(bytes.count))
        return FoldedText(original: original, folded: String(decoding: text, as: UTF8.self), originalOffsets: offsets)
    }
}
