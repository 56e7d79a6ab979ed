import Foundation
import Testing
@testable import TreueCore

/// Order facts: the export, formatting, the access rules, every status through every
/// order intent in both languages, records, proactive rules and `treue check`.
/// Uses the shipped knowledge base and demo files, as `make run` serves them.
struct OrderTests {
    static let kb: KnowledgeBase = {
        let (kb, diagnostics) = KnowledgeBase.load(directory: "Intents")
        precondition(kb != nil, "shipped knowledge base: \(diagnostics.filter { $0.severity == .error })")
        return kb!
    }()
    static let directory = try! CustomerDirectory.load(path: "Customers/demo.csv", phases: kb.phases)
    /// Friday, 4 December 2026, noon in Berlin: the demo files' dates are relative to it.
    static let now = Date(timeIntervalSince1970: 1_796_382_000)

    var kb: KnowledgeBase { Self.kb }

    // MARK: - Export

    @Test func demoExportLoadsAndMatchesDemoCustomers() throws {
        let export = try OrderExport.load(path: "Customers/demo-orders.csv")
        #expect(export.count >= 9)
        for order in export.byNumber.values {
            #expect(Self.directory.profile(id: order.customer) != nil, "order \(order.number) names unknown customer \(order.customer)")
        }
        #expect(Set(export.byNumber.values.map(\.status)).count >= 8)
    }

