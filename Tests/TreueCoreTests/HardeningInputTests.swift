import Foundation
import Testing
@testable import TreueCore

/// Invisible characters and YAML alias amplification (issue 17, smaller items).
struct InvisibleCharacterTests {
    @Test func invisibleCharactersFoldAwayBeforeMatching() {
        #expect(TextFolder.fold("pa\u{200B}ket").folded == "paket")
        #expect(TextFolder.fold("rück\u{00AD}gabe").folded == "rueckgabe")
        #expect(TextFolder.fold("\u{FEFF}wo\u{2060} ist\u{200D} mein\u{E0041} paket").folded == "wo ist mein paket")
        // Private use is not invisible: it stays (and is shown visibly in output).
        #expect(TextFolder.fold("a\u{E000}b").folded == "a\u{E000}b")
    }

    @Test func aMessageWithZeroWidthCharactersFindsItsIntentAndCapturesTheOriginal() {
        let kb = TestKnowledgeBase.load()
        var conversation = Conversation(sessionID: "s", knowledgeBase: kb)
        _ = conversation.open(kb)
        let step = conversation.receive("wo ist mein pa\u{200B}ket 1234\u{200B}5678", kb: kb,
                                        identity: IdentityPolicy(directory: TestKnowledgeBase.directory(kb)),
                                        scratch: kb.matcher.makeScratch())
        let intents = step.events.compactMap { event -> String? in
            if case let .reply(reply) = event { return reply.intent }
            return nil
        }
        #expect(intents == ["order_status"], "\(step.events)")
    }
}

struct YAMLSizeLimitTests {
    /// One 2,000-example list shared by 60 intents through an alias.
    static func amplified(intents: Int, examples: Int) -> String {
        var yaml = "shared: &examples\n" + (0..<examples).map { "  - beispiel nummer \($0)\n" }.joined()
        yaml += "intents:\n"
        for index in 0..<intents {
            yaml += """
              - id: intent_\(index)
                patterns:
                  de: ["\\\\bwort\(index)\\\\b"]
                examples:
                  de: *examples
                answers:
                  default:
                    de: ["Antwort \(index)"]

            """
        }
        return yaml
    }

    @Test func aliasAmplificationIsRefusedQuicklyWithItsPlace() {
        let start = ContinuousClock.now
        let (_, diagnostics) = KnowledgeBaseLoader.load(texts: [(file: "bomb.yaml", yaml: Self.amplified(intents: 60, examples: 2000))])
        let elapsed = ContinuousClock.now - start
        let error = diagnostics.first { $0.message.contains("aliases") }
        #expect(error != nil, "\(diagnostics.prefix(3))")
        #expect(error?.location?.file == "bomb.yaml")
        #expect(elapsed < .seconds(10))
    }

    @Test func aFewAliasesAreFine() {
        let (_, diagnostics) = KnowledgeBaseLoader.load(texts: [(file: "ok.yaml", yaml: Self.amplified(intents: 3, examples: 20))])
        #expect(!diagnostics.contains { $0.message.contains("aliases") || $0.message.contains("nodes") }, "\(diagnostics)")
    }

    /// A block mapping starts where its first key does; without telling the two apart,
    /// 5,000 intents without a single alias were refused as an alias bomb.
    @Test func aLargeFileWithoutAliasesIsNotMistakenForOne() {
        var yaml = "intents:\n"
        for index in 0..<6_000 { yaml += "  - id: i\(index)\n    patterns: { de: ['wort\(index)'] }\n" }
        #expect(YAMLSizeLimits.default.check(yaml: yaml, file: "big.yaml") == nil)
    }

    @Test func theNodeCapHolds() {
        let limits = YAMLSizeLimits(maxNodes: 50, maxAliasedNodes: 1000)
        var yaml = "list:\n"
        for index in 0..<100 { yaml += "  - \(index)\n" }
        #expect(limits.check(yaml: yaml, file: "f.yaml")?.message.contains("more than 50 nodes") == true)
    }
}
