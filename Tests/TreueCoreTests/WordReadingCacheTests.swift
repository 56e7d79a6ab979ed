import Testing
@testable import TreueCore

/// The cache of what words were read as answers only for the word stored, whatever shares
/// its slot, and keeps non-ASCII words apart from the table.
struct WordReadingCacheTests {
    private func word(_ text: String) -> MessageWord { MessageWords.scan(TextFolder.fold(text).folded)[0] }

    @Test func aStoredReadingIsFoundForItsWordOnly() {
        var cache = WordReadingCache()
        #expect(cache.reading(of: word("rucksendung")) == nil)
        cache.store("ruecksendung", for: word("Rucksendung"))
        cache.store("", for: word("paket"))
        #expect(cache.reading(of: word("rucksendung")) == "ruecksendung")
        #expect(cache.reading(of: word("paket")) == "")
        #expect(cache.reading(of: word("rucksendun")) == nil)
        #expect(cache.reading(of: word("rucksendungen")) == nil)
        cache.removeAll()
        #expect(cache.reading(of: word("rucksendung")) == nil)
    }

    @Test func wordsSharingASlotNeverReadEachOther() throws {
        // Find two different words that fall into the same slot of the direct-mapped table.
        var bySlot: [Int: MessageWord] = [:]
        var pair: (MessageWord, MessageWord)?
        for number in 0..<10_000 where pair == nil {
            let next = word("wort\(number)x")
            let slot = Int(truncatingIfNeeded: next.asciiKey >> 16) & (WordReadingCache.slotCount - 1)
            if let earlier = bySlot[slot] { pair = (earlier, next) } else { bySlot[slot] = next }
        }
        let (first, second) = try #require(pair)
        var cache = WordReadingCache()
        cache.store("erstes", for: first)
        #expect(cache.reading(of: second) == nil)
        cache.store("zweites", for: second)
        #expect(cache.reading(of: second) == "zweites")
        #expect(cache.reading(of: first) == nil)
    }

    @Test func wordsOutsideASCIIAreKeptByTheirText() {
        var cache = WordReadingCache()
        let word = word("日本")
        #expect(word.asciiKey == 0)
        cache.store("japan", for: word)
        #expect(cache.reading(of: word) == "japan")
        #expect(cache.reading(of: self.word("中国")) == nil)
    }
}
