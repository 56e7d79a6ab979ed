/// A fixed set of words that turns most words away without hashing them.
///
/// The understanding stages ask of every word of every message whether it is a negator,
/// an article or some kind of verb, and nearly always it is not; hashing the word for each
/// question cost more than the rest of the question. A word's byte length and first byte
/// are tested against those of the members first; only a word that passes both is looked up.
///
/// The bit tests decide only for ASCII words. Members are written in NFC, and an ASCII
/// string is canonically equivalent to no other NFC string, so for ASCII the bytes decide
/// exactly what `Set<String>` decides; any other word is looked up.
struct WordSet: Sendable, Sequence, ExpressibleByArrayLiteral {
    private let members: Set<String>
    /// Bit n: a member of n bytes; bit 63: one of 63 bytes or more.
    private let lengths: UInt64
    /// Bit b of the two words: a member that starts with the ASCII byte b.
    private let initials: (UInt64, UInt64)
    /// The ASCII members by their bytes: a word that passes the bit tests is looked up
    /// without `Hasher` (seeding and finalizing it cost more than the word's bytes).
    private let ascii: ASCIIWords

    init<Words: Sequence>(_ words: Words) where Words.Element == String {
        members = Set(words)
        var lengths: UInt64 = 0
        var initials: [UInt64] = [0, 0]
        for member in members {
            lengths |= 1 << UInt64(Swift.min(member.utf8.count, 63))
            if let first = member.utf8.first, first < 0x80 { initials[Int(first >> 6)] |= 1 << UInt64(first & 63) }
        }
        self.lengths = lengths
        self.initials = (initials[0], initials[1])
        ascii = ASCIIWords(members.filter { $0.utf8.allSatisfy { $0 < 0x80 } })
    }

    init(arrayLiteral words: String...) { self.init(words) }

    func contains(_ word: String) -> Bool {
        let decided = word.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            guard let first = bytes.first, first < 0x80 else { return nil }
            for byte in bytes where byte >= 0x80 { return nil }
            if !passes(first: first, count: bytes.count) { return false }
            return ascii.contains(bytes, key: Self.key(of: bytes))
        }
        if let decided, let answer = decided { return answer }
        return members.contains(word)
    }

    /// The same answer as `contains(word.text)`, from the key the scan already made.
    func contains(_ word: MessageWord) -> Bool {
        let key = word.asciiKey
        guard key != 0 else { return members.contains(word.text) }
        guard passes(first: UInt8(truncatingIfNeeded: key), count: Int((key >> 8) & 0xFF)) else { return false }
        return word.text.utf8.withContiguousStorageIfAvailable { ascii.contains($0, key: key) }
            ?? members.contains(word.text)
    }

    @inline(__always)
    private func passes(first: UInt8, count: Int) -> Bool {
        let row = first < 64 ? initials.0 : initials.1
        return lengths & (1 << UInt64(Swift.min(count, 63))) != 0 && row & (1 << UInt64(first & 63)) != 0
    }

    /// An ASCII word in one integer, never 0: its first byte, its length (255 for longer
    /// words) and 48 bits of its FNV-1a hash, from which the table's slot is taken.
    static let hashBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    @inline(__always) static func hashStep(_ hash: UInt64, _ byte: UInt8) -> UInt64 { (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    @inline(__always) static func key(hash: UInt64, first: UInt8, count: Int) -> UInt64 {
        ((hash ^ (hash >> 29)) & ~0xFFFF) | UInt64(Swift.min(count, 255)) << 8 | UInt64(first)
    }
    static func key<Bytes: Collection>(of word: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        key(hash: word.reduce(hashBasis, hashStep), first: word.first ?? 0, count: word.count)
    }

    func union<Words: Sequence>(_ other: Words) -> WordSet where Words.Element == String { WordSet(members.union(other)) }

    var count: Int { members.count }

    func makeIterator() -> Set<String>.Iterator { members.makeIterator() }
}

/// ASCII words in one open-addressed table, hashed with FNV-1a over their bytes.
private struct ASCIIWords: Sendable {
    /// Index into `starts` per slot, -1 when empty; a power of two, at most half full.
    private let slots: [Int32]
    /// Each word's key, compared before its bytes: a probe that meets another word ends there.
    private let keys: [UInt64]
    private let starts: [Int32]
    private let bytes: [UInt8]

    init<Words: Collection>(_ words: Words) where Words.Element == String {
        var capacity = 8
        while capacity < 2 * words.count { capacity *= 2 }
        var slots = [Int32](repeating: -1, count: capacity)
        var keys: [UInt64] = []
        var starts: [Int32] = [0]
        var bytes: [UInt8] = []
        for word in words {
            let number = Int32(starts.count - 1)
            let key = WordSet.key(of: Array(word.utf8))
            keys.append(key)
            bytes.append(contentsOf: word.utf8)
            starts.append(Int32(bytes.count))
            var slot = Int(truncatingIfNeeded: key >> 16) & (capacity - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = number
        }
        self.slots = slots
        self.keys = keys
        self.starts = starts
        self.bytes = bytes
    }

    func contains(_ word: UnsafeBufferPointer<UInt8>, key: UInt64) -> Bool {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: key >> 16) & mask
        while true {
            let number = Int(slots[slot])
            if number < 0 { return false }
            let start = Int(starts[number]), end = Int(starts[number + 1])
            if keys[number] == key, end - start == word.count {
                var same = true
                for index in 0..<word.count where bytes[start + index] != word[index] {
                    same = false
                    break
                }
                if same { return true }
            }
            slot = (slot + 1) & mask
        }
    }
}
