import Foundation
import Testing
@testable import TreueCore

struct KnowledgeBaseLoaderTests {
    func errors(_ yaml: String) -> [Diagnostic] {
        let (_, diagnostics) = KnowledgeBase.load(texts: [("kb.yaml", yaml)])
        return diagnostics.filter { $0.severity == .error }
    }

    @Test func schemaErrorsNameFileLineAndColumn() throws {
        let found = errors("""
        intents:
          - id: order_status
            priority: high
            patterns: { de: ['x'] }
            answers: { default: { de: a, en: b } }
        """)
        let error = try #require(found.first { $0.message.contains("priority") })
        #expect(error.location == SourceLocation(file: "kb.yaml", line: 3, column: 15))
    }

    @Test func yamlSyntaxErrorsNameTheirPlace() throws {
        let found = errors("intents:\n  - id: a\n   bad: [\n")
        let error = try #require(found.first)
        #expect(error.code == "yaml")
        #expect(error.location?.file == "kb.yaml")
        #expect((error.location?.line ?? 0) >= 2)
    }

    @Test func badPatternsShowPCRE2sMessageAndOffset() throws {
        let found = errors("""
        intents:
          - id: broken
            patterns:
              de:
                - 'wo ist (meine'
            answers: { default: { de: a, en: b } }
        """)
        let error = try #require(found.first { $0.code == "pattern" })
        #expect(error.message.contains("missing closing parenthesis"))
        #expect(error.message.contains("offset 13"))
        #expect(error.location == SourceLocation(file: "kb.yaml", line: 5, column: 11))
    }

    @Test func unknownVocabularyAndPhasesAreErrors() {
        let found = errors("""
        intents:
          - id: a
            phase: nirvana
            patterns: { de: ['(?&nothing)'] }
            answers: { default: { de: a, en: b }, someday: { de: c } }
        """)
        #expect(found.contains { $0.message.contains("unknown phase 'nirvana'") })
        #expect(found.contains { $0.message.contains("(?&nothing)") })
        #expect(found.contains { $0.message.contains("'someday'") })
    }

    @Test func duplicateIdsAndMissingDefaultsAreErrors() {
        let found = errors("""
        intents:
          - id: a
            patterns: { de: ['x'] }
            answers: { service: { de: a } }
          - id: a
            patterns: { de: ['y'] }
            answers: { default: { de: a } }
        """)
        #expect(found.contains { $0.message.contains("already used") })
        #expect(found.contains { $0.message.contains("no 'default' answers") })
    }

    @Test func theTestKnowledgeBaseLoadsClean() {
        let (kb, diagnostics) = KnowledgeBase.load(texts: [("test.yaml", TestKnowledgeBase.yaml)])
        #expect(kb != nil)
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty)
    }

    @Test func dictionaryFilesAreReadFoldedAndChecked() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("treue-dictionary-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/dictionary", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "dictionary_words:\n  - dictionary/*.txt\n".write(toFile: folder + "/kb.yaml", atomically: true, encoding: .utf8)
        try "# words of the language\nSchwanger\n\nÖfen\nzwei Wörter\n".write(toFile: folder + "/dictionary/de.txt", atomically: true, encoding: .utf8)
        try "project\n".write(toFile: folder + "/dictionary/en.txt", atomically: true, encoding: .utf8)
        let (content, diagnostics) = KnowledgeBaseLoader.load(directory: folder)
        #expect(content.dictionaryWords == ["schwanger", "oefen", "project"])
        let error = try #require(diagnostics.first { $0.message.contains("expected one word per line") })
        #expect(error.location?.file.hasSuffix("dictionary/de.txt") == true)
        #expect(error.location?.line == 5)

        try "dictionary_words: [missing/*.txt]\n".write(toFile: folder + "/kb.yaml", atomically: true, encoding: .utf8)
        let (_, missing) = KnowledgeBaseLoader.load(directory: folder)
        #expect(missing.contains { $0.message.contains("no file matches 'missing/*.txt'") })
    }
}

