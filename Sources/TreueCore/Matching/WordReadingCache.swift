/// What this thread read words as, looked up by the key the scan made for an ASCII word
/// (`MessageWord.asciiKey`): a `[String: String]` lookup hashed the word with `Hasher`
/// again, which cost more than most of the readings it saved. Direct-mapped and bounded: a
/// word whose slot another word took is read anew. Other words go to a dictionary.
struct WordReadingCache {
    static let slotCount = 2048
    /// Empty until the first word is stored: many scratches never read a word.
    private var keys: [UInt64] = []
    private var words: [String] = []
    private var readings: [String] = []
    private var others: [String: String] = [:]

    func reading(of word: MessageWord) -> String? {
        let key = word.asciiKey
        guard key != 0 else { return others[word.text] }
        guard !keys.isEmpty else { return nil }
        let slot = Self.slot(key)
        guard keys[slot] == key, words[slot] == word.text else { return nil }
        return readings[slot]
    }

    mutating func store(_ reading: String, for word: MessageWord) {
        let key = word.asciiKey
        guard key != 0 else {
            if others.count >= MatcherScratch.wordTermsLimit { others.removeAll(keepingCapacity: true) }
            others[word.text] = reading
            return
        }
        if keys.isEmpty {
            keys = Array(repeating: 0, count: Self.slotCount)
            words = Array(repeating: "", count: Self.slotCount)
            readings = Array(repeating: "", count: Self.slotCount)
        }
        let slot = Self.slot(key)
        keys[slot] = key
        words[slot] = word.text
        readings[slot] = reading
    }

    mutating func removeAll() {
        for slot in keys.indices where keys[slot] != 0 {
            keys[slot] = 0
            words[slot] = ""
            readings[slot] = ""
        }
        others.removeAll()
    }

    @inline(__always)
    private static func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: key >> 16) & (slotCount - 1) }
}
