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
    }

    init(arrayLiteral words: String...) { self.init(words) }

    func contains(_ word: String) -> Bool {
        let turnedAway = word.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard let first = bytes.first, first < 0x80 else { return false }
            let row = first < 64 ? initials.0 : initials.1
            guard lengths & (1 << UInt64(Swift.min(bytes.count, 63))) == 0 || row & (1 << UInt64(first & 63)) == 0 else { return false }
            for byte in bytes where byte >= 0x80 { return false }
            return true
        }
        return turnedAway != true && members.contains(word)
    }

    func union<Words: Sequence>(_ other: Words) -> WordSet where Words.Element == String { WordSet(members.union(other)) }

    var count: Int { members.count }

    func makeIterator() -> Set<String>.Iterator { members.makeIterator() }
}
