import Foundation
import Testing
@testable import TreueCore

/// Two small knowledge bases that differ in three known ways, and a hand-made transcript
/// whose replay is worked out by hand:
///
/// - the edit removes the German greeting pattern: "hallo …" is **lost**;
/// - the edit gives `refund_status` a pattern for "Geld zurück" and a higher priority than
///   `return_item`, whose pattern also matches: those messages **switch**;
/// - the edit adds `gift_card`: "gift card" questions, a fallback before, are **newly answered**.
///
/// Session 1 (de, awareness): "hallo zusammen" (lost), "wann kommt mein geld zurück"
///   (switched, then /rate down), "wo ist meine bestellung" (unchanged; a slot question
///   follows), "12345678" (the slot's answer: a follow-up, not replayed), /rate down (about
///   an unchanged answer: not counted), close.
/// Session 2 (en, service): "can i buy a gift card" (newly answered), "hello there" and
///   "where is my order" (unchanged), /feedback 1 (a low rating after the gift-card question).
/// Session 3 (de, loyalty after login; no close: a crash): "Geld zurück für die Retoure?"
///   (switched), /feedback 2 (low), /rate down (the same message: thumbs-down, still one
///   negative message), "hallo nochmal" (lost, after the rating, so no feedback).
/// Session 4 (2025-03-03) lies outside --until 2025-03-02 in the file-based test.
///
/// Replayed 8, follow-ups 1, unchanged 3; lost 2 (no feedback), switched 2 (2 thumbs-down,
/// 1 rated low, 2 negative), newly answered 1 (1 rated low, 1 negative).
enum ReplayFixture {
    static let header = #"""
    languages: [de, en]
    phases:
      order: [awareness, service, loyalty]
      default: awareness
    fallback:
      answers:
        default: { de: "Nicht verstanden.", en: "Not understood." }
    """#

    static let greetingDE = #"      de: ['^\W*hallo\b']"# + "\n"

    static func intents(edited: Bool) -> String {
        var yaml = header + "\nintents:\n"
        yaml += #"""
          - id: greeting
            title: { de: Begrüßung, en: Greeting }
            patterns:

        """#
        if !edited { yaml += greetingDE }
        yaml += #"""
              en: ['^\W*hello\b']
            answers:
              default: { de: "Hallo!", en: "Hello!" }
          - id: order_status
            title: { de: Bestellstatus, en: Order status }
            phase: service
            patterns:
              de: ['\bwo\b.*\bbestellung\b']
              en: ['\bwhere\b.*\border\b']
            slots:
              - name: order
                pattern: '(?<order>\d{6,10})'
                prompt: { de: "Welche Bestellnummer?", en: "Which order number?" }
            answers:
              default: { de: "Bestellung {order} ist unterwegs.", en: "Order {order} is on its way." }
          - id: return_item
            title: { de: Rücksendung, en: Returns }
            patterns:
              de: ['\bzurueck\w*']
              en: ['\breturn\b']
            answers:
              default: { de: "So geht die Rücksendung.", en: "This is how returns work." }
          - id: refund_status
            title: { de: Erstattung, en: Refund }

        """#
        yaml += edited ? "    priority: 5\n" : ""
        yaml += #"""
            patterns:

        """#
        yaml += edited ? #"      de: ['\berstattung\b', '\bgeld\s+zurueck']"# + "\n" : #"      de: ['\berstattung\b']"# + "\n"
        yaml += #"""
              en: ['\brefund\b']
            answers:
              default: { de: "Die Erstattung dauert fünf Tage.", en: "Refunds take five days." }

        """#
        if edited {
            yaml += #"""
              - id: gift_card
                title: { de: Geschenkkarte, en: Gift card }
                patterns:
                  en: ['\bgift\s*cards?\b']
                answers:
                  default: { de: "Geschenkkarten gibt es im Shop.", en: "Gift cards are sold in the shop." }

