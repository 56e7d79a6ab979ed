import Foundation
import Testing
@testable import TreueCore

/// A small hand-made transcript whose figures are worked out by hand in the comments.
///
/// Session A (2025-03-01 09h, anonymous): 3 messages, 1 matched (order_status), 2 fall back
///   ("blah blah", "blah   BLAH"); phase awareness → service; rates order_status up; /quit, 4.
/// Session B (2025-03-01 10h, login Gold/vip): 4 messages, all matched (one via a slot
///   question); awareness → loyalty at login; rates refund_status down; handoff by intent;
///   /feedback 2.
/// Session D (2025-03-02 12h): 2 messages, "hi" matched, "Do you sell gift cards 2024?" falls back.
/// Session C (2025-03-02 23h, no close: crash): 2 messages, both fall back
///   ("Do you sell GIFT cards 2025?", "do you sell gift   cards 1999?"); /agent handoff;
///   consideration → conversion (demo); feedback 5.
///
/// Sessions 4, messages 11, answered 11, matched 6 (6/11), unmatched 5: "do you sell gift
/// cards ####?" ×3, "blah blah" ×2. Scores 4, 2, 5: mean 11/3. Handoff sessions B and C: 2/4.
enum ReviewFixture {
    static func record(_ ts: String, _ session: String, _ seq: Int, _ type: TranscriptRecord.Kind,
                       _ configure: (inout TranscriptRecord) -> Void = { _ in }) -> TranscriptRecord {
        var record = TranscriptRecord(ts: ts, session: session, seq: seq, type: type)
        configure(&record)
        return record
    }

    static func reply(_ ts: String, _ session: String, _ seq: Int, intent: String?, phase: String, text: String = "…") -> TranscriptRecord {
        record(ts, session, seq, .reply) {
            $0.intent = intent
            $0.phase = phase
            $0.lang = "en"
            $0.text = text
            $0.captures = [:]
            $0.suggestions = []
        }
    }

    static func message(_ ts: String, _ session: String, _ seq: Int, _ text: String) -> TranscriptRecord {
        record(ts, session, seq, .message) { $0.text = text }
    }

    static func fallback(_ ts: String, _ session: String, _ seq: Int, count: Int, phase: String) -> TranscriptRecord {
        record(ts, session, seq, .fallback) {
            $0.count = count
            $0.phase = phase
        }
    }

    static func open(_ ts: String, _ session: String, phase: String) -> TranscriptRecord {
        record(ts, session, 1, .sessionOpen) {
            $0.phase = phase
            $0.lang = "en"
        }
    }

    static let sessionA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    static let sessionB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
    static let sessionC = "cccccccccccccccccccccccccccccccc"
    static let sessionD = "dddddddddddddddddddddddddddddddd"

