import Testing
@testable import TreueCore

/// `WordSet` answers its bit tests and its own table for ASCII words and `Set<String>` for
/// the rest: whatever path a word takes, the answer must be the set's.
struct WordSetTests {
    static let members = [
        "nicht", "kein", "not", "no", "i", "a", "statt", "instead", "zurück", "größe", "straße", "ß", "über",
        "don't", "e-mail", "123", "x1", String(repeating: "a", count: 70), String(repeating: "b", count: 63),
    ]

    @Test(arguments: [
        // members, each path: short, long, apostrophe, digits, non-ASCII, past 63 bytes
        "nicht", "kein", "not", "no", "i", "a", "statt", "instead", "don't", "e-mail", "123", "x1", "zurück", "größe", "ß", "über",
        String(repeating: "a", count: 70), String(repeating: "b", count: 63),
        // not members: same length and first byte, a prefix, an extension, case, other scripts
        "nichz", "nich", "nichts", "Nicht", "kain", "nox", "", "zuruck", "zurueck", "uber", "groesse", "ss", "straße ",
        String(repeating: "a", count: 71), String(repeating: "a", count: 63), "ñ", "日本",
        // "über" composed of u and a combining diaeresis is the same word to `Set<String>`
        "u\u{308}ber",
    ])
    func aWordIsInTheSetExactlyWhenSetOfStringHoldsIt(_ word: String) {
        let set = WordSet(Self.members)
        #expect(set.contains(word) == Set(Self.members).contains(word))
    }

    /// The stages ask with the scanned word and the key the scan made; the answer must be
    /// the one for its text.
    @Test(arguments: [
        "Nicht STATT, instead: don't e-mail 123 x1 zurück Größe ÜBER ß",
        "Nichz NICH nichts kain nox zuruck zurueck uber groesse ss I A",
        String(repeating: "A", count: 70) + " " + String(repeating: "b", count: 63) + " " + String(repeating: "a", count: 300),
        "ñ 日本 u\u{308}ber über",
    ])
    func aScannedWordIsInTheSetExactlyWhenItsTextIs(_ message: String) {
        let set = WordSet(Self.members + [String(repeating: "a", count: 300)])
        let plain = Set(Self.members + [String(repeating: "a", count: 300)])
        let words = MessageWords.scan(TextFolder.fold(message).folded)
        #expect(words.count >= 3)
        for word in words {
            #expect(set.contains(word) == plain.contains(word.text), "\(word.text)")
        }
    }

    @Test func manyWordsSharingLengthsAndInitialsAreAllFoundAndNoOthers() {
        // Two thousand four-letter words crowd the table's probes; their neighbours are not in it.
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        var words: [String] = []
        for a in letters.prefix(10) { for b in letters.prefix(10) { for c in letters.prefix(20) { words.append("\(a)\(b)\(c)x") } } }
        let set = WordSet(words)
        #expect(words.allSatisfy { set.contains($0) })
        #expect(!words.contains { set.contains(String($0.dropLast()) + "y") })
    }
}
