import Testing
import PCRE2Swift
@testable import TreueCore

/// The redactor against a table of personal-data forms that must go (e-mail, phone, IBAN,
/// card; DE, AT, CH and English spellings) and of look-alikes that must stay (order,
/// article and invoice numbers, sizes, model codes, dates, prices). The figures in
/// docs/security.md come from this table.
struct RedactionTableTests {
    enum Kind: String, CaseIterable { case email, phone, iban, card, keep }

    struct Case: CustomTestStringConvertible, Sendable {
        let kind: Kind
        let input: String
        let expected: String
        var testDescription: String { "\(kind.rawValue): \(input.debugDescription)" }
    }

    static func leak(_ kind: Kind, _ input: String, _ expected: String) -> Case { Case(kind: kind, input: input, expected: expected) }
    static func keep(_ input: String) -> Case { Case(kind: .keep, input: input, expected: input) }

    static let cases: [Case] = [
        // E-mail, plain and spelled out.
        leak(.email, "meine mail ist anna.w@gmail.com danke", "meine mail ist [email] danke"),
        leak(.email, "schreib an max.mustermann@gmx.de", "schreib an [email]"),
        leak(.email, "anna at gmx dot de", "[email]"),
        leak(.email, "Mail: anna.weber at web dot de bitte", "Mail: [email] bitte"),
        leak(.email, "anna(at)gmx.de", "[email]"),
        leak(.email, "anna (at) gmx (dot) de", "[email]"),
        leak(.email, "anna [at] gmx [dot] de", "[email]"),
        leak(.email, "anna[at]gmx[dot]de", "[email]"),
        leak(.email, "anna @ gmx.de", "[email]"),
        leak(.email, "anna@ gmx.de", "[email]"),
        leak(.email, "anna {at} firma {dot} ch", "[email]"),
        leak(.email, "j.doe at example dot com please", "[email] please"),
        leak(.email, "contact me: john_smith@example.co.uk", "contact me: [email]"),
        leak(.email, "ANNA@GMX.AT", "[email]"),
        leak(.email, "anna.mueller+shop@bluewin.ch", "[email]"),
        leak(.email, "anna(ät)gmx.de", "[email]"),
        leak(.email, "anna ät gmx punkt de", "[email]"),
        leak(.email, "meine adresse: hans.meier (at) gmx (punkt) at", "meine adresse: [email]"),
        leak(.email, "reply to <peter@firma.de>", "reply to <[email]>"),
        leak(.email, "mail an anna-lena@t-online.de und anruf", "mail an [email] und anruf"),
        leak(.email, "anna at outlook dot com", "[email]"),
        leak(.email, "info (at) mueller-shop [dot] de", "[email]"),
        leak(.email, "my email is john at example dot com", "my email is [email]"),
        leak(.email, "Erreichbar unter k.huber@aon.at.", "Erreichbar unter [email]."),
        leak(.email, "(franz.gruber@gmx.at)", "([email])"),
        leak(.email, "sabine at bluewin dot ch, danke", "[email], danke"),
        leak(.email, "peter.mayer[at]web[dot]de ist meine Adresse", "[email] ist meine Adresse"),
        leak(.email, "mails an lisa @ yahoo.com", "mails an [email]"),
        leak(.email, "tom.s at gmail dot com or tom at work dot co dot uk", "[email] or [email]"),
        leak(.email, "E-Mail:anna.w@gmail.com", "E-Mail:[email]"),

        // Phones: DE, AT, CH, UK, North America.
        leak(.phone, "ruf mich an: +49 170 1234567", "ruf mich an: [phone]"),
        leak(.phone, "Tel. 0170/1234567 bitte", "Tel. [phone] bitte"),
        leak(.phone, "festnetz 030 12345678", "festnetz [phone]"),
        leak(.phone, "(030) 1234567", "[phone]"),
        leak(.phone, "030.1234567", "[phone]"),
        leak(.phone, "+49.30.1234567", "[phone]"),
        leak(.phone, "+49 (30) 1234567", "[phone]"),
        leak(.phone, "+1 (555) 123-4567", "[phone]"),
        leak(.phone, "+49 (0)30 1234567", "[phone]"),
        leak(.phone, "0049 30 1234567", "[phone]"),
        leak(.phone, "0171 2345678", "[phone]"),
        leak(.phone, "01712345678", "[phone]"),
        leak(.phone, "handy 0171234567", "handy [phone]"),
        leak(.phone, "+43 664 1234567", "[phone]"),
        leak(.phone, "0664 1234567", "[phone]"),
        leak(.phone, "06641234567", "[phone]"),
        leak(.phone, "Wien +43 1 5878 000", "Wien [phone]"),
        leak(.phone, "+41 44 668 18 00", "[phone]"),
        leak(.phone, "044 668 18 00", "[phone]"),
        leak(.phone, "Natel 079 123 45 67", "Natel [phone]"),
        leak(.phone, "0041 79 123 45 67", "[phone]"),
        leak(.phone, "+44 20 7946 0958", "[phone]"),
        leak(.phone, "020 7946 0958", "[phone]"),
        leak(.phone, "(555) 123-4567", "[phone]"),
        leak(.phone, "call me at 555-123-4567", "call me at [phone]"),
        leak(.phone, "555.123.4567", "[phone]"),
        leak(.phone, "+1 555 123 4567", "[phone]"),
        leak(.phone, "+49-30-1234567", "[phone]"),
        leak(.phone, "030 / 123 45 67", "[phone]"),
        leak(.phone, "+49 30 123 456 78", "[phone]"),
        leak(.phone, "Rückruf unter 089 12345678", "Rückruf unter [phone]"),
        leak(.phone, "Tel: +49 (0) 89 / 123 456-78", "Tel: [phone]"),
        leak(.phone, "Ruf an: +49 170 1234567.", "Ruf an: [phone]."),
        leak(.phone, "030-12345678", "[phone]"),
        leak(.phone, "Meine Nummer: 0157 12345678", "Meine Nummer: [phone]"),
        leak(.phone, "+33 1 23 45 67 89", "[phone]"),
        leak(.phone, "Bestellung 4711, Rückruf unter 0171 2345678", "Bestellung 4711, Rückruf unter [phone]"),
        leak(.phone, "erreichbar (0221) 987654", "erreichbar [phone]"),
        leak(.phone, "Tel 0043 664 1234567", "Tel [phone]"),
        leak(.phone, "my number is +44 7700 900123", "my number is [phone]"),
        leak(.phone, "0800 1234567 ist meine Firma", "[phone] ist meine Firma"),
        leak(.phone, "Handy: 0176-12345678", "Handy: [phone]"),

        // IBANs: spaces, double spaces, dashes, dots, no-break spaces, lower case.
        leak(.iban, "IBAN DE89 3704 0044 0532 0130 00 für die Erstattung", "IBAN [iban] für die Erstattung"),
        leak(.iban, "DE89370400440532013000", "[iban]"),
        leak(.iban, "DE89-3704-0044-0532-0130-00", "[iban]"),
        leak(.iban, "DE89  3704  0044  0532  0130  00", "[iban]"),
        leak(.iban, "de89 3704 0044 0532 0130 00", "[iban]"),
        leak(.iban, "AT61 1904 3002 3457 3201", "[iban]"),
        leak(.iban, "CH93 0076 2011 6238 5295 7", "[iban]"),
        leak(.iban, "GB29 NWBK 6016 1331 9268 19", "[iban]"),
        leak(.iban, "FR14 2004 1010 0505 0001 3M02 606", "[iban]"),
        leak(.iban, "NL91ABNA0417164300", "[iban]"),
        leak(.iban, "IBAN: DE44 5001 0517 5407 3249 31 bitte", "IBAN: [iban] bitte"),
        leak(.iban, "DE89 3704 0044 0532 0130 00 danke", "[iban] danke"),
        leak(.iban, "DE89.3704.0044.0532.0130.00", "[iban]"),
        leak(.iban, "DE89\u{A0}3704\u{A0}0044\u{A0}0532\u{A0}0130\u{A0}00", "[iban]"),
        leak(.iban, "LI83 0881 0000 0000 2342 1", "[iban]"),
        leak(.iban, "BE68 5390 0754 7034", "[iban]"),
        leak(.iban, "IT60 X054 2811 1010 0000 0123 456", "[iban]"),
        leak(.iban, "ES91 2100 0418 4502 0005 1332", "[iban]"),
        leak(.iban, "NO93 8601 1117 947", "[iban]"),
        leak(.iban, "PL61 1090 1014 0000 0712 1981 2874", "[iban]"),
        leak(.iban, "meine iban ist AT14 3200 0000 7654 3210, danke", "meine iban ist [iban], danke"),
        leak(.iban, "CH43 0483 0000 0000 0000 1 (UBS)", "[iban] (UBS)"),
        leak(.iban, "Konto DE89 3704 0044 0532 0130 00 und DE44 5001 0517 5407 3249 31", "Konto [iban] und [iban]"),
        leak(.iban, "LU28 0019 4006 4475 0000", "[iban]"),
        leak(.iban, "DE89 3704-0044 0532-0130 00", "[iban]"),
        leak(.iban, "Size XL42 DE89 3704 0044 0532 0130 00", "Size XL42 [iban]"),

        // Cards: Luhn-valid, any common separator.
        leak(.card, "karte 4111 1111 1111 1111 wurde belastet", "karte [card] wurde belastet"),
        leak(.card, "4111111111111111", "[card]"),
        leak(.card, "4111-1111-1111-1111", "[card]"),
        leak(.card, "4111.1111.1111.1111", "[card]"),
        leak(.card, "4111\u{A0}1111\u{A0}1111\u{A0}1111", "[card]"),
        leak(.card, "4111/1111/1111/1111", "[card]"),
        leak(.card, "4111  1111  1111  1111", "[card]"),
        leak(.card, "5500 0000 0000 0004", "[card]"),
        leak(.card, "Amex 3782 822463 10005", "Amex [card]"),
        leak(.card, "6011 1111 1111 1117", "[card]"),
        leak(.card, "5105 1051 0510 5100", "[card]"),
        leak(.card, "3530 1113 3330 0000", "[card]"),
        leak(.card, "Diners 3625 9600 0000 04", "Diners [card]"),
        leak(.card, "4012 8888 8888 1881", "[card]"),
        leak(.card, "visa 4111 1111 1111 1111 exp 12/27", "visa [card] exp 12/27"),
        leak(.card, "4111\u{202F}1111\u{202F}1111\u{202F}1111", "[card]"),
        leak(.card, "card no. 5500-0000-0000-0004.", "card no. [card]."),
        leak(.card, "4111 1111 1111 1111 22 bitte", "[card] 22 bitte"),

        // Look-alikes that must stay.
        keep("Bestellung 12345678 ist nicht da"),
        keep("Auftrag #7781234 und 55102983"),
        keep("zahlen 4111 1111 1111 1112 sind kein kartenschema"),
        keep("PLZ 10115 berlin"),
        keep("Bestellung 0171234567 ist nicht angekommen"),
        keep("meine Bestellnummer ist 0171234567"),
        keep("Order 01712345678 has not arrived"),
        keep("Artikel 0815-4711 ist defekt"),
        keep("Art.-Nr. 0815-4711"),
        keep("0815-4711"),
        keep("Größe XL42 bitte"),
        keep("XL42 in blau"),
        keep("Modell GT40 MK2"),
        keep("Modell GT40-2023-XL-BLAU"),
        keep("Artikel XL42GH77AB99CD"),
        keep("GT40123456789012345678901234"),
        keep("DE12 nicht vergessen"),
        keep("Lieferung am 03.12.2024 um 10 Uhr"),
        keep("am 03.12.2024 1000 Stück"),
        keep("Preis 0,99 Euro"),
        keep("ich hätte gerne 2 Stück"),
        keep("Rechnung 2024-000123"),
        keep("Rechnungsnummer 0123456789"),
        keep("Sendungsnummer 00340434161094042557"),
        keep("Tracking: 1Z999AA10123456784"),
        keep("EAN 4006381333931"),
        keep("ISBN 978-3-16-148410-0"),
        keep("Version 1.2.3"),
        keep("um 14:30 Uhr"),
        keep("ich bin at home"),
        keep("meet me at the station"),
        keep("Lieferung an Packstation 123"),
        keep("Bestellung 4711 von 2024"),
        keep("10 % Rabatt auf 2 Artikel"),
        keep("Zahlen: 1234 5678"),
        keep("Hausnummer 12, 10115 Berlin"),
        keep("Twitter @treue_shop"),
        keep("a@b"),
        keep("Modell XL42-500"),
        keep("Code DE89"),
        keep("Code DE89 3704 0044 0532"),
        keep("Bestellung 0815 4711 0815"),
        keep("Bestell-Nr.: 0176-12345678"),
        keep("Order no. 0160 1234567"),
        keep("Invoice 0123-456789"),
        keep("Auftragsnummer 0301234567"),
        keep("order #0171234567 missing"),
        keep("item 0815-4711 broken"),
        keep("I'm at home, order 12345"),
        keep("Gutscheincode SUMMER2024"),
        keep("Kundennummer K-12345"),
        keep("01067 Dresden"),
        keep("Paket 0034043416109404"),
        keep("AT 2024 war gut"),
        keep("CH-8001 Zürich"),
    ]