    @Test(arguments: [
        ("number,customer,postcode,status,ordered\n12345678,C1,10115,paid,2026-12-01\n12345678,C2,10115,paid,2026-12-01\n", "orders.csv:3: order 12345678 is already given on line 2"),
        ("number,customer,postcode,status,ordered\n12345678,C1,10115,paid,2026-13-01\n", "orders.csv:2: 'ordered' is not a date"),
        ("number,customer,postcode,status\n12345678,C1,10115,lost\n", "orders.csv:2: unknown status 'lost'"),
        ("number,customer,status\n12345678,C1,paid\n", "orders.csv:1: the header must name the columns"),
        ("number,customer,postcode,status\n1234,C1,10115,paid\n", "orders.csv:2: order number '1234' is not 6 to 10 digits"),
        ("number,customer,postcode,status\n12345678,C1,10115,shipped\n", "orders.csv:2: status 'shipped' needs 'ordered'"),
        ("number,customer,postcode,status,ordered\n12345678,C1,10115,shipped,2026-12-01\n", "orders.csv:2: status 'shipped' needs 'shipped'"),
        ("number,customer,postcode,status,ordered,note\n11111111,C1,10115,paid,2026-12-01,\"two\nlines\"\n22222222,C1,10115,paid,2026-12-01,x,y\n",
         "orders.csv:4: 7 fields, the header has 6"),
        ("number,customer,postcode,status,ordered,refund_amount\n12345678,C1,10115,paid,2026-12-01,49.999\n", "'refund_amount' is not an amount"),
        ("", "empty file"),
    ])
    func badExportsAreRefusedWithTheirLine(csv: String, expected: String) {
        #expect(throws: OrderExportError.self) { try OrderExport.parse(csv: csv) }
        do {
            _ = try OrderExport.parse(csv: csv)
        } catch {
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }

    @Test(arguments: [("#12345678", "12345678"), ("123456", "123456"), ("1234567890", "1234567890"), (" #4481234 ", "4481234")])
    func orderNumbersAreNormalized(typed: String, digits: String) {
        #expect(OrderNumber.normalize(typed) == digits)
    }

    @Test(arguments: [
        ("Bestellung #12345678 und 87654321", ["12345678", "87654321"]), ("12345 und 12345678901", []),
        ("DE89370400440532013000", []), ("Bestellung 4481234.", ["4481234"]), ("preis 12,345678", []), ("#123456, bitte", ["123456"]),
        ("12345678 12345678", ["12345678"]), ("Bestellnr.44812345", ["44812345"]),
    ])
    func orderNumbersInAMessage(text: String, numbers: [String]) {
        #expect(OrderNumber.all(in: text) == numbers)
    }

    @Test func aNumberBeforeTheWordsFillsTheSlot() async throws {
        let export = try OrderExport.load(path: "Customers/demo-orders.csv")
        var chat = session(export)
        _ = await chat.say("/login C1004")
        let step = await chat.say("ich möchte Bestellung 44812400 stornieren")
        #expect(try #require(lastReply(step)).text.contains("jetzt stornieren"))
    }

    @Test func severalNumbersInOneMessageLookNothingUp() async throws {
        let export = try OrderExport.load(path: "Customers/demo-orders.csv")
        var chat = session(export)
        _ = await chat.say("/login C1001")
        let step = await chat.say("wo ist meine Bestellung 44812345 oder 44800001")
        #expect(try #require(lastReply(step)).text.contains("mehrere Bestellnummern"))
        #expect(lookups(chat.events).isEmpty)
    }

    @Test(arguments: ["12345", "12345678901", "1234a678", "##123456", "", "#", "１２３４５６"])
    func nonNumbersAreRefused(typed: String) {
        #expect(OrderNumber.normalize(typed) == nil)
    }

    @Test func datesAndAmountsInTheCustomersLanguage() {
        let date = OrderDate(iso: "2026-12-03")!
        #expect(date.text(language: "de") == "Donnerstag, 3. Dezember")
        #expect(date.text(language: "en") == "Thursday, 3 December")
        #expect(OrderDate(iso: "2027-01-01")!.text(language: "de", today: date) == "Freitag, 1. Januar 2027")
        #expect(OrderAmount("49.90")!.text(language: "de") == "49,90 €")
        #expect(OrderAmount("49.90")!.text(language: "en") == "€49.90")
        #expect(OrderAmount("1249.9")!.text(language: "de") == "1.249,90 €")
        #expect(OrderAmount("1249.9")!.text(language: "en") == "€1,249.90")
        #expect(OrderAmount("7")!.text(language: "de") == "7,00 €")
        #expect(OrderDate(iso: "2026-02-29") == nil)
        #expect(OrderDate(iso: "2028-02-29") != nil)
    }

    // MARK: - Conversations

    struct Session {
        var conversation: Conversation
        let identity: IdentityPolicy
        let source: any OrderSource
        let scratch: MatcherScratch
        var events: [TranscriptEvent] = []

        mutating func say(_ line: String) async -> ConversationStep {
            let step = await conversation.receive(line, kb: OrderTests.kb, identity: identity, scratch: scratch, orders: source, now: OrderTests.now)
            events += step.events
            return step
        }
    }

    func session(_ source: any OrderSource, orders: Bool = true) -> Session {
        var conversation = Conversation(sessionID: "s1", knowledgeBase: kb)
        _ = conversation.open(kb)
        return Session(conversation: conversation, identity: IdentityPolicy(directory: Self.directory, answersFromOrders: orders),
                       source: source, scratch: kb.matcher.makeScratch())
    }

    static func order(_ number: String, customer: String = "C1005", postcode: String = "50667", status: OrderStatus,
                      extra: [String: String] = [:]) -> Order {
        var fields = ["number": number, "customer": customer, "postcode": postcode, "status": status.rawValue,
                      "ordered": "2026-11-20", "carrier": "DHL", "tracking_url": "https://track.example/\(number)", "total": "49.90"]
        if status.hasShipped || status == .outForDelivery { fields["shipped"] = "2026-11-23" }
        if status == .delivered || status == .returned || status == .refunded { fields["delivered"] = "2026-11-25" }
        if status == .refunded { fields["refunded"] = "2026-12-03"; fields["refund_amount"] = "49.90" }
        if status.isUnderway { fields["expected"] = "2026-12-08" }
        return try! Order(fields: fields.merging(extra) { $1 })
    }

    func lastReply(_ step: ConversationStep) -> Reply? {
        for case let .reply(reply) in step.outputs.reversed() { return reply }
        return nil
    }

    func lookups(_ events: [TranscriptEvent]) -> [(String, String, String?)] {
        events.compactMap { if case let .orderLookup(number, outcome, status, _) = $0 { (number, outcome, status) } else { nil } }
    }

    enum Who { case owner, otherCustomer, guestRightPostcode, guestWrongPostcode }

    @Test(arguments: [
        (Who.owner, "44812377", true),
        (Who.otherCustomer, "44812377", false),
        (Who.guestRightPostcode, "44812377", true),
        (Who.guestWrongPostcode, "44812377", false),
        (Who.owner, "99999999", false),
        (Who.guestRightPostcode, "99999999", false),
    ])
    func accessRules(who: Who, number: String, shown: Bool) async throws {
        let export = try OrderExport.load(path: "Customers/demo-orders.csv")
        var chat = session(export)
        switch who {
        case .owner: _ = await chat.say("/login C1005")
        case .otherCustomer: _ = await chat.say("/login C1001")
        case .guestRightPostcode, .guestWrongPostcode: break
        }
        var step = await chat.say("wo ist meine Bestellung \(number)")
        if who == .guestRightPostcode || who == .guestWrongPostcode {
            guard case let .prompt(_, kind) = step.outputs.last else { Issue.record("guest not asked for a postcode"); return }
            #expect(kind == .postcode)
            step = await chat.say(who == .guestRightPostcode ? "50667" : "10115")
        }
        let text = try #require(lastReply(step)).text
        #expect(text.contains("Hermes") == shown, "\(text)")
        #expect(text.contains("26. November") == shown)
        if !shown {
            // No oracle: an unknown number reads exactly like someone else's order or a wrong postcode.
            let neutral = SystemMessages.template(who == .owner || who == .otherCustomer ? "order_not_found" : "order_not_found_guest",
                                                  language: "de", overrides: kb.content.messages, fallbackLanguage: "de")
            #expect(text == neutral)
        }
        let outcome = lookups(chat.events).last?.1
        #expect(outcome == (shown ? "found" : number == "99999999" ? "not_found" : "refused"))
    }

    @Test func threeFailuresEndLookupsAndOfferAPerson() async throws {
        let export = try OrderExport.load(path: "Customers/demo-orders.csv")
        var chat = session(export)
        _ = await chat.say("/login C1001")
        for (index, number) in ["44812377", "11111111", "44790011"].enumerated() {
            let said = await chat.say("wo ist meine Bestellung \(number)")

            let text = try #require(lastReply(said)).text
            #expect(text.contains("/agent") == (index == 2), "\(text)")
        }
        // Even her own order is no longer looked up in this session.
        let step = await chat.say("wo ist meine Bestellung 44812345")
        let last = try #require(lastReply(step))
        #expect(!last.text.contains("DHL"))
        #expect(last.text.contains("/agent"))
        #expect(lookups(chat.events).map(\.1) == ["refused", "not_found", "refused", "locked"])
    }

    @Test func aGuestProvesANumberOnce() async throws {
        let export = try OrderExport.load(path: "Customers/demo-orders.csv")
        var chat = session(export)
        _ = await chat.say("wann kommt mein geld für bestellung 44790011")
        let step = await chat.say("20095")
        #expect(try #require(lastReply(step)).text.contains("49,90 €"))
        let again = await chat.say("wo ist meine Bestellung 44790011")
        #expect(try #require(lastReply(again)).text.contains("44790011"))
        #expect(again.outputs.allSatisfy { if case .prompt = $0 { false } else { true } })
        // The postcode was recorded as a placeholder, never as typed.
        let messages = chat.events.compactMap { if case let .message(text) = $0 { text } else { nil } }
        #expect(messages.contains("[postcode]"))
        #expect(!messages.contains("20095"))
    }

    @Test func aSentenceInsteadOfAPostcodeIsReadAsAMessage() async throws {
        let export = try OrderExport.load(path: "Customers/demo-orders.csv")
        var chat = session(export)
        _ = await chat.say("wo ist meine Bestellung 44812377")
        let step = await chat.say("wie lange habe ich Rückgaberecht")
        #expect(lastReply(step)?.intent == "return_item")
        #expect(lookups(chat.events).isEmpty)
    }

    @Test func withoutASourceTheGeneralAnswerRemains() async throws {
        let export = try OrderExport.load(path: "Customers/demo-orders.csv")
        var chat = session(export, orders: false)
        _ = await chat.say("/login C1005")
        let said = await chat.say("wo ist meine Bestellung 44812377")

        let text = try #require(lastReply(said)).text
        #expect(!text.contains("Hermes"))
        #expect(lookups(chat.events).isEmpty)
    }

    struct Unavailable: OrderSource {
        func order(number: String) async -> OrderLookupResult { .unavailable(reason: "test") }
    }

    @Test func anUnavailableSourceIsSaidHonestlyWithGeneralHelpAndAPerson() async throws {
        var chat = session(Unavailable())
        _ = await chat.say("/login C1005")
        let said = await chat.say("wo ist meine Bestellung 44812377")

        let text = try #require(lastReply(said)).text
        #expect(text.hasPrefix("Ich kann den Bestellstatus gerade nicht abrufen"))
        #expect(text.contains("Meine Bestellungen"))
        #expect(text.contains("/agent"))
        #expect(lookups(chat.events).map(\.1) == ["unavailable"])
    }

    /// Each intent with a message that names the order, per language.
    static let questions: [(intent: String, de: String, en: String)] = [
        ("order_status", "wo ist meine Bestellung #{n}", "where is my order {n}"),
        ("delivery_delay", "meine Bestellung {n} ist immer noch nicht angekommen", "my order {n} still hasn't arrived"),
        ("cancel_order", "ich möchte meine Bestellung stornieren {n}", "I want to cancel order {n}"),
        ("change_address", "ich muss die Lieferadresse ändern für {n}", "I need to change the delivery address for order {n}"),
        ("return_item", "ich möchte die Bestellung {n} zurückschicken", "I want to return order {n}"),
        ("refund_status", "wann bekomme ich mein Geld zurück für {n}", "when do I get my refund for order {n}"),
        ("invoice", "ich brauche die Rechnung zu Bestellung {n}", "I need the invoice for order {n}"),
    ]

    @Test(arguments: OrderStatus.allCases)
    func everyStatusThroughEveryOrderIntentInBothLanguages(status: OrderStatus) async throws {
        let order = Self.order("12345678", status: status)
        let export = OrderExport(orders: [order])
        for question in Self.questions {
            for language in ["de", "en"] {
                var chat = session(export)
                _ = await chat.say("/login C1005")
                let text = (language == "de" ? question.de : question.en).replacingOccurrences(of: "{n}", with: "12345678")
                var step = await chat.say(text)
                if case .prompt = step.outputs.last { step = await chat.say("12345678") }
                let reply = try #require(lastReply(step), "\(question.intent) \(language) \(status)")
                #expect(reply.intent == question.intent, "'\(text)' chose \(reply.intent ?? "nothing")")
                #expect(reply.language == language)
                #expect(reply.text.contains("12345678"), "\(question.intent) \(language) \(status): \(reply.text)")
                #expect(!reply.text.contains("{") && !reply.text.contains("[["), "\(reply.text)")
                #expect(lookups(chat.events).last?.2 == status.rawValue)
                // The facts, in the customer's language.
                let german = language == "de"
                switch (question.intent, status) {
                case ("order_status", .shipped): #expect(reply.text.contains(german ? "Montag, 23. November" : "Monday, 23 November"))
                case ("refund_status", .refunded):
                    #expect(reply.text.contains(german ? "49,90 €" : "€49.90"))
                    #expect(reply.text.contains(german ? "Donnerstag, 3. Dezember" : "Thursday, 3 December"))
                case ("cancel_order", .paid), ("cancel_order", .received):
                    #expect(reply.text.contains(german ? "jetzt stornieren" : "cancel it now"))
                case ("cancel_order", .shipped):
                    #expect(reply.text.contains(german ? "Annahme" : "refuse delivery"))
                case ("order_status", .delivered): #expect(reply.text.contains(german ? "Mittwoch, 25. November" : "Wednesday, 25 November"))
                default: break
                }
            }
        }
    }

    @Test func aLateParcelIsDelayedWithTheInvestigationOffer() async throws {
        let late = Self.order("12345678", status: .shipped, extra: ["expected": "2026-12-01"])
        for question in Self.questions where ["order_status", "delivery_delay"].contains(question.intent) {
            var chat = session(OrderExport(orders: [late]))
            _ = await chat.say("/login C1005")
            let said = await chat.say(question.de.replacingOccurrences(of: "{n}", with: "12345678"))

            let text = try #require(lastReply(said)).text
            #expect(text.contains("Dienstag, 1. Dezember"))
            #expect(text.contains("Nachforschung"))
        }
    }

    @Test func recordsHoldNumberOutcomeAndStatusOnly() async throws {
        let order = Self.order("12345678", status: .shipped, extra: ["gift_note": "Alles Gute, Oma"])
        var chat = session(OrderExport(orders: [order]))
        _ = await chat.say("/login C1005")
        _ = await chat.say("ich brauche die Rechnung zu Bestellung 12345678")
        let records = chat.events.enumerated().map {
            TranscriptRecord(event: $0.element, ts: "t", session: "s1", seq: $0.offset, instance: nil, redact: { $0 })
        }
        let encoder = JSONEncoder()
        let lines = try records.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        let lookup = try #require(lines.first { $0.contains("\"order_lookup\"") })
        #expect(lookup.contains("\"order\":\"12345678\"") && lookup.contains("\"outcome\":\"found\"") && lookup.contains("\"status\":\"shipped\""))
        // Fields no reply showed never reach the transcript.
        #expect(!lines.joined().contains("Oma"))
        #expect(!lines.joined().contains("50667"))
    }

    // MARK: - Proactive welcome

    @Test(arguments: [("C1001", "parcel_out_for_delivery"), ("C1005", "parcel_delayed"), ("C1006", "refund_sent"),
                      ("C1007", "points_expiring"), ("C1004", "tier_within_reach"), ("C1008", nil)] as [(String, String?)])
    func demoCustomersGetTheirWelcome(customer: String, rule: String?) async throws {
        let export = try OrderExport.load(path: "Customers/demo-orders.csv")
        var chat = session(export)
        let step = await chat.say("/login \(customer)")
        let shown = step.outputs.compactMap { if case let .proactive(rule, text, suggestions) = $0 { (rule, text, suggestions) } else { nil } }
        #expect(shown.first?.0 == rule)
        if let first = shown.first {
            #expect(!first.2.isEmpty)
            #expect(!first.1.contains("{"))
        }
        // Once per session.
        let again = await chat.say("/login \(customer)")
        #expect(!again.outputs.contains { if case .proactive = $0 { true } else { false } })
    }

    @Test func proactiveTextUsesOrderFields() async throws {
        let export = try OrderExport.load(path: "Customers/demo-orders.csv")
        var chat = session(export)
        chat.conversation = Conversation(sessionID: "s2", knowledgeBase: kb)
        _ = await chat.say("/lang en")
        let step = await chat.say("/login C1006")
        guard case let .proactive(_, text, _) = step.outputs.last else { Issue.record("no welcome"); return }
        #expect(text.contains("€49.90") && text.contains("Tuesday, 1 December"), "\(text)")
    }

    @Test(arguments: [("<= 30", "30", true), ("<= 30", "31", false), ("0..60", "-1", false), ("0..60", "60", true),
                      ("?", nil, false), ("-", nil, true), ("!Gold", "gold", false), ("Gold", "GOLD", true), ("> 0", "x", false)] as [(String, String?, Bool)])
    func conditions(condition: String, value: String?, holds: Bool) throws {
        let parsed = try #require(ProactiveRule.Condition.parse(condition))
        #expect(parsed.holds(value) == holds)
    }

    // MARK: - treue check

    @Test func checkFlagsAnOrderAnswerThatCanRenderWithAMissingField() {
        let yaml = """
            intents:
              - id: order_status
                patterns: {de: ['bestellung (?<order>\\\\d{6,10})']}
                examples: {de: ['bestellung 123456']}
                answers: {default: {de: 'Allgemein.'}}
            orders:
              order_status:
                shipped:
                  de: 'Bestellung {order.number} mit {order.carrier}, Link {order.tracking_url}'
                default:
                  de: 'Bestellung {order.number} ist {order.status_text}. [[Erwartet am {order.expected}.]]'
            """
        let (kb, diagnostics) = KnowledgeBase.load(texts: [("kb.yaml", yaml)])
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
        let found = KnowledgeBaseChecker(kb: kb!, directory: .empty).check().filter { $0.message.contains("missing field") }
        #expect(found.count == 2) // shipped, and shipped but late (no `delayed` answers)
        #expect(found.first?.message.contains("{order.carrier}, {order.tracking_url}") == true)
        #expect(found.first?.message.contains("'shipped'") == true)
    }

    @Test func theShippedOrderAnswersPassTheCheck() {
        let problems = KnowledgeBaseChecker(kb: kb, directory: Self.directory).check()
            .filter { $0.severity == .error || $0.message.contains("order answer") }
        #expect(problems.isEmpty, "\(problems)")
    }
}
