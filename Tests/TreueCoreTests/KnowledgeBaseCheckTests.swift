import Testing
@testable import TreueCore

/// `treue check` on the shipped knowledge base and on broken ones.
struct KnowledgeBaseCheckTests {
    @Test func theShippedKnowledgeBaseIsClean() throws {
        let (loaded, diagnostics) = KnowledgeBase.load(directory: "Intents")
        let kb = try #require(loaded, "\(diagnostics)")
        let directory = try CustomerDirectory.load(path: "Customers/demo.csv", phases: kb.phases)
        let (tests, testDiagnostics) = ConversationTest.load(directory: "Intents/tests")
        #expect(!tests.isEmpty)
        let found = diagnostics + testDiagnostics + KnowledgeBaseChecker(kb: kb, directory: directory).check(tests: tests)
        #expect(found.isEmpty, "\(found.map(\.description).joined(separator: "\n"))")
    }

    @Test func theShippedKnowledgeBaseHasExactlyTheSpecifiedIntents() throws {
        let kb = try #require(KnowledgeBase.load(directory: "Intents").0)
        let expected: Set<String> = [
            "order_status", "delivery_delay", "delivery_time", "shipping_costs", "change_address", "cancel_order", "return_item",
            "exchange_item", "refund_status", "damaged_item", "wrong_or_missing_item", "warranty", "invoice", "payment_methods",
            "payment_problem", "account_login", "account_delete", "data_privacy", "change_personal_data", "newsletter_unsubscribe",
            "contact", "store_hours", "loyalty_program", "loyalty_points", "redeem_points", "points_expiry", "member_tiers",
            "voucher_redeem", "gift_card", "referral", "birthday_bonus", "subscription", "product_review", "reorder", "restock",
            "size_advice", "offers", "greeting", "thanks", "goodbye", "human_agent", "complaint", "praise", "bot_identity", "help",
        ]
        // The out-of-scope layer is written like an intent but never answers as one.
        #expect(Set(kb.intents.filter { $0.action != .outOfScope }.map(\.id)) == expected)
        #expect(kb.intents.filter { $0.action == .outOfScope }.map(\.id) == ["out_of_scope"])
        for intent in kb.intents {
            #expect((intent.examples["de"] ?? []).count >= 8, "\(intent.id) de examples")
            #expect((intent.examples["en"] ?? []).count >= 4, "\(intent.id) en examples")
        }
    }

    @Test func brokenExamplesTemplatesAndTestsAreReported() throws {
        let yaml = #"""
        intents:
          - id: returns
            patterns: { de: ['zurück'] }
            examples: { de: ["ich will das zurückgeben", "wo ist mein paket"] }
            counter_examples: { de: ["zurück zum anfang"] }
            answers:
              default: { de: "Hallo {name}, {order} kommt.", en: "ok" }
        """#
        let kb = try #require(KnowledgeBase.load(texts: [("kb.yaml", yaml)]).0)
        let (tests, _) = ConversationTest.parse(yaml: """
        - name: wrong
          turns:
            - say: "zurück"
              intent: something_else
        """, file: "t.yaml")
        let found = KnowledgeBaseChecker(kb: kb, directory: .empty).check(tests: tests)
        let messages = found.map(\.message).joined(separator: "\n")
        #expect(messages.contains("matches no intent: \"wo ist mein paket\""))
        #expect(messages.contains("counter-example of 'returns' selects it"))
        #expect(messages.contains("uses {name}, which is a profile field"))
        #expect(messages.contains("uses {order}, which is provided by nothing"))
        #expect(messages.contains("expected intent something_else, got returns"))
        #expect(found.first { $0.message.contains("wo ist mein paket") }?.location?.line == 4)
    }

    @Test func evaluationCountsAccuracyAndRejection() throws {
        let kb = TestKnowledgeBase.load()
        let report = EvaluationReport.evaluate(tsv: "intent\tlang\ttext\norder_status\tde\two ist mein paket\nreturn_item\tde\tRetoure bitte\n-\tde\twetter morgen\n-\tde\two ist mein paket hin\n", kb: kb)
        #expect(report.inScopeTotal == 2)
        #expect(report.inScopeCorrect == 2)
        #expect(report.outOfScopeTotal == 2)
        #expect(report.outOfScopeRejected == 1)
        #expect(report.misses.count == 1)
        #expect(report.byLanguage["de"]?.rejected == 1)
    }

    @Test func aTaggedSetReadsByItsHeaderAndAFileWithoutIntentsIsRefused() throws {
        let plain = try LabelledMessages(tsv: "intent\tlang\ttext\norder_status\tde\two ist mein paket\n-\ten\tweather\tnow\n")
        let tagged = try LabelledMessages(tsv: "intent\tlang\tclasses\ttext\norder_status\tde\tP,T\two ist mein paket\n-\ten\tG\tweather\tnow\n")
        #expect(tagged.rows == plain.rows)
        #expect(plain.rows.last?.text == "weather\tnow")
        let noHeader = try LabelledMessages(tsv: "order_status\tde\two ist mein paket\n")
        #expect(noHeader.rows.map { [$0.intent, $0.lang, $0.text] } == [[plain.rows[0].intent, plain.rows[0].lang, plain.rows[0].text]])
        #expect(plain.rows.map(\.line) == [2, 3])
        #expect(throws: LabelledMessages.FormatError.self) { try LabelledMessages(tsv: "topic\tlang\ttext\ngifts\tde\tGeschenkpapier\n") }
    }

    @Test func evaluationSeparatesWrongAnswersFromFallbacksPerLanguage() throws {
        let kb = TestKnowledgeBase.load()
        let tsv = "intent\tlang\ttext\nreturn_item\tde\two ist mein paket\nreturn_item\ten\tweather tomorrow\norder_status\ten\twhere is my order\n"
        let report = EvaluationReport.evaluate(tsv: tsv, kb: kb)
        #expect(report.all.wrong == 1)
        #expect(report.all.fellBack == 1)
        #expect(report.byLanguage["de"]?.wrong == 1)
        #expect(report.byLanguage["en"]?.fellBack == 1)
        #expect(report.byLanguage["en"]?.correct == 1)
        let miss = try #require(report.misses.first { $0.expected == "return_item" && $0.lang == "de" })
        #expect(miss.got == "order_status")
        #expect(miss.evidence.contains("pattern test.yaml:"))
        #expect(report.text(misses: true).contains("return_item -> order_status (1)"))
    }
}