    @Test(arguments: cases)
    func redactsWhatMustGoAndKeepsWhatMustStay(_ entry: Case) throws {
        let redactor = try Redactor()
        let once = redactor.redact(entry.input, scratch: redactor.makeScratch())
        #expect(once == entry.expected)
        #expect(redactor.redact(once, scratch: redactor.makeScratch()) == once, "redacting twice changes nothing")
    }

    @Test func theTableIsLargeAndCoversEveryKind() {
        #expect(Self.cases.count >= 150)
        for kind in Kind.allCases { #expect(Self.cases.filter { $0.kind == kind }.count >= 15, "\(kind)") }
    }

    @Test func theShopsOwnHotlineAndAddressStayInReplies() throws {
        let redactor = try Redactor().keeping(contactsIn: ["Rufen Sie uns an: 0800 873 8300", "service@treue-shop.de"])
        let scratch = redactor.makeScratch()
        #expect(redactor.redact("Telefonisch erreichen Sie uns unter 0800 873 8300.", scratch: scratch)
            == "Telefonisch erreichen Sie uns unter 0800 873 8300.")
        #expect(redactor.redact("Schreiben Sie an service@treue-shop.de", scratch: scratch) == "Schreiben Sie an service@treue-shop.de")
        #expect(redactor.redact("meine: 0171 2345678, anna@gmx.de", scratch: scratch) == "meine: [phone], [email]")
    }

