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

    /// Lower case over bytes is lower case scalar by scalar: for every scalar Unicode has,
    /// between letters that change and letters that do not, the bytes are those of
    /// `lowercaseMapping` with PCRE2's extra caseless pairs.
    @Test func lowerCaseOverBytesAgreesWithUnicodeForEveryScalar() {
        func reference(_ text: String) -> [UInt8] {
            var result = String.UnicodeScalarView()
            for scalar in text.unicodeScalars {
                for lower in scalar.properties.lowercaseMapping.unicodeScalars {
                    result.append(CaselessText.sameLetter[lower.value].flatMap(Unicode.Scalar.init) ?? lower)
                }
            }
            return Array(String(result).utf8)
        }
        var differing: [UInt32] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "Ab" + String(scalar) + "Zß"
            if Array(CaselessText.lowercased(text).utf8) != reference(text) { differing.append(value) }
        }
        #expect(differing.isEmpty, "\(differing.prefix(20).map { String($0, radix: 16) })")
        #expect(CaselessText.lowercased("„ÄRGER“ mit ſ, ΣΑΣ und İ 🎁") == "„ärger“ mit s, σασ und i\u{0307} 🎁")
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
