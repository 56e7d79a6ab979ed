/// A cheap test that rules a message out for one pattern before PCRE2 runs it: every
/// match contains one string of each set (see `RequiredLiterals`), so a message that
/// lacks all strings of some set cannot match.
///
/// The index already picked the pattern by one literal; common words (`wo`, `mein`,
/// `how`) make many patterns candidates, and most of them need a second word the
/// message does not have. The test looks up each string's byte pairs in a table of the
/// pairs the message has (its single byte, for a one-byte string): a string whose pairs
/// are all there may occur, one with a missing pair cannot. Strings are lower-cased
/// bytes of folded text, as the index sees them; word boundaries are left out. Both only
/// ever let more through, never less.
final class LiteralPrefilter: Sendable {
    /// Per set, per string: the table slots the string needs.
    private let sets: [[[UInt16]]]
    /// Per set, per string: its pieces between word boundaries, each of which the
    /// message must contain as it is.
    private let pieces: [[[[UInt8]]]]
    /// Every set's strings in a row: each string's two rarest slots in one word (low and
    /// high half), and where each set ends. Most strings of a long set fail on these, read
    /// from one contiguous buffer, before their own slot arrays are touched: walking a few
    /// hundred separately allocated arrays was bound by loading their headers.
    private let keys: [UInt32]
    private let setEnds: [Int]

    /// Sets with more strings than this cost more to test than they save. A list of a few
    /// hundred names still pays: a name fails at its first missing pair, and the pattern
    /// it spares tries every name at every position of the message.
    static let maxStringsPerSet = 512
    static let maxSets = 4
    /// 256 slots for single bytes, then hashed byte pairs: small enough to stay in the
    /// first-level cache beside a large knowledge base's index.
    static let tableSize = 256 + 1024

    @inline(__always)
    static func slot(_ first: UInt8, _ second: UInt8) -> Int { 256 + ((Int(first) &* 31 &+ Int(second)) & 1023) }

    init(requirements: [Set<String>]) {
        let kept = requirements
            .filter { $0.count <= Self.maxStringsPerSet }
            .prefix(Self.maxSets)
            .map { set in set.map { Array($0.utf8) } }
            .filter { !$0.contains(where: { $0.allSatisfy { $0 == 1 } }) }
        sets = kept.map { set in
            set.map { string in
                let bytes = string.filter { $0 != 1 }
                if bytes.count == 1 { return [UInt16(bytes[0])] }
                var slots = Set<UInt16>()
                for index in bytes.indices.dropLast() { slots.insert(UInt16(Self.slot(bytes[index], bytes[index + 1]))) }
                return Array(slots)
            }
        }
        pieces = kept.map { set in
            set.map { string in string.split(separator: 1).map(Array.init) }
        }
        keys = kept.flatMap { set in set.map { Self.key($0.filter { $0 != 1 }) } }
        setEnds = kept.reduce(into: []) { ends, set in ends.append((ends.last ?? 0) + set.count) }
    }

    /// The slots of the string's two pairs least likely to be in a message: letters ranked
    /// by how often they occur in German and English text, anything else (digits, umlaut
    /// bytes, punctuation) as rare. A one-byte string is its own slot, twice.
    private static func key(_ bytes: [UInt8]) -> UInt32 {
        guard bytes.count > 1 else { return UInt32(bytes[0]) | UInt32(bytes[0]) << 16 }
        let common = Array("enisratdhulcgmobwfkzpvyjxq".utf8)
        func rank(_ byte: UInt8) -> Int {
            if byte == 0x20 { return 0 }
            return common.firstIndex(of: byte).map { $0 + 1 } ?? common.count + 1
        }
        let pairs = bytes.indices.dropLast()
            .map { (rarity: rank(bytes[$0]) + rank(bytes[$0 + 1]), slot: UInt32(slot(bytes[$0], bytes[$0 + 1]))) }
            .sorted { ($0.rarity, $0.slot) > ($1.rarity, $1.slot) }
        let second = pairs.dropFirst().first { $0.slot != pairs[0].slot } ?? pairs[0]
        return pairs[0].slot | second.slot << 16
    }

    var isEmpty: Bool { sets.isEmpty }

    /// Marks the bytes and byte pairs of `text` (lower-cased, folded) in `table`.
    static func mark(_ text: [UInt8], in table: inout [UInt8], generation: UInt8) {
        guard !text.isEmpty else { return }
        var previous = text[0]
        table[Int(previous)] = generation
        for byte in text.dropFirst() {
            table[Int(byte)] = generation
            table[slot(previous, byte)] = generation
            previous = byte
        }
    }

    /// False only when the message marked in `table` cannot match. A string whose pairs
    /// are all there is then looked for in `text` itself: in a long message most pairs
    /// are marked, and a pattern run costs a hundred times the search.
    func admits(_ table: [UInt8], generation: UInt8, text: [UInt8]) -> Bool {
        var start = 0
        for number in setEnds.indices {
            let end = setEnds[number]
            var index = start
            var found = false
            while index < end {
                let key = keys[index]
                if table[Int(key & 0xFFFF)] == generation, table[Int(key >> 16)] == generation,
                   sets[number][index - start].allSatisfy({ table[Int($0)] == generation }),
                   Self.contains(text, all: pieces[number][index - start]) {
                    found = true
                    break
                }
                index += 1
            }
            if !found { return false }
            start = end
        }
        return true
    }

    private static func contains(_ text: [UInt8], all pieces: [[UInt8]]) -> Bool {
        pieces.allSatisfy { piece in contains(text, piece) }
    }

    private static func contains(_ text: [UInt8], _ piece: [UInt8]) -> Bool {
        guard let first = piece.first, piece.count <= text.count else { return piece.isEmpty }
        return text.withUnsafeBufferPointer { haystack in
            piece.withUnsafeBufferPointer { needle in
                var start = 0
                let last = haystack.count - needle.count
                while start <= last {
                    if haystack[start] == first {
                        var offset = 1
                        while offset < needle.count && haystack[start + offset] == needle[offset] { offset += 1 }
                        if offset == needle.count { return true }
                    }
                    start += 1
                }
                return false
            }
        }
    }
}