    static let day1: [TranscriptRecord] = {
        let a = sessionA, b = sessionB
        return [
            open("2025-03-01T09:00:00.000Z", a, phase: "awareness"),
            message("2025-03-01T09:00:05.000Z", a, 2, "Where is my order 12345?"),
            record("2025-03-01T09:00:05.010Z", a, 3, .phaseChange) { $0.from = "awareness"; $0.to = "service"; $0.reason = "signal" },
            reply("2025-03-01T09:00:05.020Z", a, 4, intent: "order_status", phase: "service"),
            record("2025-03-01T09:00:10.000Z", a, 5, .rating) { $0.helpful = true; $0.intent = "order_status" },
            message("2025-03-01T09:01:00.000Z", a, 6, "blah blah"),
            fallback("2025-03-01T09:01:00.010Z", a, 7, count: 1, phase: "service"),
            reply("2025-03-01T09:01:00.020Z", a, 8, intent: nil, phase: "service"),
            open("2025-03-01T10:00:00.000Z", b, phase: "awareness"),
            message("2025-03-01T09:02:00.000Z", a, 9, "blah   BLAH"),
            fallback("2025-03-01T09:02:00.010Z", a, 10, count: 2, phase: "service"),
            reply("2025-03-01T09:02:00.020Z", a, 11, intent: nil, phase: "service"),
            record("2025-03-01T09:03:00.000Z", a, 12, .command) { $0.name = "quit" },
            record("2025-03-01T09:03:02.000Z", a, 13, .feedback) { $0.score = 4 },
            record("2025-03-01T09:03:02.001Z", a, 14, .sessionClose) { $0.reason = "quit" },
            record("2025-03-01T10:00:10.000Z", b, 2, .login) {
                $0.customer = "K-1001"; $0.verified = true; $0.phase = "loyalty"; $0.tier = "Gold"; $0.segment = "vip"
            },
            record("2025-03-01T10:00:10.001Z", b, 3, .phaseChange) { $0.from = "awareness"; $0.to = "loyalty"; $0.reason = "login" },
            message("2025-03-01T10:01:00.000Z", b, 4, "How many points do I have?"),
            reply("2025-03-01T10:01:00.010Z", b, 5, intent: "loyalty_points", phase: "loyalty", text: "You have 1,200 points."),
            message("2025-03-01T10:02:00.000Z", b, 6, "I want a refund for my order"),
            record("2025-03-01T10:02:00.010Z", b, 7, .slotPrompt) { $0.intent = "refund_status"; $0.slot = "order" },
            message("2025-03-01T10:02:30.000Z", b, 8, "555"),
            reply("2025-03-01T10:02:30.010Z", b, 9, intent: "refund_status", phase: "loyalty"),
            record("2025-03-01T10:03:00.000Z", b, 10, .rating) { $0.helpful = false; $0.intent = "refund_status" },
            message("2025-03-01T10:04:00.000Z", b, 11, "Talk to a human pls"),
            record("2025-03-01T10:04:00.010Z", b, 12, .handoff) { $0.ticket = "T-AAAA1111"; $0.reason = "intent"; $0.intent = "agent_request" },
            reply("2025-03-01T10:04:00.020Z", b, 13, intent: "agent_request", phase: "loyalty", text: "A colleague will call you.\nTicket T-AAAA1111."),
            record("2025-03-01T10:05:00.000Z", b, 14, .feedback) { $0.score = 2; $0.comment = "slow" },
            record("2025-03-01T10:05:01.000Z", b, 15, .sessionClose) { $0.reason = "quit" },
        ]
    }()

    static let day2: [TranscriptRecord] = {
        let c = sessionC, d = sessionD
        return [
            open("2025-03-02T12:00:00.000Z", d, phase: "awareness"),
            message("2025-03-02T12:00:01.000Z", d, 2, "hi"),
            reply("2025-03-02T12:00:01.010Z", d, 3, intent: "greeting", phase: "awareness"),
            message("2025-03-02T12:00:30.000Z", d, 4, "Do you sell gift cards 2024?"),
            fallback("2025-03-02T12:00:30.010Z", d, 5, count: 1, phase: "awareness"),
            reply("2025-03-02T12:00:30.020Z", d, 6, intent: nil, phase: "awareness"),
            record("2025-03-02T12:01:00.000Z", d, 7, .sessionClose) { $0.reason = "disconnect" },
            open("2025-03-02T23:00:00.000Z", c, phase: "consideration"),
            message("2025-03-02T23:00:01.000Z", c, 2, "Do you sell GIFT cards 2025?"),
            fallback("2025-03-02T23:00:01.010Z", c, 3, count: 1, phase: "consideration"),
            reply("2025-03-02T23:00:01.020Z", c, 4, intent: nil, phase: "consideration"),
            message("2025-03-02T23:00:20.000Z", c, 5, "do you sell gift   cards 1999?"),
            fallback("2025-03-02T23:00:20.010Z", c, 6, count: 2, phase: "consideration"),
            reply("2025-03-02T23:00:20.020Z", c, 7, intent: nil, phase: "consideration"),
            record("2025-03-02T23:00:40.000Z", c, 8, .command) { $0.name = "agent" },
            record("2025-03-02T23:00:40.010Z", c, 9, .handoff) { $0.ticket = "T-BBBB2222"; $0.reason = "customer" },
            reply("2025-03-02T23:00:40.020Z", c, 10, intent: nil, phase: "consideration"),
            record("2025-03-02T23:01:00.000Z", c, 11, .phaseChange) { $0.from = "consideration"; $0.to = "conversion"; $0.reason = "demo" },
            record("2025-03-02T23:02:00.000Z", c, 12, .feedback) { $0.score = 5 },
        ]
    }()

