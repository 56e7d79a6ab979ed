import Foundation
import Testing
@testable import TreueCore

/// Two intents about equally close to a message: the conversation asks which one, offers
/// both, takes a digit as the answer and records the question.
struct ClarifyingQuestionTests {
    static let yaml = TestKnowledgeBase.yaml + ##"""

      - id: exchange_item
        title: { de: Umtausch, en: Exchange }
        suggestion: { de: "Artikel umtauschen", en: "Exchange an item" }
        patterns:
          de: ['\bumtausch\w*|\bumtauschen\b|\bartikel\s+umtauschen\b']
        examples:
          de: ["die groesse passt leider gar nicht", "umtauschen bitte"]
        answers:
          default: { de: "Umtausch geht über Ihr Kundenkonto.", en: "Exchanges go through your account." }
      - id: refund_status
        title: { de: Geld zurück, en: Refund }
        suggestion: { de: "Wann kommt mein Geld zurück?", en: "Where is my refund?" }
        patterns:
          de: ['\berstattung\b|\bgeld\s+zur(ue|u)ck\b']
        examples:
          de: ["die groesse passt leider gar nicht, geld zurueck", "erstattung"]
        answers:
          default: { de: "Erstattungen dauern 5 Tage.", en: "Refunds take 5 days." }
    """##

    let kb: KnowledgeBase = {
        let (kb, diagnostics) = KnowledgeBase.load(texts: [("test.yaml", yaml)])
        guard let kb else { fatalError("\(diagnostics)") }
        return kb
    }()

    func converse(_ lines: [String]) -> (replies: [Reply], events: [TranscriptEvent]) {
        var conversation = Conversation(sessionID: "s1", knowledgeBase: kb)
        let identity = IdentityPolicy(directory: TestKnowledgeBase.directory(kb))
        let scratch = kb.matcher.makeScratch()
        var replies: [Reply] = []
        var events: [TranscriptEvent] = []
        for line in lines {
            let step = conversation.receive(line, kb: kb, identity: identity, scratch: scratch)
            events += step.events
            for case let .reply(reply) in step.outputs { replies.append(reply) }
        }
        return (replies, events)
    }

    @Test func closeEvidenceAsksAndADigitAnswers() throws {
        let (replies, events) = converse(["Die Größe passt leider gar nicht", "2"])
        let question = try #require(replies.first)
        #expect(question.intent == nil)
        #expect(question.text.contains("Umtausch") && question.text.contains("Geld zurück"))
        #expect(question.suggestions == ["Artikel umtauschen", "Wann kommt mein Geld zurück?"])
        #expect(events.contains(.clarify(options: ["exchange_item", "refund_status"])))
        let answer = try #require(replies.last)
        #expect(answer.intent == "refund_status")
        #expect(answer.text == "Erstattungen dauern 5 Tage.")
        let record = events.compactMap { event -> TranscriptEvent.ReplyRecord? in
            if case let .reply(reply) = event { return reply }
            return nil
        }.last
        #expect(record?.stage == "clarified")
    }

    @Test func somethingElseAfterTheQuestionIsReadAfresh() throws {
        let (replies, _) = converse(["Die Größe passt leider gar nicht", "umtauschen bitte"])
        #expect(replies.last?.intent == "exchange_item")
    }

    @Test func aDigitOutsideTheOptionsIsAnOrdinaryMessage() throws {
        let (replies, events) = converse(["Die Größe passt leider gar nicht", "7"])
        #expect(replies.last?.intent == nil)
        #expect(events.contains { if case .fallback = $0 { return true } else { return false } })
    }
}
