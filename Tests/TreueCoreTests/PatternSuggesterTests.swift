import Foundation
import Testing
@testable import TreueCore

/// `treue suggest`: drafts that compile, match the cluster and nothing else, and load when
/// pasted into a copy of the shipped knowledge base.
@Suite struct PatternSuggesterTests {
    static var shipped: KnowledgeBase { UnderstandingTests.shipped }

    /// A copy of Intents/ in a fresh temporary folder.
    static func copyOfIntents() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("treue-suggest-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: shipped.directory!, toPath: folder)
        return folder
    }

    static func cluster(_ texts: [String], nearest: String? = nil) -> GapCluster {
        var recorder = GapRecorder()
        for text in texts { recorder.add(text, kind: .fallback, day: 0) }
        var cluster = GapClusterer(kb: shipped).report(recorder, period: 0...0, outOfScope: 0).clusters[0]
        if let nearest {
            cluster.nearest = NearestIntentFinder.Candidate(intent: nearest, score: 5, coverage: 0.7, matched: 2, shared: [], example: nil)
        }
        return cluster
    }

    @Test func aNewTopicBecomesANewIntentThatLoadsAndAnswersTheCluster() throws {
        let texts = ["do you sell wholesale", "wholesale prices for resellers 250 units", "sell wholesale to shops?", "wholesale inquiry from a store"]
        let cluster = Self.cluster(texts)
        #expect(cluster.isNewTopic)
        let suggestion = PatternSuggester(kb: Self.shipped).suggest(cluster)
        #expect(suggestion.isNewIntent)
        #expect(suggestion.check.compiles && suggestion.check.loads)
        #expect(suggestion.check.clusterMatched == 4 && suggestion.check.clusterMessages == 4)
        #expect(suggestion.check.otherExamplesMatched.isEmpty && suggestion.check.counterExamplesMatched.isEmpty)
        #expect(suggestion.check.otherExamples > 1000 && suggestion.check.counterExamples > 100)
        #expect(suggestion.snippet.contains("matches 4 of 4 message(s)") || suggestion.snippet.contains("match 4 of 4 message(s)"))
        #expect(suggestion.patterns["en"]?.first?.contains("wholesal") == true)

        // Pasted as a file into a copy of Intents/, it loads with the real loader, and the
        // new intent answers every message of the cluster.
        let folder = try Self.copyOfIntents()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try suggestion.snippet.write(toFile: folder + "/suggested.yaml", atomically: true, encoding: .utf8)
        let (kb, diagnostics) = KnowledgeBase.load(directory: folder)
        let edited = try #require(kb, "\(diagnostics.filter { $0.severity == .error })")
        let scratch = edited.matcher.makeScratch()
        for text in texts {
            let understood = MessageInterpreter().interpret(text, kb: edited, scratch: scratch)
            #expect(understood.intentIndex.map { edited.intents[$0].id } == suggestion.intent, "\(text)")
        }
        // The examples it brings pass `treue check`.
        let errors = KnowledgeBaseChecker(kb: edited, directory: .empty).check().filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors)")
    }

    @Test func aClusterNearAnIntentGetsPatternsForItThatLoadWhenPasted() throws {
        let texts = ["how much is gift wrapping", "can you gift wrap order 1716788642", "gift wrap please, it's a present", "is gift wrapping free"]
        let cluster = Self.cluster(texts, nearest: "gift_card")
        let suggestion = PatternSuggester(kb: Self.shipped).suggest(cluster)
        #expect(!suggestion.isNewIntent && suggestion.intent == "gift_card")
        #expect(suggestion.check.isClean, "\(suggestion.check)")
        #expect(suggestion.check.clusterMatched == 4)
        let pattern = try #require(suggestion.patterns["en"]?.first)
        #expect(pattern.contains("gift") && pattern.contains("wrap"))

        // Paste: the patterns go under gift_card's English patterns (the snippet says after
        // which line), the rest of the snippet is a file of its own.
        let folder = try Self.copyOfIntents()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let intent = try #require(Self.shipped.intent(id: "gift_card"))
        let last = try #require(intent.patterns.filter { $0.language == "en" }.map(\.location).max { $0.line < $1.line })
        #expect(suggestion.snippet.contains("after \((last.file as NSString).lastPathComponent):\(last.line)"))
        let file = folder + "/" + (last.file as NSString).lastPathComponent
        var lines = try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: "\n")
        let indent = String(lines[last.line - 1].prefix { $0 == " " })
        let pasted = suggestion.snippet.components(separatedBy: "\n").drop { !$0.contains("Add to its patterns, under en") }.dropFirst()
            .prefix { $0.hasPrefix("#   - ") }.map { indent + $0.dropFirst(4) }
        #expect(!pasted.isEmpty)
        lines.insert(contentsOf: pasted, at: last.line)
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        try suggestion.snippet.write(toFile: folder + "/suggested.yaml", atomically: true, encoding: .utf8)
        let (kb, diagnostics) = KnowledgeBase.load(directory: folder)
        let edited = try #require(kb, "\(diagnostics.filter { $0.severity == .error })")
        let scratch = edited.matcher.makeScratch()
        for text in texts {
            #expect(edited.matcher.match(text, scratch: scratch).winner.map { edited.intents[$0.intentIndex].id } == "gift_card", "\(text)")
        }
    }

    @Test func draftsUseTheVocabularyWhereAWordBelongsToIt() {
        let suggester = PatternSuggester(kb: Self.shipped)
        let cluster = Self.cluster(["my parcel is stuck in customs", "parcel stuck at customs since monday", "customs has my parcel"])
        let suggestion = suggester.suggest(cluster)
        let all = suggestion.patterns.values.flatMap { $0 }.joined(separator: " ")
        #expect(all.contains("(?&order_en)") || all.contains("custom"), "\(all)")
        #expect(suggestion.check.compiles)
    }

    @Test func newIntentIDsAreSnakeCaseAndUnused() {
        let suggester = PatternSuggester(kb: Self.shipped)
        #expect(suggester.newIntentID(["gift", "wrap"]) == "gift_wrap")
        #expect(suggester.newIntentID(["order", "status"]) == "order_status_2")
        #expect(suggester.newIntentID(["größe"]) == "gre")
        #expect(suggester.newIntentID([]) == "new_topic")
    }
}
