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
}
