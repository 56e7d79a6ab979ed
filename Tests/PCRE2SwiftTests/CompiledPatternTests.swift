import PCRE2Swift
import Testing

/// Pattern behaviour as tables, the way pcre2test files pair patterns with subjects.
struct CompiledPatternTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let pattern: String
        let subject: String
        let matches: Bool
        var testDescription: String { "/\(pattern)/ on \"\(subject)\" → \(matches)" }
    }

    static let umlautCases: [Case] = [
        Case(pattern: "rückgabe", subject: "RÜCKGABE bitte", matches: true),
        Case(pattern: "RÜCKGABE", subject: "meine rückgabe", matches: true),
        Case(pattern: #"\büber\b"#, subject: "Über uns", matches: true),
        Case(pattern: #"\bgr\b"#, subject: "Grüße", matches: false),
        Case(pattern: #"^\w+$"#, subject: "Grüße", matches: true),
        Case(pattern: #"\bpaket\b"#, subject: "Paketstation", matches: false),
        Case(pattern: #"\bpaket\b"#, subject: "mein Paket!", matches: true),
    ]

    @Test(arguments: umlautCases)
    func unicodeAwareCaselessMatching(_ item: Case) throws {
        let pattern = try CompiledPattern(item.pattern)
        let outcome = pattern.firstMatch(in: item.subject, scratch: MatchScratch())
        if item.matches {
            guard case .match = outcome else { Issue.record("expected a match, got \(outcome)"); return }
        } else {
            #expect(outcome == .noMatch)
        }
    }

    @Test func wordCharactersCoverUmlautsWithUCP() throws {
        let pattern = try CompiledPattern(#"\w+"#)
        guard case let .match(found) = pattern.firstMatch(in: "Grüße", scratch: MatchScratch()) else {
            Issue.record("no match"); return
        }
        #expect(found.range == 0..<"Grüße".utf8.count)
    }

    @Test func namedCapturesReportTheirRanges() throws {
        let pattern = try CompiledPattern(##"bestellung\s+(?<order>\#?\d{6,10})"##)
        let subject = "Wo ist meine Bestellung #12345678?"
        guard case let .match(found) = pattern.firstMatch(in: subject, scratch: MatchScratch()) else {
            Issue.record("no match"); return
        }
        let number = try #require(pattern.groupNumber(named: "order"))
        let range = try #require(found.groups[number - 1])
        #expect(String(decoding: Array(subject.utf8)[range], as: UTF8.self) == "#12345678")
    }

    @Test func vocabularyDefinitionsAreCallableButCaptureOnlyWhenWrapped() throws {
        let pattern = try CompiledPattern(#"wo ist (?<what>(?&thing))(?(DEFINE)(?<thing>paket|bestellung))"#)
        let scratch = MatchScratch()
        guard case let .match(found) = pattern.firstMatch(in: "wo ist bestellung 4", scratch: scratch) else {
            Issue.record("no match"); return
        }
        let what = try #require(pattern.groupNumber(named: "what"))
        let thing = try #require(pattern.groupNumber(named: "thing"))
        #expect(found.groups[what - 1] != nil)
        #expect(found.groups[thing - 1] == nil)
        #expect(pattern.firstMatch(in: "wo ist sendung", scratch: scratch) == .noMatch)
    }

    @Test func catastrophicBacktrackingHitsTheLimitInsteadOfHanging() throws {
        let pattern = try CompiledPattern(#"(a+)+$"#)
        let subject = String(repeating: "a", count: 40) + "!"
        let outcome = pattern.firstMatch(in: subject, scratch: MatchScratch(limits: MatchLimits(matchLimit: 10_000)))
        #expect(outcome == .limitExceeded)
    }

    @Test func longSubjectsDoNotOverflowTheJITStack() throws {
        let pattern = try CompiledPattern(#"(?:a|b)*c"#)
        let subject = String(repeating: "ab", count: 5_000) + "c"
        let outcome = pattern.firstMatch(in: subject, scratch: MatchScratch(limits: MatchLimits(matchLimit: 10_000_000)))
        guard case .match = outcome else {
            Issue.record("expected a match on a long subject, got \(outcome)"); return
        }
    }

    @Test func invalidUTF8BytesAreReportedNotMatched() throws {
        let pattern = try CompiledPattern("a")
        let bytes: [UInt8] = [0x61, 0xC3, 0x28]
        let outcome = bytes.withUnsafeBufferPointer { pattern.firstMatch(inBytes: $0, scratch: MatchScratch()) }
        #expect(outcome == .invalidSubject)
    }

    @Test func compileErrorsCarryMessageAndOffset() {
        do {
            _ = try CompiledPattern("abc(def")
            Issue.record("expected a compile error")
        } catch {
            #expect(error.offset == 7)
            #expect(error.message.contains("missing closing parenthesis"))
        }
    }

    @Test func patternsAreJITCompiled() throws {
        #expect(try CompiledPattern("x").isJITCompiled)
    }

    @Test func searchingFromAnOffsetSkipsEarlierMatches() throws {
        let pattern = try CompiledPattern(#"\d+"#)
        guard case let .match(found) = pattern.firstMatch(in: "12 ab 345", from: 2, scratch: MatchScratch()) else {
            Issue.record("no match"); return
        }
        #expect(found.range == 6..<9)
    }
}

/// Found by the fuzzer: redaction resumed one byte after a match that began with a
/// two-byte digit (`٤`, Arabic-Indic four, is `\d` under UCP), inside the character; the
/// JIT, told the subject was valid UTF-8, crashed.
struct StartOffsetTests {
    @Test func anOffsetInsideACharacterMovesToTheNextCharacter() throws {
        let pattern = try CompiledPattern(#"\d+"#)
        let subject = "x٤2"
        // Offset 2 is the second byte of `٤`.
        guard case let .match(found) = pattern.firstMatch(in: subject, from: 2, scratch: MatchScratch()) else {
            Issue.record("no match"); return
        }
        #expect(found.range == 3..<4)
        #expect(pattern.firstMatch(in: subject, from: 99, scratch: MatchScratch()) == .noMatch)
    }
}
