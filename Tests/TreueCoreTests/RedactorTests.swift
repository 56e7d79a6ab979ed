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