    static func lines(_ records: [TranscriptRecord]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return records.map { record in
            (try? encoder.encode(record)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }.joined(separator: "\n") + "\n"
    }

    /// A fresh directory under `root` holding `files` (name → contents).
    static func directory(_ files: [String: String], in root: String) throws -> String {
        let path = (root as NSString).appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, contents) in files {
            try Data(contents.utf8).write(to: URL(fileURLWithPath: (path as NSString).appendingPathComponent(name)))
        }
        return path
    }

    /// Both days in one directory, with one garbage line and one torn last line.
    static func standardDirectory(in root: String) throws -> String {
        let garbage = "this is not json\n{\"v\":1,\"ts\":\"2025-03-02T12:00:00.500Z\",\"session\":\"x\",\"seq\":1,\"type\":\"no_such_type\"}\n"
        let torn = "{\"v\":1,\"ts\":\"2025-03-02T23:03:00.000Z\",\"session\":\"\(sessionC)\",\"seq\":13,\"type\":\"mess"
        return try directory([
            "2025-03-01.jsonl": lines(day1),
            "2025-03-02.jsonl": lines(Array(day2.prefix(3))) + garbage + lines(Array(day2.dropFirst(3))) + torn,
            "notes.txt": "not a transcript",
        ], in: root)
    }
}

/// A class so that each test's temporary files go away with its instance.
@Suite final class ReviewTests {
    let root = (NSTemporaryDirectory() as NSString).appendingPathComponent("treue-review-tests-\(UUID().uuidString)")

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func directory(_ files: [String: String]) throws -> String { try ReviewFixture.directory(files, in: root) }

    func standardDirectory() throws -> String { try ReviewFixture.standardDirectory(in: root) }

    func review(_ paths: [String], since: String? = nil, until: String? = nil, chunkSize: Int? = nil) throws -> ReviewReport {
        var reader = TranscriptReader(paths: paths, range: try TranscriptReader.TimeRange(since: since, until: until))
        if let chunkSize { reader.chunkSize = chunkSize }
        return try ReviewAggregator.review(reader)
    }

