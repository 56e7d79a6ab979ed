import Foundation
import Logging
import Testing
import TreueCore
@testable import TreueServer

/// `--reload-gate`: the server's recent transcripts are replayed through a checked edit;
/// too many switched or lost answers keep the knowledge base in service.
struct ReloadGateTests {
    static let edit = #"""
    intents:
      - id: island_shipping
        title: { de: Inselversand, en: Island delivery }
        priority: 60
        patterns:
          de: ['\bhelgoland\b']
        examples:
          de: ["Wie lange dauert der Versand nach Helgoland?"]
        answers:
          default: { de: "Nach Helgoland zwei Tage später.", en: "Two days longer to Heligoland." }
    """#

    /// A copy of the shipped knowledge base with the edit saved into it.
    func editedCopy() throws -> String {
        let directory = ServerTestSupport.temporaryDirectory("intents")
        try FileManager.default.removeItem(atPath: directory)
        try FileManager.default.copyItem(atPath: ServerTestSupport.intents, toPath: directory)
        try Self.edit.write(toFile: directory + "/zz-edit.yaml", atomically: true, encoding: .utf8)
        return directory
    }

    /// One session today asks the Helgoland question; one ten days ago asks it too.
    func transcripts(now: Date) throws -> String {
        let directory = ServerTestSupport.temporaryDirectory("transcripts")
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for (age, session) in [(10.0, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), (0.0, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")] {
            let ts = style.format(now.addingTimeInterval(-age * 86_400 - 60))
            var records = [TranscriptRecord(ts: ts, session: session, seq: 1, type: .sessionOpen)]
            records[0].phase = "awareness"
            records[0].lang = "de"
            var message = TranscriptRecord(ts: ts, session: session, seq: 2, type: .message)
            message.text = "Wie lange dauert der Versand nach Helgoland? Bestellung 44812400"
            var reply = TranscriptRecord(ts: ts, session: session, seq: 3, type: .reply)
            reply.intent = "delivery_time"
            reply.stage = "pattern"
            records += [message, reply]
            let lines = try records.map { String(decoding: try encoder.encode($0), as: UTF8.self) }.joined(separator: "\n") + "\n"
            try lines.write(toFile: "\(directory)/\(ts.prefix(10)).jsonl", atomically: true, encoding: .utf8)
        }
        return directory
    }

    @Test func aSwitchBeyondTheLimitIsRefusedAndLoggedWithoutSecrets() throws {
        let now = Date()
        let edited = try editedCopy()
        let gate = ReloadGate(transcripts: try transcripts(now: now), days: 7, gate: ReplayGate(maxLost: 0, maxSwitched: 0))
        let store = KnowledgeBaseStore(ServerTestSupport.knowledgeBase, directory: edited)
        let logger = Logger(label: "test")
        let customers = try CustomerDirectory.load(path: ServerTestSupport.customers, phases: store.knowledgeBase.phases)
        let candidate = try #require(store.candidate(customers: customers, logger: logger))
        let judgement = gate.judge(current: store.knowledgeBase, candidate: candidate, now: now)
        // Only the session within the last seven days is replayed.
        #expect(judgement.report.messages == 1)
        #expect(judgement.report.switched.count == 1)
        #expect(!judgement.passed)
        #expect(judgement.verdict.description == "exceeded: 1 switched > 0 allowed")
        let fields = gate.metadata(judgement)
        #expect(fields["switched"] == "1")
        #expect(fields["max_switched"] == "0")
        let examples = try #require(fields["examples"]).description
        #expect(examples == "delivery_time → island_shipping: 'Wie lange dauert der Versand nach Helgoland? Bestellung ########'")
        #expect(!fields.values.contains { $0.description.contains("bbbbbbbb") })

        let lenient = ReloadGate(transcripts: gate.transcripts, days: 7, gate: ReplayGate(maxLost: 0, maxSwitched: 1))
        #expect(lenient.judge(current: store.knowledgeBase, candidate: candidate, now: now).passed)
        let longer = ReloadGate(transcripts: gate.transcripts, days: 30, gate: ReplayGate(maxLost: 0, maxSwitched: 1))
        #expect(longer.judge(current: store.knowledgeBase, candidate: candidate, now: now).report.switched.count == 2)
    }

    @Test func anUnreadableTranscriptFolderRefusesTheReload() {
        let gate = ReloadGate(transcripts: "/nonexistent/transcripts", days: 7, gate: ReplayGate(maxLost: 0, maxSwitched: 0))
        let kb = ServerTestSupport.knowledgeBase
        let judgement = gate.judge(current: kb, candidate: kb)
        #expect(!judgement.passed)
        #expect(judgement.failure == "cannot replay the transcripts: no transcript directory or file at '/nonexistent/transcripts'")
    }

    @Test func aRefusalIsCountedApart() {
        let prometheus = PrometheusMetrics()
        let store = KnowledgeBaseStore(ServerTestSupport.knowledgeBase, directory: ServerTestSupport.intents, metrics: prometheus.metrics)
        store.refuse()
        let text = String(decoding: prometheus.exposition(), as: UTF8.self)
        #expect(text.contains(#"treue_knowledge_base_reloads_total{result="refused"} 1"#))
        #expect(store.knowledgeBase === ServerTestSupport.knowledgeBase)
    }
}
