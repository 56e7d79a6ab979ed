import Foundation
import Testing
@testable import TreueCore

/// Gaps grouped by meaning (`treue review`'s "What to add next") and the nearest intent.
@Suite struct GapClusteringTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var shipped: KnowledgeBase { UnderstandingTests.shipped }

    static func file(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    // MARK: - Words of a gap

    @Test(arguments: [
        ("I was charged twice for 123456", "i was charged twice for #98765432"),
        ("Hallo, ich bin Frau Schmidt. Geschenkverpackung möglich?", "Geschenkverpackung möglich? [email]"),
        ("my name is Tom, do you sell wholesale", "wholesale, sell? anna@example.com"),
        ("AB12CD: Zoll bezahlen?", "zoll bezahlen"),
    ])
    func numbersCodesAddressesAndNamesDoNotSplitAGroup(_ a: String, _ b: String) {
        let left = GapWords.analyse(a).words, right = GapWords.analyse(b).words
        #expect(GapWords.key(left) == GapWords.key(right), "\(left) vs \(right)")
        #expect(!left.isEmpty)
    }

    @Test func languageIsToldByFunctionWords() {
        #expect(GapWords.analyse("kann ich das im Laden abholen").language == "de")
        #expect(GapWords.analyse("can I pick it up in the store").language == "en")
    }

    // MARK: - Bounded memory and recent growth

    @Test func distinctTextsBeyondTheCapAreOnlyCounted() {
        var recorder = GapRecorder(capacity: 3)
        for index in 0..<10 { recorder.add("topic\(String(repeating: "x", count: index)) words", kind: .fallback, day: 0) }
        recorder.add("topic words 123", kind: .fallback, day: 0)
        #expect(recorder.entries.count == 3)
        #expect(recorder.dropped == 7)
        #expect(recorder.messages == 11)
        #expect(recorder.entries["topic words"]?.count == 2)
    }

    @Test func recentCountsAreExactForThePeriodsLastSevenDays() {
        var recorder = GapRecorder()
        // Days 100…119, one message a day, in an order like several directories give.
        for day in Array(110...119) + Array(100...109) { recorder.add("gift wrapping please", kind: .fallback, day: day) }
        let entry = recorder.entries["gift wrapping"]!
        #expect(entry.count == 20)
        #expect(entry.count(since: 113) == 7)
        #expect(entry.days.count <= GapRecorder.recentDays)
    }

    @Test func aTopicOnlyInTheLastWeekIsNewAndRisesFirst() {
        var recorder = GapRecorder()
        for day in 0..<30 { recorder.add("do you sell wholesale", kind: .fallback, day: day) }
        for day in 25..<30 { recorder.add("is gift wrapping available", kind: .fallback, day: day); recorder.add("gift wrapping for my order", kind: .fallback, day: day) }
        let report = GapClusterer(kb: Self.shipped).report(recorder, period: 0...29, outOfScope: 0)
        let gift = try! #require(report.clusters.first { $0.words.contains("gift") })
        let wholesale = try! #require(report.clusters.first { $0.words.contains("wholesale") })
        #expect(gift.isNew && gift.recent == 10 && gift.risingRank == 1)
        #expect(wholesale.recent == 7 && wholesale.earlier == 23 && wholesale.growth.map { abs($0 - 1) < 0.01 } == true)
        #expect(wholesale.risingRank == nil)
        #expect(report.periodDays == 30)
    }

    // MARK: - Grouping

    @Test func paraphrasesTyposAndNumbersMeetUnrelatedTopicsStayApart() {
        let texts = ["I was charged twice for 123456", "i was chagred twice for order 98765432", "you charged me twice!!",
                     "do you sell wholesale", "wholesale prices for resellers", "do you sell wholesale? 250 units",
                     "Geschenkverpackung möglich?", "bietet ihr geschenkverpackung an", "geschenkverpakung für paket 1234567"]
        var recorder = GapRecorder()
        for text in texts { recorder.add(text, kind: .fallback, day: 0) }
        let report = GapClusterer(kb: Self.shipped).report(recorder, period: 0...0, outOfScope: 0)
        #expect(report.clusterCount == 3, "\(report.clusters.map(\.words))")
        #expect(report.clusters.allSatisfy { $0.messages == 3 })
    }

    /// The quality bar: generated gap messages of ten known topics (Tests/eval/gap-corpus.tsv,
    /// from make_gap_corpus.py), grouped as `treue review` groups them.
    @Test func generatedCorpusIsGroupedPurely() throws {
        let quality = ClusterQuality.evaluate(tsv: try Self.file("Tests/eval/gap-corpus.tsv"), kb: Self.shipped)
        print(quality.text)
        #expect(quality.messages == 360)
        #expect(quality.purity >= 0.9)
        // Not one cluster per text: most of a topic's messages in one language meet.
        #expect(quality.completenessByLanguage >= 0.75)
        #expect(quality.clusters <= 60)
    }

    /// Topics written after the settings were chosen, only measured.
    @Test func heldOutCorpusIsGroupedPurely() throws {
        let quality = ClusterQuality.evaluate(tsv: try Self.file("Tests/eval/gap-corpus-heldout.tsv"), kb: Self.shipped)
        print(quality.text)
        #expect(quality.purity >= 0.9)
        #expect(quality.completenessByLanguage >= 0.7)
    }

    // MARK: - Nearest intent

    /// The quality bar on a set that ships with the repository: in-scope messages ranked as
    /// if no pattern had matched.
    @Test func nearestIntentIsRightOnTheHeldOutSet() throws {
        let result = NearestIntentEvaluation.evaluate(tsv: try Self.file("Tests/eval/heldout.tsv"), kb: Self.shipped)
        print(result.text)
        #expect(result.messages > 50)
        #expect(result.topOneRate >= 0.8)
        #expect(result.topThreeRate >= 0.95)
    }

    @Test func aClusterNearAnIntentNamesItWithTheSharedWordsAndANewTopicSaysSo() {
        var recorder = GapRecorder()
        for text in ["ich möchte mein kundenkonto komplett löschen bitte", "kundenkonto löschen wie", "wie lösche ich mein kundenkonto"] {
            recorder.add(text, kind: .fallback, day: 0)
        }
        for text in ["do you sell wholesale", "wholesale for resellers", "sell wholesale"] { recorder.add(text, kind: .fallback, day: 0) }
        let report = GapClusterer(kb: Self.shipped).report(recorder, period: 0...0, outOfScope: 0)
        let account = try! #require(report.clusters.first { $0.words.contains("kundenkonto") })
        #expect(account.nearest?.intent == "account_delete")
        #expect(account.nearest?.shared.contains("kundenkonto") == true)
        let wholesale = try! #require(report.clusters.first { $0.words.contains("wholesale") })
        #expect(wholesale.isNewTopic)
        #expect(wholesale.nearestText == "no intent is close: new topic")
    }

    // MARK: - From transcripts

    static func session(_ id: String, day: String, _ records: [(TranscriptRecord.Kind, (inout TranscriptRecord) -> Void)]) -> [TranscriptRecord] {
        records.enumerated().map { index, item in
            ReviewFixture.record("\(day)T10:00:\(String(format: "%02d", index)).000Z", id, index + 1, item.0, item.1)
        }
    }

    @Test func fallbacksClarifiedAndThumbsDownAreGapsOutOfScopeIsNot() {
        let s = String(repeating: "a", count: 32)
        let records = Self.session(s, day: "2025-03-01", [
            (.sessionOpen, { $0.phase = "awareness" }),
            (.message, { $0.text = "do you sell wholesale 123456" }),
            (.reply, { $0.intent = nil; $0.stage = "none"; $0.phase = "awareness" }),
            (.message, { $0.text = "wie wird das wetter" }),
            (.reply, { $0.intent = nil; $0.stage = "out_of_scope"; $0.phase = "awareness" }),
            (.message, { $0.text = "gutschein punkte einlösen" }),
            (.reply, { $0.intent = nil; $0.stage = "clarify"; $0.phase = "awareness" }),
            (.message, { $0.text = "1" }),
            (.reply, { $0.intent = "voucher_redeem"; $0.stage = "clarified"; $0.phase = "awareness" }),
            (.message, { $0.text = "wo ist mein paket" }),
            (.reply, { $0.intent = "order_status"; $0.stage = "pattern"; $0.phase = "service" }),
            (.rating, { $0.helpful = false; $0.intent = "order_status" }),
            (.rating, { $0.helpful = false; $0.intent = "order_status" }),
        ])
        var aggregator = ReviewAggregator()
        for record in records { aggregator.add(record) }
        #expect(aggregator.report().gaps == nil)
        let gaps = aggregator.gapReport(GapClusterer(kb: Self.shipped))
        #expect((gaps.messages, gaps.fallback, gaps.clarify, gaps.thumbsDown, gaps.outOfScope) == (3, 1, 1, 1, 1))
        let texts = Set(gaps.clusters.flatMap(\.examples))
        #expect(texts == ["do you sell wholesale 123456", "gutschein punkte einlösen", "wo ist mein paket"])
    }

    @Test func everyFormatCarriesTheClusters() throws {
        var recorder = GapRecorder()
        for text in ["do you sell wholesale", "wholesale =prices", "sell wholesale"] { recorder.add(text, kind: .fallback, day: 0) }
        var report = ReviewAggregator().report()
        report.gaps = GapClusterer(kb: Self.shipped).report(recorder, period: 0...0, outOfScope: 0)
        let text = ReviewTextRenderer().render(report)
        #expect(text.contains("What to add next") && text.contains("no intent is close: new topic") && text.contains("wholesale"))
        let csv = ReviewCSVRenderer().renderGaps(report)
        let rows = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.count == 2 && rows[1].hasPrefix("1,3,2,3,0,0,"))
        #expect(rows[1].contains("new topic") && rows[1].contains("wholesale"))
        let html = ReviewHTMLRenderer().render(report)
        #expect(html.contains("<section id=\"gaps\"><h2>What to add next</h2>"))
        #expect(html.contains("no intent is close: new topic"))
        let json = try JSONEncoder().encode(report)
        let decoded = try JSONDecoder().decode(ReviewReport.self, from: json)
        #expect(decoded.gaps?.clusters.first?.messages == 3)
    }
}
