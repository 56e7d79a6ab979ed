/// An open-addressing hash table from 64-bit keys to lists of pattern numbers, stored
/// flat: no hashing of its own beyond one multiply, no reference counting, one or two
/// cache lines per lookup.
struct PostingTable: Sendable {
    private let keys: [UInt64]
    private let starts: [Int32]
    private let counts: [Int32]
    private let postings: [Int32]
    private let shift: UInt64

    init(_ lists: [UInt64: [Int32]]) {
        // Zero marks an empty slot, so keys are stored with their lowest bit set; two keys
        // that differ only there share one list (a few extra candidates, never a loss).
        var merged: [UInt64: [Int32]] = [:]
        for (key, list) in lists { merged[key | 1, default: []].append(contentsOf: list) }
        var bits: UInt64 = 4
        while (1 << bits) < merged.count * 2 { bits += 1 }
        let capacity = 1 << Int(bits)
        var keys = [UInt64](repeating: 0, count: capacity)
        var starts = [Int32](repeating: 0, count: capacity)
        var counts = [Int32](repeating: 0, count: capacity)
        var postings: [Int32] = []
        shift = 64 - bits
        for (key, list) in merged {
            var slot = Self.slot(key, shift)
            while keys[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
            keys[slot] = key
            starts[slot] = Int32(postings.count)
            counts[slot] = Int32(list.count)
            postings.append(contentsOf: list)
        }
        self.keys = keys
        self.starts = starts
        self.counts = counts
        self.postings = postings
    }

    var isEmpty: Bool { postings.isEmpty }

    @inline(__always)
    private static func slot(_ key: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E3779B97F4A7C15) >> shift)
    }

    @inline(__always)
    func forEach(_ rawKey: UInt64, _ body: (Int32) -> Void) {
        let key = rawKey | 1
        let mask = keys.count - 1
        var slot = Self.slot(key, shift)
        while true {
            let found = keys[slot]
            if found == key {
                let start = Int(starts[slot])
                for index in start..<start + Int(counts[slot]) { body(postings[index]) }
                return
            }
            if found == 0 { return }
            slot = (slot + 1) & mask
        }
    }
}
