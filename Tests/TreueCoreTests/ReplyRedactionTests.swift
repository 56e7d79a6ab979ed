import Foundation
import Testing
@testable import TreueCore

/// A reply record redacts what came from outside the knowledge base (captures, profile
/// fields) and leaves the shop's own writing unscanned, with the same result as redacting
/// the whole text.
struct ReplyRedactionTests {
    static let yaml = ##"""
    settings:
      hotline: "0800 873 8300"
      email: service@treue-shop.de
    languages: [de]
    phases:
      order: [awareness, service, loyalty]
      default: awareness
    fallback:
      answers:
        default:
          de: "[[{name}, ]]das habe ich nicht verstanden. Rufen Sie uns an: {hotline}."
    intents:
      - id: callback
        title: Rückruf
        patterns:
          de: ['ruf\w* mich (?:an )?unter (?<number>[+\d][\d /-]{6,}\d)']
        answers:
          default:
            de: "Wir rufen Sie unter {number} an. Eilt es, erreichen Sie uns unter {hotline} oder {email}."
      - id: points
        title: Punkte
        patterns:
          de: ['\bpunkte\b']
        answers:
          default:
            de: "[[{name}, ]]Ihre Punkte stehen im Konto. Fragen an {email}."
    """##

    static let csv = """
    id,phase,name
    C1,loyalty,Anna (0171 2345678)
    """

    let kb: KnowledgeBase
    let redactor: Redactor

    init() throws {
        let (loaded, diagnostics) = KnowledgeBase.load(texts: [("test.yaml", Self.yaml)])
        kb = try #require(loaded, "\(diagnostics)")
        redactor = try Redactor().keepingContacts(of: kb)
    }

    func replies(_ lines: [String], kb: KnowledgeBase, csv: String? = nil) throws -> [TranscriptEvent.ReplyRecord] {
        var conversation = Conversation(sessionID: "redaction", knowledgeBase: kb)
        var events = conversation.open(kb).events
        let directory = try csv.map { try CustomerDirectory.parse(csv: $0, phases: kb.phases) } ?? CustomerDirectory(customers: [], columns: [])
        let identity = IdentityPolicy(directory: directory)
        let scratch = kb.matcher.makeScratch()
        for line in lines { events += conversation.receive(line, kb: kb, identity: identity, scratch: scratch).events }
        return events.compactMap { if case let .reply(reply) = $0 { return reply } else { return nil } }
    }

    func recordText(_ reply: TranscriptEvent.ReplyRecord, scanned: inout [String]) -> String {
        let scratch = redactor.makeScratch()
        var seen: [String] = []
        let record = TranscriptRecord(event: .reply(reply), ts: "t", session: "s", seq: 1, instance: nil) { text in
            seen.append(text)
            return redactor.redact(text, scratch: scratch)
        }
        scanned += seen
        return record.text ?? ""
    }

    @Test func theCustomersNumberIsRedactedAndTheShopsTextIsNotScanned() throws {
        let reply = try #require(try replies(["bitte ruft mich an unter 0171 2345678"], kb: kb).last)
        #expect(reply.text == "Wir rufen Sie unter 0171 2345678 an. Eilt es, erreichen Sie uns unter 0800 873 8300 oder service@treue-shop.de.")
        var scanned: [String] = []
        #expect(recordText(reply, scanned: &scanned)
            == "Wir rufen Sie unter [phone] an. Eilt es, erreichen Sie uns unter 0800 873 8300 oder service@treue-shop.de.")
        #expect(!scanned.contains(reply.text), "the whole answer went through the scan")
        #expect(scanned.contains("0171 2345678"))
    }

    @Test func aProfileFieldInTheAnswerIsRedactedToo() throws {
        let shown = try replies(["/login C1", "wie viele punkte hab ich", "blabla"], kb: kb, csv: Self.csv)
        let points = try #require(shown.first { $0.intent == "points" })
        let fallback = try #require(shown.last)
        var scanned: [String] = []
        #expect(recordText(points, scanned: &scanned) == "Anna ([phone]), Ihre Punkte stehen im Konto. Fragen an service@treue-shop.de.")
        #expect(recordText(fallback, scanned: &scanned)
            == "Anna ([phone]), das habe ich nicht verstanden. Rufen Sie uns an: 0800 873 8300.")
    }

    /// Redacting the inserted values gives the record that redacting the whole reply gave,
    /// for the shipped knowledge base and real customer messages, some with personal data.
    @Test func theShippedAnswersGiveTheSameRecordsAsAWholeScan() throws {
        let (loaded, _) = KnowledgeBase.load(directory: "Intents")
        let shipped = try #require(loaded)
        let redactor = try Redactor().keepingContacts(of: shipped)
        let scratch = redactor.makeScratch()
        let rows = try String(contentsOfFile: "Intents/labelled/tuning-9.tsv", encoding: .utf8).split(separator: "\n").dropFirst()
        var lines = rows.compactMap { $0.split(separator: "\t").last.map(String.init) }
        lines += ["wo ist meine Bestellung 12345678, ruft mich an: 0171 2345678", "order 1234567 please, mail anna@gmx.de",
                  "Bestellung #4455667788 stornieren", "Rücksendung für 0301234567"]
        let shown = try replies(lines, kb: shipped)
        #expect(shown.count * 10 >= lines.count * 9)
        var insertedOnly = 0
        for reply in shown {
            var whole = reply
            whole.insertedValues = nil
            let redact = { (text: String) in redactor.redact(text, scratch: scratch) }
            let fast = TranscriptRecord(event: .reply(reply), ts: "t", session: "s", seq: 1, instance: nil, redact: redact)
            let slow = TranscriptRecord(event: .reply(whole), ts: "t", session: "s", seq: 1, instance: nil, redact: redact)
            #expect(fast.text == slow.text, "\(reply.text)")
            if reply.insertedValues != nil { insertedOnly += 1 }
        }
        #expect(insertedOnly * 10 >= shown.count * 9, "most replies skip the whole scan")
    }
}
