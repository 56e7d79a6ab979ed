import Testing
@testable import TreueCore

struct TextFolderTests {
    @Test(arguments: [
        ("zurück", "zurueck"), ("Straße", "Strasse"), ("ÄRGER", "AeRGER"), ("what’s", "what's"),
        ("u\u{0308}ber", "ueber"), ("plain ascii", "plain ascii"),
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
