import Testing
@testable import TreueCore

struct RedactorTests {
    let redactor = try! Redactor()

    @Test(arguments: [
        ("meine mail ist anna.w@gmail.com danke", "meine mail ist [email] danke"),
        ("ruf mich an: +49 170 1234567", "ruf mich an: [phone]"),
        ("Tel. 0170/1234567 bitte", "Tel. [phone] bitte"),
        ("festnetz 030 12345678", "festnetz [phone]"),
        ("IBAN DE89 3704 0044 0532 0130 00 für die Erstattung", "IBAN [iban] für die Erstattung"),
        ("karte 4111 1111 1111 1111 wurde belastet", "karte [card] wurde belastet"),
        ("Bestellung 12345678 ist nicht da", "Bestellung 12345678 ist nicht da"),
        ("Auftrag #7781234 und 55102983", "Auftrag #7781234 und 55102983"),
        ("zahlen 4111 1111 1111 1112 sind kein kartenschema", "zahlen 4111 1111 1111 1112 sind kein kartenschema"),
        ("PLZ 10115 berlin", "PLZ 10115 berlin"),
        // Each rule runs only on texts that can hold its kind: the least of each still counts.
        ("schreib an anna(at)gmx.de oder ruf +49 30 12345", "schreib an [email] oder ruf [phone]"),
        ("mail: max-mueller at web dot de", "mail: [email]"),
        ("ich.bin+shop@t-online.de, a@b.de", "[email], [email]"),
        ("„DE89 3704 0044 0532 0130 00“ ist meine", "„[iban]“ ist meine"),
    ])
    func redactsPersonalDataButNotOrderNumbers(_ input: String, _ expected: String) {
        #expect(redactor.redact(input, scratch: redactor.makeScratch()) == expected)
    }

    @Test func rulesAreConfigurable() throws {
        let custom = try Redactor(rules: [Redactor.Rule(name: "customer", pattern: #"\bK-\d{5}\b"#, placeholder: "[kunde]")])
        #expect(custom.redact("ich bin K-12345", scratch: custom.makeScratch()) == "ich bin [kunde]")
    }
}

struct RedactionRulesTests {
    @Test func rulesFromYAMLAreAddedToTheBuiltInOnes() throws {
        let rules = try Redactor.rules(yaml: """
        rules:
          - name: customer_number
            pattern: '\\bK-\\d{5}\\b'
            placeholder: '[kunde]'
        """, file: "r.yaml")
        let redactor = try Redactor(rules: rules)
        #expect(redactor.redact("K-12345 an a@b.de", scratch: redactor.makeScratch()) == "[kunde] an [email]")
    }

    @Test func aBadRuleNamesFileLineAndPCRE2sMessage() {
        do {
            _ = try Redactor.rules(yaml: "replace_defaults: true\nrules:\n  - name: x\n    pattern: '(a'\n    placeholder: '[x]'\n", file: "r.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.hasPrefix("r.yaml:3"))
            #expect(error.message.contains("missing closing parenthesis"))
        }
    }
}

struct RedactionOfUnicodeDigitsTests {
    /// The fuzzer's input, shortened: a card-like run that starts with a non-ASCII digit
    /// and fails the Luhn check.
    @Test func aCardLikeRunStartingWithAUnicodeDigitIsSafe() throws {
        let redactor = try Redactor()
        let text = "٤2-1111-114111 1211 1111 111 1111 und 4111"
        let redacted = redactor.redact(text, scratch: redactor.makeScratch())
        #expect(redacted.hasSuffix(" und 4111"))
        #expect(redactor.redact(redacted, scratch: redactor.makeScratch()) == redacted)
    }
}

struct CardPartsTests {
    /// A card followed by more digits is still found, and a second pass finds nothing more.
    @Test(arguments: [
        ("karte 4111 1111 1111 1111 22 bitte", "karte [card] 22 bitte"),
        ("12 4111 1111 1111 1111", "12 [card]"),
        ("bestellung 12345678 und 87654321", "bestellung 12345678 und 87654321"),
    ])
    func findsTheCardInsideALongerRun(_ input: String, _ expected: String) throws {
        let redactor = try Redactor()
        let once = redactor.redact(input, scratch: redactor.makeScratch())
        #expect(once == expected)
        #expect(redactor.redact(once, scratch: redactor.makeScratch()) == once)
    }
}
