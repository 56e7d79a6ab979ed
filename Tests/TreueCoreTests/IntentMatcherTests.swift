import Foundation
import Testing
import PCRE2Swift
@testable import TreueCore

struct IntentMatcherTests {
    let kb = TestKnowledgeBase.load()

    func intent(_ text: String) -> String? {
        let report = kb.matcher.match(text, scratch: kb.matcher.makeScratch())
        return report.winner.map { kb.intents[$0.intentIndex].id }
    }

    @Test(arguments: [
        ("Wo ist meine Bestellung 12345678?", "order_status"),
        ("ich will das zurueckschicken", "return_item"),
        ("ICH WILL DAS ZURÜCKSCHICKEN", "return_item"),
        ("Rücksendung", "return_item"),
        ("Ruecksendung", "return_item"),
        ("Hallo", "greeting"),
        ("Hallo, wo bleibt mein Paket?", "order_status"),
        ("wie wird das wetter morgen", nil),
    ] as [(String, String?)])
    func choosesTheIntent(_ text: String, _ expected: String?) {
        #expect(intent(text) == expected)
    }

    @Test func priorityBeatsALongerMatch() {
        // greeting (-10) and complaint (-5) both match; the higher priority wins although
        // the greeting's match starts first.
        #expect(intent("Hallo, das ist eine Frechheit") == "complaint")
    }

    @Test func capturesKeepTheCustomersSpelling() throws {
        let report = kb.matcher.match("wo ist mein paket #1234567", scratch: kb.matcher.makeScratch())
        let winner = try #require(report.winner)
        #expect(winner.captures["order"] == "#1234567")
        #expect(winner.language == "de")
    }

    @Test func onlyCandidatePatternsRun() {
        let report = kb.matcher.match("Rücksendung bitte", scratch: kb.matcher.makeScratch())
        #expect(report.patternsRun < kb.matcher.patterns.count)
    }