            """#
        }
        return yaml
    }

    static func knowledgeBase(edited: Bool) throws -> KnowledgeBase {
        let (kb, diagnostics) = KnowledgeBase.load(texts: [("replay.yaml", intents(edited: edited))])
        let errors = diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors)")
        return try #require(kb)
    }

    static let s1 = "11111111111111111111111111111111"
    static let s2 = "22222222222222222222222222222222"
    static let s3 = "33333333333333333333333333333333"
    static let s4 = "44444444444444444444444444444444"

    static func record(_ ts: String, _ session: String, _ seq: Int, _ type: TranscriptRecord.Kind,
                       _ configure: (inout TranscriptRecord) -> Void = { _ in }) -> TranscriptRecord {
        var record = TranscriptRecord(ts: ts, session: session, seq: seq, type: type)
        configure(&record)
        return record
    }

    static func reply(_ ts: String, _ session: String, _ seq: Int, intent: String?, phase: String, lang: String, stage: String?) -> TranscriptRecord {
        record(ts, session, seq, .reply) {
            $0.text = "…"
            $0.intent = intent
            $0.phase = phase
            $0.lang = lang
            $0.stage = stage
        }
    }

    static let records: [TranscriptRecord] = [
        record("2025-03-01T09:00:00.000Z", s1, 1, .sessionOpen) { $0.phase = "awareness"; $0.lang = "de" },
        record("2025-03-01T09:00:01.000Z", s1, 2, .message) { $0.text = "hallo zusammen" },
        reply("2025-03-01T09:00:01.010Z", s1, 3, intent: "greeting", phase: "awareness", lang: "de", stage: "pattern"),
        record("2025-03-01T09:00:05.000Z", s1, 4, .message) { $0.text = "wann kommt mein geld zurück" },
        reply("2025-03-01T09:00:05.010Z", s1, 5, intent: "return_item", phase: "awareness", lang: "de", stage: "pattern"),
        record("2025-03-01T09:00:06.000Z", s1, 6, .rating) { $0.helpful = false; $0.intent = "return_item" },
        // Session 2 starts while session 1 is still open.
        record("2025-03-01T09:00:07.000Z", s2, 1, .sessionOpen) { $0.phase = "service"; $0.lang = "en" },
        record("2025-03-01T09:00:08.000Z", s1, 7, .message) { $0.text = "wo ist meine bestellung" },
        record("2025-03-01T09:00:08.005Z", s1, 8, .phaseChange) { $0.from = "awareness"; $0.to = "service"; $0.reason = "signal" },
        record("2025-03-01T09:00:08.010Z", s1, 9, .slotPrompt) { $0.intent = "order_status"; $0.slot = "order" },
        record("2025-03-01T09:00:09.000Z", s2, 2, .message) { $0.text = "can i buy a gift card" },
        record("2025-03-01T09:00:09.005Z", s2, 3, .fallback) { $0.count = 1; $0.phase = "service" },
        reply("2025-03-01T09:00:09.010Z", s2, 4, intent: nil, phase: "service", lang: "en", stage: "none"),
        record("2025-03-01T09:00:10.000Z", s1, 10, .message) { $0.text = "12345678" },
        reply("2025-03-01T09:00:10.010Z", s1, 11, intent: "order_status", phase: "service", lang: "de", stage: nil),
        record("2025-03-01T09:00:11.000Z", s1, 12, .rating) { $0.helpful = false; $0.intent = "order_status" },
        record("2025-03-01T09:00:12.000Z", s1, 13, .sessionClose) { $0.reason = "quit" },
        record("2025-03-01T09:00:13.000Z", s2, 5, .message) { $0.text = "hello there" },
        reply("2025-03-01T09:00:13.010Z", s2, 6, intent: "greeting", phase: "service", lang: "en", stage: "pattern"),
        record("2025-03-01T09:00:14.000Z", s2, 7, .message) { $0.text = "where is my order" },
        record("2025-03-01T09:00:14.010Z", s2, 8, .slotPrompt) { $0.intent = "order_status"; $0.slot = "order" },
        record("2025-03-01T09:00:15.000Z", s2, 9, .feedback) { $0.score = 1 },
        record("2025-03-01T09:00:16.000Z", s2, 10, .sessionClose) { $0.reason = "quit" },

        record("2025-03-02T10:00:00.000Z", s3, 1, .sessionOpen) { $0.phase = "awareness"; $0.lang = "de" },
        record("2025-03-02T10:00:01.000Z", s3, 2, .login) { $0.customer = "C1001"; $0.verified = false; $0.phase = "loyalty" },
        record("2025-03-02T10:00:02.000Z", s3, 3, .message) { $0.text = "Geld zurück für die Retoure?" },
        reply("2025-03-02T10:00:02.010Z", s3, 4, intent: "return_item", phase: "loyalty", lang: "de", stage: "pattern"),
        record("2025-03-02T10:00:03.000Z", s3, 5, .feedback) { $0.score = 2 },
        record("2025-03-02T10:00:04.000Z", s3, 6, .rating) { $0.helpful = false; $0.intent = "return_item" },
        record("2025-03-02T10:00:05.000Z", s3, 7, .message) { $0.text = "hallo nochmal" },
        // The server crashed before the reply: the message is replayed all the same.

        record("2025-03-03T08:00:00.000Z", s4, 1, .sessionOpen) { $0.phase = "awareness"; $0.lang = "de" },
        record("2025-03-03T08:00:01.000Z", s4, 2, .message) { $0.text = "hallo" },
        reply("2025-03-03T08:00:01.010Z", s4, 3, intent: "greeting", phase: "awareness", lang: "de", stage: "pattern"),
    ]

    /// The fixture as day files, as the server writes them.
    static func directory() throws -> String {
        let directory = NSTemporaryDirectory() + "treue-replay-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for (day, records) in Dictionary(grouping: records, by: { String($0.ts.prefix(10)) }) {
            var data = Data()
            for record in records {
                data.append(try encoder.encode(record))
                data.append(10)
            }
            try data.write(to: URL(fileURLWithPath: "\(directory)/\(day).jsonl"))
        }
        return directory
    }
}

struct ReplayTests {
    let baseline: KnowledgeBase
    let edited: KnowledgeBase

    init() throws {
        baseline = try ReplayFixture.knowledgeBase(edited: false)
        edited = try ReplayFixture.knowledgeBase(edited: true)
    }

    @Test func theEditsChangeWhatTheyShould() {
        // The premise of the fixture, message by message, through both knowledge bases.
        let interpreter = MessageInterpreter()
        func outcome(_ text: String, _ kb: KnowledgeBase) -> String {
            ReplayOutcome(interpreter.interpret(text, kb: kb, scratch: kb.matcher.makeScratch()), ids: kb.intents.map(\.id)).label
        }
        #expect(outcome("hallo zusammen", baseline) == "greeting")
        #expect(outcome("hallo zusammen", edited) == "(fallback)")
        #expect(outcome("wann kommt mein geld zurück", baseline) == "return_item")
        #expect(outcome("wann kommt mein geld zurück", edited) == "refund_status")
        #expect(outcome("can i buy a gift card", baseline) == "(fallback)")
        #expect(outcome("can i buy a gift card", edited) == "gift_card")
        #expect(outcome("wo ist meine bestellung", edited) == "order_status")
    }

    @Test func aReplayReportsExactlyWhatTheEditChanges() throws {
        var replayer = TranscriptReplayer(baseline: baseline, edited: edited)
        for record in ReplayFixture.records where record.ts < "2025-03-03" { replayer.add(.init(record)) }
        let report = replayer.report()

        #expect(report.messages == 8)
        #expect(report.followUps == 1)
        #expect(report.unchanged == 3)
        #expect(report.before.answered == 7)
        #expect(report.before.fallback == 1)
        #expect(report.after.answered == 6)
        #expect(report.after.fallback == 2)

        #expect(report.lost.count == 2)
        #expect(report.lost.feedback == ReplayReport.Feedback())
        #expect(report.lost.transitions.map { "\($0.from)>\($0.to)=\($0.count)" } == ["greeting>(fallback)=2"])
        #expect(report.lost.transitions.first?.examples.map(\.text) == ["hallo zusammen", "hallo nochmal"])

        #expect(report.switched.count == 2)
        #expect(report.switched.feedback.thumbsDown == 2)
        #expect(report.switched.feedback.lowRating == 1)
        #expect(report.switched.feedback.negative == 2)
        #expect(report.switched.feedback.thumbsUp == 0)
        let switched = try #require(report.switched.transitions.first)
        #expect(report.switched.transitions.count == 1)
        #expect((switched.from, switched.to, switched.count) == ("return_item", "refund_status", 2))
        #expect(switched.examples.map(\.text) == ["wann kommt mein geld zurück", "Geld zurück für die Retoure?"])
        #expect(switched.examples.map(\.thumbsDown) == [true, true])
        #expect(switched.examples.map(\.rating) == [nil, 2])
        // The phase and language the session had at that turn.
        #expect(switched.examples.map { "\($0.phase)/\($0.lang)" } == ["awareness/de", "loyalty/de"])
        #expect(switched.examples.first?.session == ReplayFixture.s1)

        #expect(report.newlyAnswered.count == 1)
        #expect(report.newlyAnswered.feedback.lowRating == 1)
        #expect(report.newlyAnswered.feedback.negative == 1)
        #expect(report.newlyAnswered.feedback.thumbsDown == 0)
        #expect(report.newlyAnswered.transitions.map { "\($0.from)>\($0.to)" } == ["(fallback)>gift_card"])
        #expect(report.newlyAnswered.transitions.first?.examples.first?.rating == 1)

        #expect(report.questionChanged.count == 0)

        let slices = Dictionary(uniqueKeysWithValues: report.slices.map { ("\($0.phase)/\($0.lang)", $0) })
        #expect(slices["awareness/de"]?.messages == 3)
        #expect(slices["awareness/de"]?.lost == 1)
        #expect(slices["awareness/de"]?.switched == 1)
        #expect(slices["service/en"]?.messages == 3)
        #expect(slices["service/en"]?.newlyAnswered == 1)
        #expect(slices["loyalty/de"]?.messages == 2)
        #expect(slices["loyalty/de"]?.switched == 1)
        #expect(slices["loyalty/de"]?.lost == 1)
    }

    @Test func theSameKnowledgeBaseChangesNothing() {
        var replayer = TranscriptReplayer(baseline: baseline, edited: baseline)
        for record in ReplayFixture.records { replayer.add(.init(record)) }
        let report = replayer.report()
        #expect(report.messages == 9)
        #expect(report.unchanged == 9)
        #expect(report.before == report.after)
        #expect(ReplayChangeKind.allCases.allSatisfy { report[$0].count == 0 })
    }

    @Test func filesAreStreamedWithinThePeriod() throws {
        let directory = try ReplayFixture.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A torn last line, as a crash leaves it, is skipped.
        let handle = try #require(FileHandle(forWritingAtPath: directory + "/2025-03-02.jsonl"))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"v":1,"ts":"2025-03-02T10:00:06.000Z","session":"333"#.utf8))
        try handle.close()

        let reader = TranscriptReader(paths: [directory], range: try .init(since: "2025-03-01", until: "2025-03-02"))
        let report = try TranscriptReplayer.replay(reader, baseline: baseline, edited: edited)
        #expect(report.input.files == 2)
        #expect(report.input.filesSkipped == 1)
        #expect(report.input.torn == 1)
        #expect(report.messages == 8)
        #expect(report.lost.count == 2)
        #expect(report.switched.count == 2)
        #expect(report.switched.feedback.thumbsDown == 2)
        #expect(report.newlyAnswered.count == 1)

        let all = try TranscriptReplayer.replay(TranscriptReader(paths: [directory]), baseline: baseline, edited: edited)
        #expect(all.messages == 9)
        #expect(all.lost.count == 3)
    }

    @Test func aMissingDirectoryIsATypedFailure() {
        let reader = TranscriptReader(paths: ["/nonexistent/transcripts"])
        #expect(throws: TranscriptReplayer.Failure.transcripts(.notFound("/nonexistent/transcripts"))) {
            try TranscriptReplayer.replay(reader, baseline: baseline, edited: edited)
        }
        let message = TranscriptReplayer.Failure.transcripts(.notFound("/x")).description
        #expect(message == "cannot replay the transcripts: no transcript directory or file at '/x'")
    }

    @Test func aReplayAskedToStopEndsEarly() throws {
        let directory = NSTemporaryDirectory() + "treue-replay-stop-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let lines = (1...20_000).map { #"{"v":1,"ts":"2025-03-01T10:00:00.000Z","session":"s","seq":\#($0),"type":"command","name":"help"}"# }
        try (lines.joined(separator: "\n") + "\n").write(toFile: directory + "/2025-03-01.jsonl", atomically: true, encoding: .utf8)
        var asked = 0
        #expect(throws: TranscriptReplayer.Failure.stopped) {
            try TranscriptReplayer.replay(TranscriptReader(paths: [directory]), baseline: baseline, edited: edited, shouldStop: {
                asked += 1
                return true
            })
        }
        #expect(asked == 1)
        let finished = try TranscriptReplayer.replay(TranscriptReader(paths: [directory]), baseline: baseline, edited: edited,
                                                     shouldStop: { false })
        #expect(finished.input.records == 20_000)
    }

    @Test func examplesAreCappedAndDistinct() {
        var replayer = TranscriptReplayer(baseline: baseline, edited: edited, examplesPerTransition: 2)
        func add(_ type: TranscriptRecord.Kind, _ text: String? = nil) {
            var record = TranscriptReplayer.Record(ts: "2025-03-01T10:00:00.000Z", session: ReplayFixture.s4, type: type)
            record.text = text
            record.stage = type == .reply ? "pattern" : nil
            replayer.add(record)
        }
        for text in ["Hallo 1", "hallo 22", "HALLO 333", "hallo du", "hallo ihr"] {
            add(.message, text)
            add(.reply)
        }
        let lost = replayer.report().lost
        #expect(lost.count == 5)
        // "hallo 22" and "HALLO 333" differ from "Hallo 1" only in case and digits.
        #expect(lost.transitions.first?.examples.map(\.text) == ["Hallo 1", "hallo du"])
    }

    @Test(arguments: [
        (ReplayOutcome.fallback, ReplayOutcome.intent("a"), ReplayChangeKind?.some(.newlyAnswered)),
        (.outOfScope, .clarify(["a", "b"]), .newlyAnswered),
        (.intent("a"), .fallback, .lost),
        (.clarify(["a", "b"]), .outOfScope, .lost),
        (.intent("a"), .intent("b"), .switched),
        (.intent("a"), .clarify(["b", "c"]), .switched),
        (.clarify(["a", "b"]), .intent("c"), .switched),
        (.intent("a"), .clarify(["a", "b"]), .questionChanged),
        (.clarify(["a", "b"]), .intent("b"), .questionChanged),
        (.clarify(["a", "b"]), .clarify(["a", "c"]), .questionChanged),
        (.clarify(["a", "b"]), .clarify(["b", "a"]), nil),
        (.fallback, .outOfScope, nil),
        (.intent("a"), .intent("a"), nil),
    ])
    func howAChangeCounts(before: ReplayOutcome, after: ReplayOutcome, kind: ReplayChangeKind?) {
        #expect(ReplayOutcome.change(from: before, to: after) == kind)
    }

    @Test func theGateNamesEachLimitExceeded() {
        var report = ReplayReport()
        report.lost.count = 2
        report.switched.count = 2
        let strict = ReplayGate(maxLost: 1, maxSwitched: 2).verdict(for: report)
        #expect(!strict.passed)
        #expect(strict.violations == [ReplayGate.Violation(measure: "lost", count: 2, limit: 1)])
        #expect(strict.description == "exceeded: 2 lost > 1 allowed")
        let both = ReplayGate(maxLost: 0, maxSwitched: 0).verdict(for: report)
        #expect(both.violations.map(\.measure) == ["lost", "switched"])
        #expect(ReplayGate(maxLost: 2, maxSwitched: 2).verdict(for: report).passed)
        #expect(ReplayGate(maxSwitched: 5).verdict(for: report).passed)
        #expect(!ReplayGate().isActive)
        #expect(ReplayGate.exitCode == 3)
    }

    @Test func theTextReportShowsCountsFeedbackAndTheGate() throws {
        var replayer = TranscriptReplayer(baseline: baseline, edited: edited)
        for record in ReplayFixture.records where record.ts < "2025-03-03" { replayer.add(.init(record)) }
        var report = replayer.report()
        report.gate = ReplayGate(maxSwitched: 1).verdict(for: report)
        let text = ReplayTextRenderer().render(report)
        #expect(text.contains("Switched: 2; 2 had negative feedback before (2 thumbs-down, 1 rated 1–2)"))
        #expect(text.contains("return_item → refund_status (2 thumbs-down, 1 rated 1–2)"))
        #expect(text.contains("[de, loyalty] \"Geld zurück für die Retoure?\" (session \(ReplayFixture.s3), thumbs-down, rated 2)"))
        #expect(text.contains("Lost: 2; 0 had negative feedback before"))
        #expect(text.contains("Gate: exceeded: 2 switched > 1 allowed"))
    }
}