    @Test func theShippedKnowledgeBasesHotlineIsKept() throws {
        let (loaded, _) = KnowledgeBase.load(directory: "Intents")
        let kb = try #require(loaded)
        let hotline = try #require(kb.content.settings["hotline"])
        let redactor = try Redactor().keepingContacts(of: kb)
        #expect(redactor.redact("call us at \(hotline)", scratch: redactor.makeScratch()) == "call us at \(hotline)")
    }

    @Test func ibanChecksumAndCountryLength() {
        func valid(_ text: String) -> Bool {
            let bytes = Array(text.utf8)
            return Redactor.ibanEnd(from: 0, in: bytes) == bytes.count
        }
        #expect(valid("DE89370400440532013000"))
        #expect(!valid("DE89370400440532013001"))   // checksum
        #expect(!valid("DE8937040044053201300"))    // one short for DE
        #expect(!valid("XX89370400440532013000"))   // no such country
        #expect(valid("NO9386011117947"))
        #expect(!valid("DE89370400440532013000A"))  // glued to more
    }
}

/// The phone rule's gate lets through every text where its pattern can find a candidate:
/// it only spares the scan of texts where none can start.
struct PhoneGateTests {
    @Test(arguments: [
        "wo ist mein paket 12345678?", "Bestellung 87654321 und 12345678, Rechnung 55512345", "ruf mich an 0171 1234567",
        "+49 30 1234567", "(030) 1234567", "555-123-4567", "call 555.123.4567 after 5", "tel:004930123456",
        "meine Nummer ist 01711234567", "12345678 und 0", "Bestellnr. 0123456789", "a0 12345678", "x555 123 4567 1234",
    ])
    func aTextTheGateRulesOutHoldsNoCandidate(_ text: String) throws {
        let rule = try #require(Redactor.defaultRules.first { $0.name == "phone" })
        #expect(rule.gate == .phoneStart)
        let pattern = try CompiledPattern(rule.pattern)
        let candidate: Bool
        if case .match = pattern.firstMatch(in: text, scratch: MatchScratch(maxCaptureGroups: 4)) { candidate = true } else { candidate = false }
        let admitted = Redactor.TextSignals(text).admits(.phoneStart)
        if candidate && text.filter(\.isNumber).count >= 8 { #expect(admitted, "\(text)") }
        if text.hasPrefix("wo ist") || text.hasPrefix("Bestellung") { #expect(!admitted, "\(text)") }
    }
}
