import Testing
import PCRE2Swift
@testable import TreueCore

/// A pattern that calls vocabulary entries is compiled with the entries written in place.
/// Each row: entries, the calling pattern, a message, and what the pattern must match
/// there (nil: no match) — the same as with the entries called from a DEFINE block.
struct VocabularyInliningTests {
    static func vocabulary(_ entries: [(String, String)]) -> Vocabulary {
        var diagnostics: [Diagnostic] = []
        let location = SourceLocation(file: "test.yaml", line: 1, column: 1)
        return Vocabulary(entries.map { ($0.0, $0.1, location) }, diagnostics: &diagnostics)
    }

    static func matched(_ pattern: String, _ message: String) throws -> (whole: String, order: String?)? {
        let compiled = try CompiledPattern(pattern)
        guard case let .match(found) = compiled.firstMatch(in: message, scratch: MatchScratch(maxCaptureGroups: 16)) else { return nil }
        let bytes = Array(message.utf8)
        let order = compiled.groupNumber(named: "order").flatMap { found.groups[$0 - 1] }
        return (String(decoding: bytes[found.range], as: UTF8.self), order.map { String(decoding: bytes[$0], as: UTF8.self) })
    }

    @Test(arguments: [
        // An entry's own groups capture nothing: the author's named group still holds the number.
        ([("item", "paket(e|en)?|sendung"), ("number", "(\\d)\\d{5,9}")], "(?&item).*?(?<order>(?&number))",
         "mein paket 12345678 fehlt", "paket 12345678", "12345678"),
        // Entries calling entries.
        ([("item", "(?&parcel)|sendung"), ("parcel", "pake?t\\w*")], "\\bwo\\b.{0,20}(?&item)", "wo ist mein pakt", "wo ist mein pakt", nil),
        // A lookbehind inside an entry keeps its meaning in place.
        ([("number", "(?<!\\d)\\d{6}(?!\\d)")], "nr\\W*(?<order>(?&number))", "nr 1234567", nil, nil),
        ([("number", "(?<!\\d)\\d{6}(?!\\d)")], "nr\\W*(?<order>(?&number))", "nr: 123456!", "nr: 123456", "123456"),
        // Brackets in a class are no groups.
        ([("sign", "[()]+x")], "a(?&sign)", "a()x", "a()x", nil),
        // Case and umlaut folding as for any pattern.
        ([("item", "ruecksendung")], "(?&item)", "RUECKSENDUNG bitte", "RUECKSENDUNG", nil),
    ] as [([(String, String)], String, String, String?, String?)])
    func inlinedMatchesLikeTheCall(_ entries: [(String, String)], _ pattern: String, _ message: String, _ whole: String?, _ order: String?) throws {
        let vocabulary = Self.vocabulary(entries)
        let inlined = try #require(vocabulary.inlined(pattern))
        #expect(!inlined.contains("(?&"))
        for form in [inlined, vocabulary.expand(pattern)] {
            let found = try Self.matched(form, message)
            #expect(found?.whole == whole, "\(form)")
            #expect(found?.order == order, "\(form)")
        }
    }

    @Test(arguments: [
        ([("list", "a|b,(?&list)")], "x(?&list)"),             // an entry that calls itself
        ([("word", "(?i)abc")], "(?&word)"),                     // an option setting
        ([("word", "abc(*ACCEPT)d")], "(?&word)x"),              // a verb that would end the whole match
        ([("word", "\\Q(?&x)\\E")], "(?&word)"),                 // quoting
        ([("word", "a(b)\\1")], "(?&word)"),                     // a back reference to the entry's group
    ] as [([(String, String)], String)])
    func callsStayWhereInliningCouldChangeTheMeaning(_ entries: [(String, String)], _ pattern: String) {
        #expect(Self.vocabulary(entries).inlined(pattern) == nil)
    }

    @Test func anEntryWithAVerbKeepsItsCallSemantics() throws {
        // (*ACCEPT) ends only the call: the caller still needs its "x".
        let kb = try #require(KnowledgeBase.load(texts: [("kb.yaml", Self.yaml(entry: "ab(*ACCEPT)c", pattern: "(?&word)x"))]).0)
        let scratch = kb.matcher.makeScratch()
        #expect(kb.matcher.match("abx", scratch: scratch).winner != nil)
        #expect(kb.matcher.match("ab", scratch: scratch).winner == nil)
    }

    static func yaml(entry: String, pattern: String) -> String {
        """
        languages: [de]
        phases: {order: [service], default: service}
        vocabulary:
          word: '\(entry)'
        fallback:
          answers: {default: {de: "?"}}
        intents:
          - id: probe
            patterns: {de: ['\(pattern)']}
            answers: {default: {de: "ok"}}
        """
    }
}

/// A long list of names is compiled with neighbours that share a first letter gathered
/// behind it; the list matches what it matched before, at the same place.
struct VocabularyFactoringTests {
    @Test(arguments: [
        ("aldi|amazon|bahn|\\w*zeitung|apple|aral|b2b", "a(?:ldi|mazon)|bahn|\\w*zeitung|a(?:pple|ral)|b2b"),
        // A quantified first letter, a group, an escape: they stay, and nothing moves across them.
        ("a?b|ab|ac|(x|y)|ad|ae|\\#af", "a?b|a(?:b|c)|(x|y)|a(?:d|e)|\\#af"),
        // A `|` inside a group or a class does not split the list.
        ("ab(c|d)|ae|[|x]f|ag|ah|ai", "a(?:b(c|d)|e)|[|x]f|a(?:g|h|i)"),
        // Short lists are left as written.
        ("aldi|amazon|bahn", "aldi|amazon|bahn"),
        // Neighbours after a word boundary share one (in a guard's search); a plain
        // neighbour ends their run.
        ("\\bbei|\\bvon|\\bbis|\\b\\d+|\\bab|\\bam|ax|ay", "\\b(?:b(?:ei|is)|von)|\\b\\d+|\\b(?:a(?:b|m))|a(?:x|y)"),
    ])
    func neighboursShareTheirFirstLetter(_ entry: String, _ expected: String) {
        #expect(Vocabulary.factored(entry, gatheringBoundaries: true) == expected)
    }

    @Test(arguments: ["ich war bei aldi und amazon", "aralstation", "die bahnzeitung", "x b2b", "appletree", "nichts davon"])
    func factoredMatchesWhatTheListMatched(_ message: String) throws {
        let entry = "amazon|aldi|aral|bahn|b2b|\\w*zeitung|apple|app|amaz"
        let plain = try VocabularyInliningTests.matched("\\b(?:\(entry))", message)
        let factored = try VocabularyInliningTests.matched("\\b(?:\(Vocabulary.factored(entry)))", message)
        #expect(Vocabulary.factored(entry) != entry)
        #expect(plain?.whole == factored?.whole)
        let bounded = entry.split(separator: "|").map { "\\b" + $0 }.joined(separator: "|")
        let plainBounded = try VocabularyInliningTests.matched("(?:\(bounded))", message)
        let factoredBounded = try VocabularyInliningTests.matched("(?:\(Vocabulary.factored(bounded, gatheringBoundaries: true)))", message)
        #expect(Vocabulary.factored(bounded, gatheringBoundaries: true) != bounded)
        #expect(Vocabulary.factored(bounded) == bounded)
        #expect(plainBounded?.whole == factoredBounded?.whole)
    }
}
