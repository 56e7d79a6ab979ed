import Foundation
import Testing
@testable import TreueCore

/// Which answer variant a customer saw is recorded with the reply and the rating, and the
/// review tells authors how each variant fared.
struct AnswerVariantTests {
    let kb = TestKnowledgeBase.load()

    /// Runs lines through one conversation and returns its events.
    func chat(_ session: String, _ lines: [String]) -> [TranscriptEvent] {
        var conversation = Conversation(sessionID: session, knowledgeBase: kb)
        var events = conversation.open(kb).events
        let identity = IdentityPolicy(directory: TestKnowledgeBase.directory(kb))
        let scratch = kb.matcher.makeScratch()
        for line in lines { events += conversation.receive(line, kb: kb, identity: identity, scratch: scratch).events }
        return events
    }

    func replies(_ events: [TranscriptEvent]) -> [TranscriptEvent.ReplyRecord] {
        events.compactMap { if case let .reply(reply) = $0 { return reply } else { return nil } }
    }

    @Test func theVariantNamesTheAnswerTheCustomerSaw() throws {
        let events = chat("variants-1", ["wo ist meine Bestellung 12345678", "wo ist meine Bestellung 12345678", "/rate down"])
        let shown = replies(events).filter { $0.intent == "order_status" }
        #expect(shown.count == 2)
        // Rotation shows both German variants, each named by its place in the YAML.
        let expected = ["default/de/1": "Ihre Bestellung 12345678 ist unterwegs.", "default/de/2": "Bestellung 12345678: unterwegs."]
        #expect(Set(shown.compactMap(\.variant)) == Set(expected.keys))
        for reply in shown { #expect(expected[reply.variant ?? ""] == reply.text) }
        // The thumbs-down is for the variant shown last.
        let rating = try #require(events.last { if case .rating = $0 { return true } else { return false } })
        #expect(rating == .rating(helpful: false, intent: "order_status", variant: shown.last?.variant))
    }

    @Test func theReviewReportsThumbsAndScoresPerVariant() throws {
        // Three sessions; each variant is rated after it was shown, and sessions end with a score.
        var sessions: [[TranscriptEvent]] = []
        for index in 0..<12 {
            var events = chat("variants-\(index)", ["ich will das zurückschicken", "wo ist meine Bestellung 12345678"])
            let variant = try #require(replies(events).last?.variant)
            // Customers like the short one and dislike the long one.
            let likes = variant == "default/de/2"
            events.append(.rating(helpful: likes, intent: "order_status", variant: variant))
            events.append(.feedback(score: likes ? 5 : 2, comment: nil))
            sessions.append(events)
        }
        var aggregator = ReviewAggregator()
        for (index, events) in sessions.enumerated() {
            for (seq, event) in events.enumerated() {
                let record = TranscriptRecord(event: event, ts: "2026-11-0\(1 + index % 5)T10:00:00.000Z", session: "session-\(index)",
                                              seq: seq + 1, instance: nil, redact: { $0 })
                // Through the bytes the server writes and the decoder the review reads.
                var writer = JSONLineWriter()
                record.write(to: &writer)
                aggregator.add(try JSONDecoder().decode(ReviewAggregator.Record.self, from: Data(writer.bytes)))
            }
        }
        let report = aggregator.report()
        let orderStatus = try #require(report.answerVariants.first { $0.intent == "order_status" })
        #expect(orderStatus.variants.map(\.variant) == ["default/de/1", "default/de/2"])
        let long = orderStatus.variants[0], short = orderStatus.variants[1]
        #expect(long.shown + short.shown == 12)
        #expect(long.shown > 0 && short.shown > 0)
        #expect(long.up == 0 && long.down == long.shown)
        #expect(short.up == short.shown && short.down == 0)
        #expect(long.satisfaction.mean == 2 && long.satisfaction.count == long.shown)
        #expect(short.satisfaction.mean == 5)
        // An intent that only ever showed one variant has nothing to compare.
        #expect(!report.answerVariants.contains { $0.intent == "return_item" })

        let text = ReviewTextRenderer(rows: 20).render(report)
        #expect(text.contains("Answer variants"))
        #expect(text.contains("default/de/2") && text.contains("100.0 % helpful"))
        let csv = ReviewCSVRenderer().renderVariants(report)
        #expect(csv.hasPrefix("intent,variant,shown,up,down,satisfaction_mean,satisfaction_count\r\n"))
        #expect(csv.contains("order_status,default/de/2,\(short.shown),\(short.shown),0,5.00,\(short.shown)\r\n"))
        let html = ReviewHTMLRenderer(rows: 20).render(report)
        #expect(html.contains("id=\"variants\"") && html.contains("default/de/1"))
    }
}
