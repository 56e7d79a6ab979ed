import Testing
@testable import TreueCore

struct TextFolderTests {
    @Test(arguments: [
        ("zurück", "zurueck"), ("Straße", "Strasse"), ("ÄRGER", "AeRGER"), ("what’s", "what's"),
        ("u\u{0308}ber", "ueber"), ("plain ascii", "plain ascii"),
        // Composed only where NFC changes something: a decomposed umlaut beside an emoji
        // and typographic quotes, the Ångström sign, and none of it in a message without.
        ("„zuru\u{0308}ck“ 🎁", "\"zurueck\" 🎁"), ("\u{212B}", "\u{C5}"), ("„zurück“ 🎁 5 €", "\"zurueck\" 🎁 5 €"),
    ])
    func foldsMessages(_ input: String, _ expected: String) {
        #expect(TextFolder.fold(input).folded == expected)
    }

    @Test func capturesMapBackToTheOriginalSpelling() {
        let text = TextFolder.fold("Grüße von Müller")
        let folded = Array(text.folded.utf8)
        let start = text.folded.utf8.count - "Mueller".utf8.count
        #expect(String(decoding: folded[start...], as: UTF8.self) == "Mueller")
        #expect(text.originalText(for: start..<folded.count) == "Müller")
    }

    @Test func mapsBackAcrossCharactersOfEveryWidth() {
        // Two-, three- and four-byte characters before and after a folded one.
        let text = TextFolder.fold("Preis 5 € für 🎁, Größe é")
        #expect(text.folded == "Preis 5 € fuer 🎁, Groesse é")
        let folded = Array(text.folded.utf8)
        func range(of part: String) -> Range<Int> {
            let needle = Array(part.utf8)
            let start = (0...(folded.count - needle.count)).first { Array(folded[$0..<$0 + needle.count]) == needle }!
            return start..<start + needle.count
        }
        #expect(text.originalText(for: range(of: "Groesse")) == "Größe")
        #expect(text.originalText(for: range(of: "€ fuer 🎁")) == "€ für 🎁")
        #expect(text.originalText(for: range(of: "é")) == "é")
        // Nothing to fold: the text is its own folded form.
        #expect(TextFolder.fold("Привет, 世界").folded == "Привет, 世界")
    }

    @Test func foldsPatternLiteralsKeepingQuantifiersRight() throws {
        #expect(try TextFolder.foldPattern("zurück") == "zurueck")
        #expect(try TextFolder.foldPattern("grö?ße") == "gr(?:oe)?sse")
        #expect(try TextFolder.foldPattern(#"\bstraße\b"#) == #"\bstrasse\b"#)
    }

    @Test func refusesUmlautsInCharacterClasses() {
        #expect(throws: PatternFoldError.self) { try TextFolder.foldPattern("[äa]rger") }
        #expect((try? TextFolder.foldPattern("[a-z]+ äh")) == "[a-z]+ aeh")
    }
}
