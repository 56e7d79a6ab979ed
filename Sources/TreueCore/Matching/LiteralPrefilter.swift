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
    /// Long sets (`bucketedSetSize` strings or more) are not walked: their strings are
    /// gathered by the slot of their rarest pair (`bucketStarts` per slot, from
    /// `bucketBase[set]`, into `bucketMembers`, indices into `keys`), and only the buckets
    /// of the message's bytes and pairs are read. -1: the set is walked.
    private let bucketBase: [Int]
    private let bucketStarts: [Int32]
    private let bucketMembers: [Int32]
    /// Per long set, `maskWords` words from `maskBase[set]`: bit s set when the bucket of
    /// slot s has a member. ANDed with the message's marked slots (`mark`'s `bits`), only
    /// the buckets both have are read; walking the message byte by byte read every one of
    /// its buckets, most of them empty, and a message without any of the set's strings
    /// paid that in full. (The same test in front of the sets walked string by string cost
    /// more than it spared: 207,844 → 209,944 instructions a server round trip.)
    private let bucketMasks: [UInt64]
    private let maskBase: [Int]
    static let maskWords = tableSize / 64
    static let bucketedSetSize = 64

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
        let keys: [UInt32] = kept.flatMap { (set: [[UInt8]]) -> [UInt32] in
            set.map { (string: [UInt8]) -> UInt32 in Self.key(string.filter { $0 != 1 }) }
        }
        let setEnds = kept.reduce(into: [Int]()) { ends, set in ends.append((ends.last ?? 0) + set.count) }
        var bucketBase: [Int] = []
        var bucketStarts: [Int32] = []
        var bucketMembers: [Int32] = []
        var bucketMasks: [UInt64] = []
        var maskBase: [Int] = []
        for (number, end) in setEnds.enumerated() {
            let start = number == 0 ? 0 : setEnds[number - 1]
            guard end - start >= Self.bucketedSetSize else { bucketBase.append(-1); maskBase.append(-1); continue }
            bucketBase.append(bucketStarts.count)
            let firstSlot = { (index: Int) -> Int in Int(keys[index] & 0xFFFF) }
            maskBase.append(bucketMasks.count)
            var mask = [UInt64](repeating: 0, count: Self.maskWords)
            for index in start..<end { mask[firstSlot(index) / 64] |= 1 << UInt64(firstSlot(index) % 64) }
            bucketMasks += mask
            let members: [Int] = (start..<end).sorted { (firstSlot($0), $0) < (firstSlot($1), $1) }
            var next = 0
            for slot in 0...Self.tableSize {
                bucketStarts.append(Int32(bucketMembers.count + next))
                while next < members.count, firstSlot(members[next]) == slot { next += 1 }
            }
            bucketMembers += members.map(Int32.init)
        }
        self.keys = keys
        self.setEnds = setEnds
        self.bucketBase = bucketBase
        self.bucketStarts = bucketStarts
        self.bucketMembers = bucketMembers
        self.bucketMasks = bucketMasks
        self.maskBase = maskBase
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

    /// The same slots as bits (`maskWords` words, cleared here), for the long sets; made
    /// only for a message that meets a prefilter with one (`readsBits`).
    static func markBits(_ text: [UInt8], in bits: inout [UInt64]) {
        precondition(bits.count == maskWords)
        bits.withUnsafeMutableBufferPointer { bits in
            text.withUnsafeBufferPointer { text in
                bits.update(repeating: 0)
                var previous: UInt8 = 0
                for (position, byte) in text.enumerated() {
                    bits[Int(byte) >> 6] |= 1 << UInt64(byte & 63)
                    if position > 0 {
                        let pair = slot(previous, byte)
                        bits[pair >> 6] |= 1 << UInt64(pair & 63)
                    }
                    previous = byte
                }
            }
        }
    }

    /// Whether `admits` reads the message's `markBits`.
    var readsBits: Bool { !bucketMasks.isEmpty }

    /// False only when the message marked in `table` cannot match. A string whose pairs
    /// are all there is then looked for in `text` itself: in a long message most pairs
    /// are marked, and a pattern run costs a hundred times the search.
    func admits(_ table: [UInt8], bits: [UInt64], generation: UInt8, text: [UInt8]) -> Bool {
        // Unchecked reads: every slot is below `tableSize` by construction, and this loop
        // runs some forty times a message, where the bounds checks were a third of it.
        precondition(table.count == Self.tableSize)
        return table.withUnsafeBufferPointer { table in
            keys.withUnsafeBufferPointer { keys in
                var start = 0
                for number in setEnds.indices {
                    let end = setEnds[number]
                    var found = false
                    let base = bucketBase[number]
                    if base >= 0 {
                        // The buckets that have members and whose slot the message has.
                        let maskStart = maskBase[number]
                        scan: for word in 0..<Self.maskWords {
                            var common = bits[word] & bucketMasks[maskStart + word]
                            while common != 0 {
                                if bucket(base + word << 6 + common.trailingZeroBitCount, set: number, from: start, keys, table, generation, text) {
                                    found = true
                                    break scan
                                }
                                common &= common &- 1
                            }
                        }
                    } else {
                        var index = start
                        while index < end {
                            let key = keys[index]
                            if table[Int(key & 0xFFFF)] == generation, table[Int(key >> 16)] == generation,
                               holds(number, index - start, table, generation, text) {
                                found = true
                                break
                            }
                            index += 1
                        }
                    }
                    if !found { return false }
                    start = end
                }
                return true
            }
        }
    }

    /// Whether a string of the bucket at `slot` (offset by its set's base) holds.
    @inline(__always)
    private func bucket(_ slot: Int, set: Int, from start: Int, _ keys: UnsafeBufferPointer<UInt32>,
                        _ table: UnsafeBufferPointer<UInt8>, _ generation: UInt8, _ text: [UInt8]) -> Bool {
        var member = Int(bucketStarts[slot])
        let stop = Int(bucketStarts[slot + 1])
        while member < stop {
            let index = Int(bucketMembers[member])
            if table[Int(keys[index] >> 16)] == generation, holds(set, index - start, table, generation, text) { return true }
            member += 1
        }
        return false
    }

    /// Every pair of the string is marked, and its pieces are in the text.
    @inline(__always)
    private func holds(_ set: Int, _ string: Int, _ table: UnsafeBufferPointer<UInt8>, _ generation: UInt8, _ text: [UInt8]) -> Bool {
        sets[set][string].allSatisfy({ table[Int($0)] == generation }) && Self.contains(text, all: pieces[set][string])
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
