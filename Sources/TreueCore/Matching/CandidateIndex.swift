/// Maps short byte pieces (one to three bytes of lower-cased, folded text) to the patterns
/// that need them, so a message looks up the patterns it could match instead of trying
/// every pattern in the knowledge base.
struct CandidateIndex: Sendable {
    /// Piece key → pattern numbers.
    private let postings: [UInt32: [Int32]]
    /// Patterns with no required literal: they run for every message.
    let unindexed: [Int32]
    private let usesLength: (Bool, Bool, Bool)

    /// - Parameter requirements: per pattern, the literals one of which a match contains
    ///   (lower-cased), or nil when it has none.
    init(requirements: [Set<String>?]) {
        // Count how many literals each trigram occurs in, to key every literal by its rarest.
        var frequency: [UInt32: Int] = [:]
        for literals in requirements.compactMap({ $0 }) {
            for literal in literals {
                let bytes = Array(literal.utf8)
                guard bytes.count > 3 else { continue }
                var seen = Set<UInt32>()
                for start in 0...(bytes.count - 3) {
                    let key = Self.key(bytes[start..<start + 3])
                    if seen.insert(key).inserted { frequency[key, default: 0] += 1 }
                }
            }
        }
        var postings: [UInt32: [Int32]] = [:]
        var unindexed: [Int32] = []
        var lengths = (false, false, false)
        for (number, literals) in requirements.enumerated() {
            guard let literals, !literals.isEmpty else {
                unindexed.append(Int32(number))
                continue
            }
            var keys = Set<UInt32>()
            for literal in literals {
                let bytes = Array(literal.utf8)
                if bytes.count <= 3 {
                    keys.insert(Self.key(bytes[...]))
                    switch bytes.count { case 1: lengths.0 = true; case 2: lengths.1 = true; default: lengths.2 = true }
                } else {
                    var bestKey = Self.key(bytes[0..<3])
                    var bestCount = Int.max
                    for start in 0...(bytes.count - 3) {
                        let key = Self.key(bytes[start..<start + 3])
                        let count = frequency[key, default: 0]
                        if count < bestCount { bestCount = count; bestKey = key }
                    }
                    keys.insert(bestKey)
                    lengths.2 = true
                }
            }
            for key in keys { postings[key, default: []].append(Int32(number)) }
        }
        self.postings = postings
        self.unindexed = unindexed
        self.usesLength = lengths
    }

    /// Calls `body` with every pattern number whose key occurs in `text` (lower-cased,
    /// folded), possibly more than once; unindexed patterns are not included.
    func forEachCandidate(in text: [UInt8], _ body: (Int32) -> Void) {
        let count = text.count
        for start in 0..<count {
            if usesLength.0, let hits = postings[Self.key(text[start..<start + 1])] { hits.forEach(body) }
            if usesLength.1, start + 2 <= count, let hits = postings[Self.key(text[start..<start + 2])] { hits.forEach(body) }
            if usesLength.2, start + 3 <= count, let hits = postings[Self.key(text[start..<start + 3])] { hits.forEach(body) }
        }
    }

    var indexedKeyCount: Int { postings.count }

    @inline(__always)
    static func key(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var key = UInt32(bytes.count) << 24
        var shift: UInt32 = 16
        for byte in bytes { key |= UInt32(byte) << shift; shift &-= 8 }
        return key
    }
}
