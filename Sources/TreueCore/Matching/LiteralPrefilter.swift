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
struct LiteralPrefilter: Sendable {
    /// Per set, per string: the table slots the string needs.
    private let sets: [[[UInt16]]]

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
        sets = requirements
            .filter { $0.count <= Self.maxStringsPerSet }
            .prefix(Self.maxSets)
            .map { set in
                set.map { string in
                    let bytes = Array(string.utf8.filter { $0 != 1 })
                    if bytes.count == 1 { return [UInt16(bytes[0])] }
                    var slots = Set<UInt16>()
                    for index in bytes.indices.dropLast() { slots.insert(UInt16(Self.slot(bytes[index], bytes[index + 1]))) }
                    return Array(slots)
                }
            }
            .filter { !$0.contains(where: \.isEmpty) }
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

    /// False only when the message marked in `table` cannot match.
    func admits(_ table: [UInt8], generation: UInt8) -> Bool {
        for set in sets {
            var found = false
            for string in set where string.allSatisfy({ table[Int($0)] == generation }) {
                found = true
                break
            }
            if !found { return false }
        }
        return true
    }
}