    @Test func handMadeTranscriptFigures() throws {
        let report = try review([try standardDirectory()])
        #expect(report.sessions == 4)
        #expect(report.messages == 11)
        #expect(report.replies == 11)
        #expect(report.answeredMessages == 11)
        #expect(report.matchedMessages == 6)
        #expect(report.matchRate == 6.0 / 11.0)
        #expect(report.fallbacks == 5)
        #expect(report.commands == 2)

        #expect(report.unmatchedMessages == 5)
        #expect(report.unmatchedDistinct == 2)
        #expect(report.unmatched == [
            .init(normalized: "do you sell gift cards ####?", count: 3, example: "Do you sell gift cards 2024?"),
            .init(normalized: "blah blah", count: 2, example: "blah blah"),
        ])

        let satisfaction = report.satisfaction
        #expect(satisfaction.overall.distribution == [0, 1, 0, 1, 1])
        #expect(satisfaction.overall.count == 3)
        #expect(abs((satisfaction.overall.mean ?? 0) - 11.0 / 3.0) < 1e-9)
        #expect(satisfaction.byPhase.first { $0.name == "service" }?.scores.mean == 4)
        #expect(satisfaction.byPhase.first { $0.name == "loyalty" }?.scores.mean == 2)
        #expect(satisfaction.byPhase.first { $0.name == "conversion" }?.scores.mean == 5)
        #expect(satisfaction.byIntent.first { $0.name == "order_status" }?.scores.mean == 4)
        #expect(satisfaction.byIntent.first { $0.name == "agent_request" }?.scores.mean == 2)
        #expect(satisfaction.byIntent.first { $0.name == "(none)" }?.scores.mean == 5)
        #expect(satisfaction.byTier.first { $0.name == "(anonymous)" }?.scores.mean == 4.5)
        #expect(satisfaction.byTier.first { $0.name == "Gold" }?.scores.mean == 2)
        #expect(satisfaction.bySegment.first { $0.name == "vip" }?.scores.count == 1)

        #expect(report.helpfulness == [
            .init(intent: "order_status", up: 1, down: 0),
            .init(intent: "refund_status", up: 0, down: 1),
        ])
        #expect(report.handoffs == 2)
        #expect(report.sessionsWithHandoff == 2)
        #expect(report.handoffRate == 0.5)
        #expect(report.containmentRate == 0.5)
        #expect(Set(report.handoffReasons.map(\.name)) == ["intent", "customer"])

        #expect(report.phaseMovements.count == 3)
        for (from, to) in [("awareness", "service"), ("awareness", "loyalty"), ("consideration", "conversion")] {
            #expect(report.phaseMovements.contains(.init(from: from, to: to, count: 1)))
        }

        let loyalty = report.intentsByPhase.first { $0.phase == "loyalty" }
        #expect(loyalty?.matched == 3)
        #expect(loyalty?.fallbacks == 0)
        #expect(report.intentsByPhase.first { $0.phase == "service" }.map { ($0.matched, $0.fallbacks) } ?? (0, 0) == (1, 2))
        #expect(report.intentsByPhase.first { $0.phase == "consideration" }?.fallbacks == 2)

        #expect(report.days == [
            .init(day: "2025-03-01", sessions: 2, messages: 7),
            .init(day: "2025-03-02", sessions: 2, messages: 4),
        ])
        var hours = [Int](repeating: 0, count: 24)
        hours[9] = 3; hours[10] = 4; hours[12] = 2; hours[23] = 2
        #expect(report.messagesByHour == hours)
        #expect(report.firstTimestamp == "2025-03-01T09:00:00.000Z")
        #expect(report.lastTimestamp == "2025-03-02T23:02:00.000Z")
    }

    @Test func garbageAndTornLinesAreSkippedAndCounted() throws {
        let report = try review([try standardDirectory()])
        #expect(report.input.files == 2) // notes.txt is not read
        #expect(report.input.malformed == 2) // plain text and an unknown record type
        #expect(report.input.torn == 1)
        #expect(report.input.records == ReviewFixture.day1.count + ReviewFixture.day2.count)
    }

    @Test func tinyChunksGiveTheSameReport() throws {
        let directory = try standardDirectory()
        #expect(try review([directory], chunkSize: 7) == review([directory]))
    }

    @Test func overLongLineIsSkipped() throws {
        let long = "{\"text\":\"" + String(repeating: "x", count: 5000) + "\"}\n"
        let directory = try directory(["2025-03-01.jsonl": long + ReviewFixture.lines(ReviewFixture.day1)])
        var reader = TranscriptReader(paths: [directory])
        reader.chunkSize = 256
        reader.maxLineLength = 1024
        let report = try ReviewAggregator.review(reader)
        #expect(report.input.malformed == 1)
        #expect(report.sessions == 2)
        #expect(report.messages == 7)
    }

    @Test func emptyAndCRLFLinesAreTolerated() throws {
        let text = ReviewFixture.lines(ReviewFixture.day1).replacingOccurrences(of: "\n", with: "\r\n\n")
        let report = try review([try directory(["2025-03-01.jsonl": text])])
        #expect(report.input.malformed == 0)
        #expect(report.messages == 7)
    }

    @Test func sinceAndUntilByDay() throws {
        let directory = try standardDirectory()
        let second = try review([directory], since: "2025-03-02")
        #expect(second.sessions == 2)
        #expect(second.messages == 4)
        #expect(second.input.filesSkipped == 1)
        let first = try review([directory], until: "2025-03-01")
        #expect(first.sessions == 2)
        #expect(first.messages == 7)
        #expect(first.days.map(\.day) == ["2025-03-01"])
    }

    @Test func sinceAndUntilByTimestamp() throws {
        let directory = try standardDirectory()
        let late = try review([directory], since: "2025-03-02T20:00:00Z")
        #expect(late.sessions == 1)
        #expect(late.messages == 2)
        #expect(late.input.outOfRange == 7)
        // An offset is converted to UTC: 11:00+01:00 is 10:00Z, the end of session A.
        let morning = try review([directory], since: "2025-03-01T09:00:05Z", until: "2025-03-01T11:00:00+01:00")
        #expect(morning.sessions == 2) // A, and B's session_open at exactly 10:00:00.000
        #expect(morning.messages == 3)
        #expect(throws: TranscriptReader.Failure.badDate("yesterday")) { try TranscriptReader.TimeRange(since: "yesterday", until: nil) }
        #expect(throws: TranscriptReader.Failure.self) { try TranscriptReader.TimeRange(since: nil, until: "2025-02-30") }
    }

    @Test func severalDirectories() throws {
        let berlin = try directory(["2025-03-01.berlin.jsonl": ReviewFixture.lines(ReviewFixture.day1)])
        let hamburg = try directory(["2025-03-02.hamburg.jsonl": ReviewFixture.lines(ReviewFixture.day2)])
        let split = try review([berlin, hamburg])
        var combined = try review([try standardDirectory()])
        #expect(split.input.files == 2)
        combined.input = split.input
        #expect(split == combined)
        #expect(throws: TranscriptReader.Failure.notFound("/no/such/dir")) { try review([berlin, "/no/such/dir"]) }
    }

    @Test func jsonRoundTrips() throws {
        let report = try review([try standardDirectory()])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(report)
        #expect(try JSONDecoder().decode(ReviewReport.self, from: data) == report)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"containmentRate\":0.5"))
    }

    @Test func normalization() {
        #expect(ReviewAggregator.normalize("  Where IS\tmy order\n 12345 ?? ") == "where is my order ##### ??")
        #expect(ReviewAggregator.normalize("") == "")
        #expect(ReviewAggregator.normalize("Straße ٣") == "straße #")
    }

    @Test func htmlIsSelfContainedAndEscaped() throws {
        var aggregator = ReviewAggregator()
        for record in ReviewFixture.day1 + ReviewFixture.day2 { aggregator.add(record) }
        aggregator.add(ReviewFixture.message("2025-03-02T23:05:00.000Z", "eeee", 1, "<script>alert(\"x & y\")</script>"))
        aggregator.add(ReviewFixture.reply("2025-03-02T23:05:00.010Z", "eeee", 2, intent: nil, phase: "awareness"))
        let html = ReviewHTMLRenderer().render(aggregator.report())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg"))
        let pairs = [("<html ", "</html>"), ("<head>", "</head>"), ("<body>", "</body>"), ("<section ", "</section>"), ("<table>", "</table>"),
                     ("<svg ", "</svg>"), ("<style>", "</style>"), ("<main>", "</main>"), ("<tr>", "</tr>"), ("<title>", "</title>"), ("<rect ", "</rect>")]
        for (open, close) in pairs {
            #expect(html.components(separatedBy: open).count == html.components(separatedBy: close).count, "unbalanced \(open)")
        }
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x &amp; y&quot;)&lt;/script&gt;"))
        #expect(!html.contains("src="))
        #expect(!html.contains("href="))
        #expect(!html.contains("@import"))
        for figure in ["Match rate", "Containment rate", "Unmatched messages", "Satisfaction", "Phase movements",
                       "do you sell gift cards ####?", "order_status", "Gold"] {
            #expect(html.contains(figure), "missing \(figure)")
        }
    }

    @Test func htmlShowsTheFigures() throws {
        let html = ReviewHTMLRenderer().render(try review([try standardDirectory()]))
        #expect(html.contains("<dd>4</dd>")) // sessions
        #expect(html.contains("<dd>54.5 %</dd>")) // match rate
        #expect(html.contains("<dd>50.0 %</dd>")) // containment and handoff rate
        #expect(html.contains("<dd>3.67</dd>")) // mean satisfaction
    }

    @Test func textReportShowsTheFigures() throws {
        let text = ReviewTextRenderer().render(try review([try standardDirectory()]))
        #expect(text.contains("54.5 % (6 of 11 answered messages)"))
        #expect(text.contains("Containment rate"))
        #expect(text.contains("do you sell gift cards ####?"))
        #expect(text.contains("awareness → loyalty"))
        #expect(text.contains("2 malformed line(s), 1 torn last line(s)"))
    }

    @Test func csvQuotesPerRFC4180() {
        var aggregator = ReviewAggregator()
        let texts = ["plain text", "comma, here", "say \"hi\"", "two\nlines", "say \"hi\""]
        for (index, text) in texts.enumerated() {
            let session = "s\(index)"
            aggregator.add(ReviewFixture.message("2025-03-01T09:00:0\(index).000Z", session, 1, text))
            aggregator.add(ReviewFixture.reply("2025-03-01T09:00:0\(index).100Z", session, 2, intent: nil, phase: "awareness"))
        }
        let csv = ReviewCSVRenderer().render(aggregator.report())
        #expect(csv == "count,normalized,example\r\n"
            + "2,\"say \"\"hi\"\"\",\"say \"\"hi\"\"\"\r\n"
            + "1,\"comma, here\",\"comma, here\"\r\n"
            + "1,plain text,plain text\r\n"
            + "1,two lines,\"two\nlines\"\r\n")
    }

    @Test func dialogueOfOneSession() throws {
        let standard = try standardDirectory()
        let other = try directory(["2025-03-03.jsonl": "{\"session\":\"\(ReviewFixture.sessionB)\" broken\n"])
        let dialogue = try TranscriptDialogue.load(session: ReviewFixture.sessionB, reader: TranscriptReader(paths: [other, standard]))
        #expect(dialogue.records.map(\.seq) == Array(1...15))
        #expect(dialogue.input.malformed == 1)
        let text = dialogue.render()
        let expected = [
            "Session \(ReviewFixture.sessionB)",
            "2025-03-01",
            "  10:00:00.000  -- session opened [phase awareness, en]",
            "  10:00:10.000  -- login: customer K-1001, verified, phase loyalty, tier Gold, segment vip",
            "  10:00:10.001  -- phase awareness → loyalty (login)",
            "  10:01:00.000  customer: How many points do I have?",
            "  10:01:00.010  bot: [loyalty_points, phase loyalty, en] You have 1,200 points.",
            "  10:02:00.010  -- asks for slot 'order' of refund_status",
            "  10:03:00.000  -- rated not helpful: refund_status",
            "  10:04:00.010  -- handoff, ticket T-AAAA1111 (intent, intent agent_request)",
            "  10:04:00.020  bot: [agent_request, phase loyalty, en] A colleague will call you.",
            "                     Ticket T-AAAA1111.",
            "  10:05:00.000  -- satisfaction 2/5: slow",
            "  10:05:01.000  -- session closed (quit)",
        ]
        for line in expected { #expect(text.contains(line + "\n"), "missing: \(line)") }
        #expect(!text.contains(ReviewFixture.sessionA))
        #expect(throws: TranscriptDialogue.Failure.sessionNotFound("ffff")) {
            try TranscriptDialogue.load(session: "ffff", reader: TranscriptReader(paths: [standard]))
        }
    }
}