    @Test func aCatastrophicPatternFallsBackAndIsReported() throws {
        let yaml = #"""
        intents:
          - id: slow
            patterns: { en: ['(a+)+$'] }
            answers: { default: { en: slow, de: langsam } }
          - id: fine
            patterns: { en: ['\bhello\b'] }
            answers: { default: { en: hi, de: hallo } }
        """#
        let kb = try #require(KnowledgeBase.load(texts: [("kb.yaml", yaml)]).0)
        let line = String(repeating: "a", count: 10_000) + "! hello"
        let report = kb.matcher.match(line, scratch: kb.matcher.makeScratch())
        #expect(report.limitExceeded.count == 1)
        #expect(report.winner.map { kb.intents[$0.intentIndex].id } == "fine")
    }

    /// The literal index must never change which intent wins: compare with trying every
    /// pattern on a generated knowledge base.
    @Test func indexAgreesWithTryingEveryPattern() throws {
        let words = ["bestellung", "paket", "gutschein", "punkte", "rechnung", "konto", "retoure", "größe", "rabatt", "abo"]
        let verbs = ["einlösen", "prüfen", "ändern", "löschen", "stornieren", "verlängern", "zurückgeben", "finden"]
        var yaml = "intents:\n"
        var phrases: [String] = []
        for (i, word) in words.enumerated() {
            for (j, verb) in verbs.enumerated() {
                phrases.append("\(word) \(verb)")
                yaml += "  - id: i\(i)_\(j)\n    patterns: { de: ['\\b\(word)\\s+\(verb)\\b'] }\n    answers: { default: { de: a, en: b } }\n"
            }
        }
        let kb = try #require(KnowledgeBase.load(texts: [("gen.yaml", yaml)]).0)
        let scratch = kb.matcher.makeScratch()
        let messages = phrases.map { "hallo, ich möchte \($0.uppercased()) bitte" } + phrases.map { "frage zu \($0.replacingOccurrences(of: "ö", with: "oe"))" }
            + phrases.map { "…\($0)…" } + phrases.map { "«\($0.replacingOccurrences(of: " ", with: "  "))»" }
            + phrases.map { "x\($0)" } + ["nichts davon", "bestellung", "punkte sammeln", "größe–ändern", "größe ändernß"]
        for message in messages {
            let indexed = kb.matcher.match(message, scratch: scratch).winner?.intentIndex
            let folded = TextFolder.fold(message).folded
            let naive = kb.matcher.patterns.first { pattern in
                pattern.compiled.firstMatch(in: folded, scratch: scratch.pcre).isMatch
            }?.intentIndex
            #expect(indexed == naive, "\(message)")
        }
    }

    /// A pattern the index cannot narrow down runs for every message: one that opens with a
    /// lookahead over the whole message cost 40,000 instructions a message before it was
    /// split. Only the voucher code typed alone may run everywhere (it has no fixed word).
    @Test func shippedKnowledgeBaseRunsOnlyTheCodePatternForEveryMessage() throws {
        let kb = try #require(KnowledgeBase.load(directory: "Intents").0)
        let everywhere = kb.matcher.unindexedPatterns.map { kb.intents[$0.intentIndex].id }
        #expect(everywhere == ["voucher_redeem"], "\(kb.matcher.unindexedPatterns.map(\.source.location))")
    }

    /// Index and prefilter together must find exactly the hits that trying every pattern
    /// finds, on the shipped knowledge base with its examples and the held-out evaluation
    /// set, each also in capitals, with spelled-out umlauts and with a long s.
    @Test func shippedKnowledgeBaseFindsTheSameHitsAsTryingEveryPattern() throws {
        let kb = try #require(KnowledgeBase.load(directory: "Intents").0)
        let scratch = kb.matcher.makeScratch()
        var messages = kb.intents.flatMap { $0.examples.values.joined() }
        let heldout = try String(contentsOfFile: "Tests/eval/heldout.tsv", encoding: .utf8)
        messages += heldout.split(separator: "\n").dropFirst().compactMap { $0.split(separator: "\t").last.map(String.init) }
        // ſ is an s to PCRE2's caseless matching, but not to lowercased().
        messages += messages.map { $0.uppercased() } + messages.map { $0.replacingOccurrences(of: "ü", with: "ue") }
            + messages.map { $0.replacingOccurrences(of: "s", with: "ſ") }
        #expect(messages.count > 2000)
        var ruledOut = 0
        for message in messages {
            let report = kb.matcher.match(message, scratch: scratch)
            #expect(report.hits.map(\.patternNumber) == kb.matcher.patternsMatchingWithoutIndex(message, scratch: scratch), "\(message)")
            ruledOut += kb.matcher.patterns.count - report.patternsRun
        }
        // The point of it all: most patterns never run.
        #expect(ruledOut > messages.count * kb.matcher.patterns.count * 9 / 10)
    }

    /// A guard's lookarounds become its conditions: `(?!.*X)` and `(?=.*X)` a search for `X`
    /// (a list of alternatives gathered by first letter), anything else kept as written.
    @Test(arguments: [
        ("(?!.*(?:\\bbei\\s+euch|\\bvon\\s+euch|\\beuer\\w*|\\beure\\w*|\\bhier|\\bwir|\\bwo))",
         "(?:\\b(?:bei\\s+euch|von\\s+euch|e(?:uer\\w*|ure\\w*)|hier|w(?:ir|o)))", true, false),
        ("(?=.*?\\bbestell\\w*)", "\\bbestell\\w*", true, true),
        // `.*a|b` tests `b` at the start only; `.*+` is possessive; a back reference counts
        // groups outside the lookaround; a lookaround inside: all kept as written.
        ("(?!.*abc|xyz)", "^(?!.*abc|xyz)", false, true),
        ("(?!.*+abc)", "^(?!.*+abc)", false, true),
        ("(?!.*(a)\\1)", "^(?!.*(a)\\1)", false, true),
        ("(?!(?![^?]*\\?).*\\bbye\\b)", "^(?!(?![^?]*\\?).*\\bbye\\b)", false, true),
    ])
    func guardLookaroundsBecomeConditions(_ lookaround: String, _ source: String, _ searches: Bool, _ mustMatch: Bool) {
        let condition = MessageGuard.Condition(lookaround: lookaround)
        #expect(condition.source == source)
        #expect(condition.searchesAnywhere == searches)
        #expect(condition.mustMatch == mustMatch)
    }

    /// A pattern split into its guard and its search matches exactly the messages the
    /// whole pattern matched, from the same place to the same end.
    @Test func patternsSplitFromTheirGuardsMatchAsTheWholePattern() throws {
        let kb = try #require(KnowledgeBase.load(directory: "Intents").0)
        var diagnostics: [Diagnostic] = []
        let vocabulary = Vocabulary(kb.content.vocabulary, diagnostics: &diagnostics)
        let split = kb.matcher.patterns.indices.filter { kb.matcher.patterns[$0].messageGuard != nil }
        #expect(split.count >= 20)
        let whole = try split.map { try CompiledPattern(vocabulary.expand(TextFolder.foldPattern(kb.matcher.patterns[$0].source.source))) }
        var messages = kb.content.phrasings.map(\.text)
        messages += ["PayPal hat mein Konto eingeschränkt", "mein Netflix Abo kündigen, nicht bei euch", "Danke", "Danke, wo ist mein Paket?"]
        // Two requests in one message: what one says about us meets what the other asks.
        messages += ["mein Netflix Abo kündigen, bei euch bestellt", "PayPal hat mein Konto eingeschränkt #4410293"]
        let phrasings = kb.content.phrasings.map(\.text)
        messages += zip(phrasings, phrasings.dropFirst(7)).prefix(600).map { $0 + " " + $1 }
        let scratch = kb.matcher.makeScratch()
        var matched = 0
        for message in messages {
            let report = kb.matcher.match(message, scratch: scratch)
            let folded = TextFolder.fold(message).folded
            for (number, pattern) in zip(split, whole) {
                var expected: Range<Int>?
                if case let .match(found) = pattern.firstMatch(in: folded, scratch: scratch.pcre) { expected = found.range }
                let hit = report.hits.first { $0.patternNumber == number }
                #expect(hit?.range == expected, "\(message) \(kb.matcher.patterns[number].source.location)")
                if expected != nil { matched += 1 }
            }
        }
        #expect(matched > 100)
    }
}

extension MatchOutcome {
    var isMatch: Bool {
        if case .match = self { return true }
        return false
    }
}

/// Patterns compile on every core; what a load reports and which pattern wins a tie must
/// still follow the order the author wrote.
struct ParallelLoadOrderTests {
    static func yaml(intents: Int, brokenEvery: Int) -> String {
        var text = """
        languages: [de]
        phases: {order: [service], default: service}
        fallback:
          answers: {default: {de: "?"}}
        intents:

        """
        for number in 0..<intents {
            let pattern = brokenEvery > 0 && number % brokenEvery == 3 ? "wort\(number)(" : "\\bgleich\\b|wort\(number)"
            text += """
              - id: intent\(number)
                patterns: {de: ['\(pattern)']}
                answers: {default: {de: "Antwort \(number)"}}

            """
        }
        return text
    }

    @Test func diagnosticsComeInTheOrderTheIntentsAreWritten() {
        let (kb, diagnostics) = KnowledgeBase.load(texts: [("kb.yaml", Self.yaml(intents: 200, brokenEvery: 7))])
        #expect(kb == nil)
        let reported = diagnostics.filter { $0.severity == .error }.compactMap { diagnostic in
            diagnostic.message.split(separator: "'").dropFirst().first.map(String.init)
        }
        let expected = (0..<200).filter { $0 % 7 == 3 }.map { "intent\($0)" }
        #expect(reported == expected)
    }

    @Test func aTieGoesToTheFirstIntentWritten() throws {
        let kb = try #require(KnowledgeBase.load(texts: [("kb.yaml", Self.yaml(intents: 300, brokenEvery: 0))]).0)
        let scratch = kb.matcher.makeScratch()
        let report = kb.matcher.match("gleich", scratch: scratch)
        #expect(report.hits.count == 300)
        #expect(report.hits.map(\.intentIndex) == Array(0..<300))
        #expect(report.winner.map { kb.intents[$0.intentIndex].id } == "intent0")
        #expect(kb.matcher.match("wort217", scratch: scratch).winner.map { kb.intents[$0.intentIndex].id } == "intent217")
    }
}
