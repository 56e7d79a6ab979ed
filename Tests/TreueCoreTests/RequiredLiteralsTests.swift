import Testing
@testable import TreueCore

/// The index must never drop a pattern that could match: every literal set it reports is
/// checked against subjects the pattern really matches.
struct RequiredLiteralsTests {
    @Test(arguments: [
        (#"\bwo\b.*\bbestellung\b"#, ["\u{1}bestellung\u{1}"]),
        ("(rueck|um)tausch", ["ruecktausch", "umtausch"]),
        ("bestellung(en)?", ["bestellung", "bestellungen"]),
        ("Paket", ["paket"]),
        ("(?:order|bestellung) status", ["order status", "bestellung status"]),
    ] as [(String, Set<String>)])
    func findsTheLiteralsEveryMatchContains(_ pattern: String, _ expected: Set<String>) {
        let info = RequiredLiterals.analyse(pattern)
        #expect(RequiredLiterals.requirement(of: info) == expected)
    }

    @Test(arguments: [#"\d+"#, "a*", "(?x) a b", "x|.*", #"[abc]+"#])
    func givesUpWhenNothingIsRequired(_ pattern: String) {
        #expect(RequiredLiterals.requirement(of: RequiredLiterals.analyse(pattern)) == nil)
    }

    @Test func aLongListOfNamesKeepsItsWordBoundaries() {
        // Hundreds of company names: each stays a whole word, so the index keys the pattern
        // by the names instead of by letter pieces most messages have.
        let names = (0..<300).map { "firma\($0)x" }
        let info = RequiredLiterals.analyse(#".*?\b(?:"# + names.joined(separator: "|") + #")\b"#)
        let requirement = RequiredLiterals.requirement(of: info)
        #expect(requirement == Set(names.map { "\u{1}\($0)\u{1}" }))
    }

    @Test func aLongListOfNamesRulesOutAMessageWithoutOne() {
        let names = Set((0..<300).map { "brand\($0)q" })
        let prefilter = LiteralPrefilter(requirements: [names])
        var table = [UInt8](repeating: 0, count: LiteralPrefilter.tableSize)
        var bits = [UInt64](repeating: 0, count: LiteralPrefilter.maskWords)
        let lacking = Array("wo ist mein paket".utf8), having = Array("mein brand17q abo".utf8)
        LiteralPrefilter.mark(lacking, in: &table, generation: 1)
        LiteralPrefilter.markBits(lacking, in: &bits)
        #expect(!prefilter.admits(table, bits: bits, generation: 1, text: lacking))
        LiteralPrefilter.mark(having, in: &table, generation: 2)
        LiteralPrefilter.markBits(having, in: &bits)
        #expect(prefilter.admits(table, bits: bits, generation: 2, text: having))
    }

    /// A long set is looked up by the message's bytes and pairs, a short one walked: both
    /// admit the same messages, whichever name of the list the message has.
    @Test func aLongSetAdmitsWhatTheSameNamesWalkedAdmit() {
        let names = (0..<200).map { "shop\($0 * 7)zy" } + ["qu", "x", "ab cd"]
        let long = LiteralPrefilter(requirements: [Set(names)])
        let walked = names.map { LiteralPrefilter(requirements: [[$0]]) }
        #expect(names.count >= LiteralPrefilter.bucketedSetSize)
        var table = [UInt8](repeating: 0, count: LiteralPrefilter.tableSize)
        var bits = [UInt64](repeating: 0, count: LiteralPrefilter.maskWords)
        var generation: UInt8 = 0
        let texts = ["wo ist mein paket", "shop77zy abo", "abo bei shop1393zy gekündigt", "shop14z y", "ab cd", "abcd",
                     "quatsch", "xylophon", "sho p7zy", "mein shop700zy", ""]
        for text in texts {
            generation &+= 1
            let bytes = Array(text.utf8)
            LiteralPrefilter.mark(bytes, in: &table, generation: generation)
            LiteralPrefilter.markBits(bytes, in: &bits)
            let expected = walked.contains { $0.admits(table, bits: bits, generation: generation, text: bytes) }
            #expect(long.admits(table, bits: bits, generation: generation, text: bytes) == expected, "\(text)")
            #expect(expected == names.contains { text.contains($0) }, "\(text)")
        }
    }

    @Test func followsVocabularyCalls() {
        let info = RequiredLiterals.analyse("wo ist (?&thing)") { name in
            name == "thing" ? RequiredLiterals.analyse("paket|sendung") : nil
        }
        let requirement = RequiredLiterals.requirement(of: info)
        #expect(requirement == ["wo ist paket", "wo ist sendung"])
    }

    /// Every part of a sequence a match cannot skip gives a set; optional parts and the
    /// branches of an alternation give none of their own.
    @Test func findsEverySetASequenceRequires() {
        let b = RequiredLiterals.wordBoundary
        let info = RequiredLiterals.analyse(#"\b(wo|wann)\b.{0,30}?\b(ist|bleibt)\b(?: bitte)?.*\bpaket(e)?\b"#)
        let sets = Set(RequiredLiterals.requirements(of: info))
        let verbs: Set<String> = ["\(b)ist\(b)", "\(b)bleibt\(b)", "\(b)ist\(b) bitte", "\(b)bleibt\(b) bitte"]
        #expect(sets == [["\(b)wo\(b)", "\(b)wann\(b)"], verbs, ["\(b)paket\(b)", "\(b)pakete\(b)"]])
        #expect(RequiredLiterals.requirements(of: RequiredLiterals.analyse("(wo ist|was kostet) (das|es)")).count == 1)
        #expect(RequiredLiterals.requirements(of: RequiredLiterals.analyse("(paket)+ x*")) == [["paket "]])
        // Of sets that imply each other one stays.
        #expect(RequiredLiterals.requirements(of: RequiredLiterals.analyse("(a|ab)c*a")).count == 1)
        // A repetition's first copy ends the run before it, its last copy starts the next.
        #expect(Set(RequiredLiterals.requirements(of: RequiredLiterals.analyse("hal+o+chen"))) == [["hal"], ["lo"], ["ochen"]])
        #expect(RequiredLiterals.requirement(of: RequiredLiterals.analyse("^\\W*(hi+|hey+)\\W*$")) == ["hi", "hey"])
        #expect(RequiredLiterals.requirements(of: RequiredLiterals.analyse(#"(?:paket)? \d+"#)).allSatisfy { !$0.contains("paket") })
    }

    @Test func prefilterRulesOutOnlyMessagesLackingARequiredString() {
        let filter = LiteralPrefilter(requirements: [["wo", "wann"], ["paket", "sendung"]])
        func admits(_ text: String) -> Bool {
            var table = [UInt8](repeating: 0, count: LiteralPrefilter.tableSize)
            var bits = [UInt64](repeating: 0, count: LiteralPrefilter.maskWords)
            LiteralPrefilter.mark(Array(text.utf8), in: &table, generation: 1)
            LiteralPrefilter.markBits(Array(text.utf8), in: &bits)
            return filter.admits(table, bits: bits, generation: 1, text: Array(text.utf8))
        }
        #expect(admits("wo ist mein paket"))
        #expect(admits("wann kommt die sendung"))
        #expect(!admits("wo ist meine rechnung"))
        #expect(!admits("mein paket ist kaputt"))
        #expect(!admits(""))
    }

    @Test func aLongMessageWithEveryPairOfAWordButNotTheWordIsRuledOut() {
        // A long message marks most pairs; "paket" is spelled nowhere in this one, though
        // "pa", "ak", "ke" and "et" all occur.
        let filter = LiteralPrefilter(requirements: [["\u{1}paket\u{1}"]])
        let text = Array("papa akte kette wetter: wo ist mein pa ket".utf8)
        var table = [UInt8](repeating: 0, count: LiteralPrefilter.tableSize)
        var bits = [UInt64](repeating: 0, count: LiteralPrefilter.maskWords)
        LiteralPrefilter.mark(text, in: &table, generation: 1)
        LiteralPrefilter.markBits(text, in: &bits)
        #expect(!filter.admits(table, bits: bits, generation: 1, text: text))
        let spelled = Array("papa akte kette wetter: wo ist mein paket".utf8)
        LiteralPrefilter.mark(spelled, in: &table, generation: 2)
        LiteralPrefilter.markBits(spelled, in: &bits)
        #expect(filter.admits(table, bits: bits, generation: 2, text: spelled))
    }
}
