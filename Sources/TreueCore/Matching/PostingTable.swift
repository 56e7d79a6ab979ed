/// An open-addressing hash table from 64-bit keys to lists of pattern numbers, stored
/// flat: no hashing of its own beyond one multiply, no reference counting, one or two
/// cache lines per lookup.
struct PostingTable: Sendable {
    /// Key, start and count side by side: one cache line per probe.
    private struct Slot: Sendable {
        var key: UInt64 = 0
        var start: Int32 = 0
        var count: Int32 = 0
    }

    private let slots: [Slot]
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
        var slots = [Slot](repeating: Slot(), count: capacity)
        var postings: [Int32] = []
        shift = 64 - bits
        for (key, list) in merged {
            var slot = Self.slot(key, shift)
            while slots[slot].key != 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Slot(key: key, start: Int32(postings.count), count: Int32(list.count))
            postings.append(contentsOf: list)
        }
        self.slots = slots
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
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var slot = Self.slot(key, shift)
            while true {
                let found = slots[slot]
                if found.key == key {
                    postings.withUnsafeBufferPointer { postings in
                        for index in Int(found.start)..<Int(found.start + found.count) { body(postings[index]) }
                    }
                    return
                }
                if found.key == 0 { return }
                slot = (slot + 1) & mask
            }
        }
    }
}
