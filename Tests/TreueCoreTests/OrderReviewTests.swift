import Foundation
import Testing
@testable import TreueCore

/// `treue review` on order lookups, proactive rules and the repurchase rate after a chat.
struct OrderReviewTests {
    func records(_ session: String, day: String, _ events: [TranscriptEvent]) -> [TranscriptRecord] {
        events.enumerated().map { index, event in
            TranscriptRecord(event: event, ts: "\(day)T10:00:\(index < 10 ? "0" : "")\(index).000Z", session: session, seq: index + 1,
                             instance: nil, redact: { $0 })
        }
    }

    func reply(_ intent: String?) -> TranscriptEvent {
        .reply(.init(text: "t", intent: intent, phase: "service", language: "de", captures: [:], suggestions: [], pattern: nil))
    }

    func login(_ id: String) -> TranscriptEvent { .login(customer: id, verified: false, phase: "service", tier: nil, segment: nil) }

    @Test func lookupsByOutcomeAndProactiveRulesShownActedOnAndSatisfaction() {
        var aggregator = ReviewAggregator()
        let acted = records("a", day: "2026-01-01", [
            .sessionOpened(phase: "awareness", language: "de"), login("C1"),
            .proactive(rule: "parcel_today", text: "x", suggestions: ["Wo?"], intents: ["order_status"]),
            .message(text: "wo ist 12345678"), .orderLookup(number: "12345678", outcome: "found", status: "shipped", latencyMs: 12),
            reply("order_status"), .message(text: "und 23456789"),
            .orderLookup(number: "23456789", outcome: "unavailable", status: nil, latencyMs: 2004), reply("order_status"),
            .feedback(score: 4, comment: nil), .sessionClosed(reason: "quit"),
        ])
        let ignored = records("b", day: "2026-01-01", [
            .sessionOpened(phase: "awareness", language: "de"), login("C2"),
            .proactive(rule: "parcel_today", text: "x", suggestions: ["Wo?"], intents: ["order_status"]),
            .message(text: "hallo"), reply("greeting"), .feedback(score: 2, comment: nil), .sessionClosed(reason: "quit"),
        ])
        for record in acted + ignored { aggregator.add(record) }
        let report = aggregator.report()
        #expect(report.orderLookups.map(\.outcome).sorted() == ["found", "unavailable"])
        #expect(report.orderLookups.first { $0.outcome == "unavailable" }?.latency?.p50 == 2004)
        let rule = report.proactiveRules.first
        #expect(rule?.rule == "parcel_today" && rule?.shown == 2 && rule?.actedOn == 1 && rule?.actedRate == 0.5)
        #expect(rule?.satisfaction.mean == 3)
        let text = ReviewTextRenderer().render(report)
        #expect(text.contains("Order lookups") && text.contains("p50 2004 ms") && text.contains("parcel_today"))
        #expect(ReviewCSVRenderer().renderProactive(report).contains("parcel_today,2,1,0.5000,3.00,2"))
        #expect(ReviewHTMLRenderer().render(report).contains("id=\"proactive\""))
    }

    @Test func repurchaseRateAfterAChatBesideCustomersWhoDidNotChat() throws {
        let csv = """
            number,customer,postcode,status,ordered
            10000001,C1,10115,delivered,2025-12-01
            10000002,C1,10115,paid,2026-01-20
            10000003,C2,10115,paid,2025-12-02
            10000004,C3,10115,paid,2026-02-15
            10000005,C4,10115,paid,2025-11-01
            10000006,C9,10115,paid,2026-06-01
            """
        let export = try OrderExport.parse(csv: csv.replacingOccurrences(of: "delivered,2025-12-01", with: "paid,2025-12-01"))
        var aggregator = ReviewAggregator()
        let answered = records("a", day: "2026-01-01", [
            .sessionOpened(phase: "awareness", language: "de"), login("C1"), .message(text: "wo"), reply("order_status"),
            .feedback(score: 5, comment: nil), .sessionClosed(reason: "quit"),
        ])
        let handedOff = records("b", day: "2026-01-01", [
            .sessionOpened(phase: "awareness", language: "de"), login("C2"), .message(text: "hm"), reply(nil),
            .handoff(ticket: "T1", reason: "customer", intent: nil), .sessionClosed(reason: "quit"),
        ])
        for record in answered + handedOff { aggregator.add(record) }
        let repurchase = try #require(aggregator.report(orders: export).repurchase)
        #expect(repurchase.chatted.customers == 2)
        // C1 ordered again 19 days after the chat; C2 did not.
        #expect(repurchase.chatted.rates.map(\.repurchased) == [1, 1])
        #expect(repurchase.chatted.rates.map(\.eligible) == [2, 2])
        // C3, C4, C9 did not chat: from 2026-01-01, C3 ordered within 90 days (not 30).
        #expect(repurchase.notChatted.customers == 3)
        #expect(repurchase.notChatted.rates.map(\.repurchased) == [0, 1])
        #expect(repurchase.byOutcome.map(\.name).sorted() == ["answered", "handed_off"])
        #expect(repurchase.byOutcome.first { $0.name == "answered" }?.rates.first?.rate == 1)
        #expect(repurchase.bySatisfaction.map(\.name).sorted() == ["5", "none"])
        #expect(repurchase.byIntent.map(\.name) == ["order_status"])
        let report = aggregator.report(orders: export)
        #expect(ReviewCSVRenderer().renderRepurchase(report).contains("all,chatted,2,2,1,0.5000,2,1,0.5000"))
        #expect(ReviewTextRenderer().render(report).contains("Repurchase after a chat"))
        #expect(ReviewHTMLRenderer().render(report).contains("id=\"repurchase\""))
    }
}
