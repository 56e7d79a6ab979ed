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

    @Test func followsVocabularyCalls() {
        let info = RequiredLiterals.analyse("wo ist (?&thing)") { name in
            name == "thing" ? RequiredLiterals.analyse("paket|sendung") : nil
        }
        let requirement = RequiredLiterals.requirement(of: info)
        #expect(requirement == ["wo ist paket", "wo ist sendung"])
    }
}
