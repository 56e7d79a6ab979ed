import Foundation
import Testing
@testable import TreueCore

/// The conversation state machine, driven as the server drives it, without sockets.
struct ConversationTests {
    let kb = TestKnowledgeBase.load()
    var identity: IdentityPolicy { IdentityPolicy(directory: TestKnowledgeBase.directory(kb)) }

    struct Session {
        var conversation: Conversation
        let kb: KnowledgeBase
        let identity: IdentityPolicy
        let scratch: MatcherScratch
        var events: [TranscriptEvent] = []

        mutating func say(_ line: String) -> ConversationStep {
            let step = conversation.receive(line, kb: kb, identity: identity, scratch: scratch)
            events += step.events
            return step
        }
    }

    func session(identity: IdentityPolicy? = nil) -> Session {
        var conversation = Conversation(sessionID: "s1", knowledgeBase: kb)
        let opened = conversation.open(kb)
        return Session(conversation: conversation, kb: kb, identity: identity ?? self.identity, scratch: kb.matcher.makeScratch(),
                       events: opened.events)
    }

    func reply(_ step: ConversationStep) -> Reply? {
        for case let .reply(reply) in step.outputs { return reply }
        return nil
    }

    @Test func greetsWithTheShopNameAndSessionID() {
        var conversation = Conversation(sessionID: "abc", knowledgeBase: kb)
        let step = conversation.open(kb)
        guard case let .greeting(text, session) = step.outputs.first else { Issue.record("no greeting"); return }
        #expect(text.contains("Testshop"))
        #expect(session == "abc")
        #expect(step.events == [.sessionOpened(phase: "awareness", language: "de")])
    }

    @Test func answersWithTheCapturedOrderNumberAndMovesThePhase() throws {
        var session = session()
        let answer = try #require(reply(session.say("wo bleibt mein paket 4711001?")))
        #expect(answer.intent == "order_status")
        #expect(answer.text.contains("4711001"))
        #expect(answer.phase == "service")
        #expect(session.events.contains(.phaseChanged(from: "awareness", to: "service", reason: "signal")))
        #expect(answer.suggestions == ["Wie schicke ich etwas zurück?"])
    }

    @Test func answersInTheLanguageOfTheMatchingPattern() throws {
        var session = session()
        let answer = try #require(reply(session.say("where is my order 1234567")))
        #expect(answer.language == "en")
        #expect(answer.text == "Your order 1234567 is on its way.")
    }

    @Test func slotIsAskedForThenFilledByTheNextMessage() throws {
        var session = session()
        let asked = session.say("wo ist meine bestellung?")
        #expect(asked.outputs == [.prompt(text: "Wie lautet Ihre Bestellnummer?", kind: .slot)])
        #expect(asked.events.contains(.slotPrompt(intent: "order_status", slot: "order")))
        let answer = try #require(reply(session.say("12345678")))
        #expect(answer.intent == "order_status")
        #expect(answer.text.contains("12345678"))
    }

    @Test func somethingElseInsteadOfTheSlotIsAnsweredNormally() throws {
        var session = session()
        _ = session.say("wo ist meine bestellung?")
        let answer = try #require(reply(session.say("ich will das zurückschicken")))
        #expect(answer.intent == "return_item")
        // The slot is gone: a bare number now is just an unknown message.
        #expect(reply(session.say("12345678"))?.intent == nil)
    }

    @Test func secondFallbackInARowOffersAPersonAndAgentRecordsAHandoff() throws {
        var session = session()
        let first = try #require(reply(session.say("wie wird das wetter")))
        #expect(first.intent == nil)
        #expect(!first.text.contains("/agent"))
        #expect(first.suggestions == ["Wo ist meine Bestellung?", "Wie schicke ich etwas zurück?"])
        let second = try #require(reply(session.say("wer wird fußballmeister")))
        #expect(second.text.contains("/agent"))
        #expect(session.events.contains(.fallback(count: 2, phase: "awareness")))
        let handoff = try #require(reply(session.say("/agent")))
        let ticket = try #require(session.events.compactMap { event -> String? in
            if case let .handoff(ticket, reason, _) = event, reason == "customer" { return ticket }
            return nil
        }.first)
        #expect(handoff.text.contains(ticket))
        #expect(ticket.hasPrefix("T-"))
    }

    @Test func anIntentWithTheHandoffActionHandsOff() {
        var session = session()
        _ = session.say("ich will einen mitarbeiter")
        #expect(session.events.contains { if case .handoff(_, "intent", "human_agent") = $0 { return true }; return false })
    }

    @Test func loginLoadsTheProfileAndItsPhaseAndPersonalisesAnswers() throws {
        var session = session()
        _ = session.say("/login C1001")
        #expect(session.conversation.phase == "loyalty")
        #expect(session.events.contains(.login(customer: "C1001", verified: false, phase: "loyalty", tier: "Gold", segment: "stammkunde")))
        let answer = try #require(reply(session.say("wie viele punkte habe ich")))
        #expect(answer.text == "Anna, Sie haben 1200 Punkte.")
        // A logged-in customer's phase is the CRM's; conversation signals do not move it.
        let order = try #require(reply(session.say("wo ist mein paket 12345678")))
        #expect(order.phase == "loyalty")
        #expect(order.text == "Anna, Ihre Bestellung 12345678 kommt als Gold-Sendung.")
    }

    @Test func unknownProfileFieldsNeverShowAsPlaceholders() throws {
        var session = session()
        _ = session.say("/login C1002")
        _ = session.say("/phase loyalty")
        let answer = try #require(reply(session.say("meine punkte?")))
        #expect(answer.text == "Sie haben einige Punkte.")
        #expect(!answer.text.contains("{"))
    }

    @Test func anonymousProspectsGetTheDefaultAnswer() throws {
        var session = session()
        _ = session.say("/phase consideration")
        let answer = try #require(reply(session.say("gibt es punkte?")))
        #expect(answer.text == "Werden Sie Mitglied und sammeln Sie Punkte.")
    }

    @Test func variantsRotateWithinASession() throws {
        var session = session()
        let first = try #require(reply(session.say("wo ist mein paket 12345678")))
        let second = try #require(reply(session.say("wo ist mein paket 12345678")))
        #expect(first.text != second.text)
    }

    @Test func loginRequiresAValidTokenWhenASecretIsSet() throws {
        let secret = "s3cret"
        let verified = IdentityPolicy(directory: TestKnowledgeBase.directory(kb), verifier: LoginTokenVerifier(secrets: ["old", secret]))
        var session = session(identity: verified)
        let expiry = Int64(Date().timeIntervalSince1970) + 600
        let token = LoginTokenVerifier.makeToken(customerID: "C1001", expiry: expiry, secret: secret)

        let missing = session.say("/login C1001")
        let wrong = session.say("/login C1001 \(LoginTokenVerifier.makeToken(customerID: "C1002", expiry: expiry, secret: secret))")
        let expired = session.say("/login C1001 \(LoginTokenVerifier.makeToken(customerID: "C1001", expiry: 1000, secret: secret))")
        for step in [missing, wrong, expired] {
            guard case let .error(code, text) = step.outputs.first else { Issue.record("expected an error"); continue }
            #expect(code == .loginFailed)
            #expect(text == ErrorTexts.text(.loginFailed, language: "de"))
        }
        #expect(session.conversation.profile == nil)
        _ = session.say("/login C1001 \(token)")
        #expect(session.conversation.profile?.id == "C1001")
        #expect(session.events.contains(.login(customer: "C1001", verified: true, phase: "loyalty", tier: "Gold", segment: "stammkunde")))
    }

    @Test func demoOnlyCommandsAreRefusedWithASecret() {
        let verified = IdentityPolicy(directory: TestKnowledgeBase.directory(kb), verifier: LoginTokenVerifier(secrets: ["x"]))
        var session = session(identity: verified)
        for command in ["/phase loyalty", "/why"] {
            guard case let .error(code, _) = session.say(command).outputs.first else { Issue.record("expected an error"); continue }
            #expect(code == .notAllowed)
        }
        #expect(session.conversation.phase == "awareness")
    }

    @Test(arguments: ["/login ../../etc/passwd", "/login C10\u{0}01", "/login " + String(repeating: "x", count: 10_000)])
    func hostileCustomerIDsAreRefused(_ line: String) {
        var session = session()
        guard case let .error(code, _) = session.say(line).outputs.first else { Issue.record("expected an error"); return }
        #expect(code == .loginFailed)
        #expect(session.conversation.profile == nil)
    }

    @Test(arguments: ["/login C1001 123.abc extra", "/login C1001 tok more words", "/login C1001 x y"])
    func loginWithExtraWordsIsRefused(_ line: String) {
        var session = session()
        guard case let .error(code, _) = session.say(line).outputs.first else { Issue.record("expected an error"); return }
        #expect(code == .badArgument)
        #expect(session.conversation.profile == nil)
    }

    @Test func whyShowsPathsRelativeToTheKnowledgeBaseFolder() throws {
        let folder = FileManager.default.currentDirectoryPath + "/Intents"
        let (loaded, _) = KnowledgeBase.load(directory: folder)
        let kb = try #require(loaded)
        var conversation = Conversation(sessionID: "s1", knowledgeBase: kb)
        _ = conversation.open(kb)
        let identity = IdentityPolicy(directory: .empty)
        let scratch = kb.matcher.makeScratch()
        _ = conversation.receive("wo ist mein paket 12345678", kb: kb, identity: identity, scratch: scratch)
        guard case let .info(text) = conversation.receive("/why", kb: kb, identity: identity, scratch: scratch).outputs.first else {
            Issue.record("no explanation"); return
        }
        #expect(text.contains(" at "), "\(text)")
        #expect(!text.contains(folder), "\(text)")
        #expect(!text.contains(" at /"), "\(text)")
        #expect(text.contains(".yaml:"), "\(text)")
    }

    @Test func commandsAreCaseInsensitiveAndUnknownOnesPointToHelp() {
        var session = session()
        guard case let .info(help) = session.say("/HELP").outputs.first else { Issue.record("no help"); return }
        #expect(help.contains("/feedback"))
        guard case let .error(code, text) = session.say("/frobnicate").outputs.first else { Issue.record("no error"); return }
        #expect(code == .unknownCommand)
        #expect(text.contains("/help"))
    }

    @Test func langFeedbackRateAndReset() throws {
        var session = session()
        _ = session.say("/lang en")
        let answer = try #require(reply(session.say("ich will das zurückschicken")))
        #expect(answer.language == "en")
        #expect(answer.text == "To return an item, print the label.")
        _ = session.say("/rate down")
        #expect(session.events.contains(.rating(helpful: false, intent: "return_item", variant: "default/en/1")))
        _ = session.say("/feedback 4 sehr schnell")
        #expect(session.events.contains(.feedback(score: 4, comment: "sehr schnell")))
        guard case let .error(code, _) = session.say("/feedback 9").outputs.first else { Issue.record("no error"); return }
        #expect(code == .badArgument)
        _ = session.say("/reset")
        guard case let .error(rateCode, _) = session.say("/rate up").outputs.first else { Issue.record("no error"); return }
        #expect(rateCode == .nothingToRate)
    }

    @Test func jsonSwitchAcknowledgesThenGreetsAgain() {
        var session = session()
        let step = session.say("/json")
        #expect(step.outputs.count == 2)
        #expect(step.outputs.first == .mode(.json))
        guard case .greeting = step.outputs.last else { Issue.record("no greeting after /json"); return }
    }

    @Test func quitAsksOnceForARatingThenSaysGoodbye() {
        var session = session()
        let asked = session.say("/quit")
        guard case .prompt(_, .rating) = asked.outputs.first else { Issue.record("no rating prompt"); return }
        let bye = session.say("5")
        #expect(bye.closes)
        guard case .bye = bye.outputs.first else { Issue.record("no bye"); return }
        #expect(session.events.suffix(2) == [.feedback(score: 5, comment: nil), .sessionClosed(reason: "quit")])
        #expect(session.say("hallo").outputs.isEmpty)
    }

    @Test func quitSkipsTheRatingOnAnythingElse() {
        var session = session()
        _ = session.say("/quit")
        let bye = session.say("nein danke")
        #expect(bye.closes)
        #expect(!session.events.contains { if case .feedback = $0 { return true }; return false })
    }

    @Test func whyExplainsTheLastAnswer() {
        var session = session()
        _ = session.say("wo ist mein paket 12345678")
        guard case let .info(text) = session.say("/why").outputs.first else { Issue.record("no explanation"); return }
        #expect(text.contains("intent: order_status"))
        #expect(text.contains("test.yaml:"))
        #expect(text.contains("order=12345678"))
        #expect(text.contains("phase: service"))
    }
}

struct TemplateRendererTests {
    let fields: [String: String] = ["name": "Anna", "points": "1200"]

    @Test(arguments: [
        ("[[{name}, ]]sie haben {points} Punkte.", "Anna, sie haben 1200 Punkte."),
        ("[[{tier}-Mitglied, ]]sie haben {points} Punkte.", "Sie haben 1200 Punkte."),
        ("Hallo {tier|Kunde}!", "Hallo Kunde!"),
        ("Hallo{tier|}, willkommen", "Hallo, willkommen"),
        ("Danke {name}.", "Danke Anna."),
    ])
    func rendersFieldsDefaultsAndOptionalSegments(_ template: String, _ expected: String) {
        #expect(TemplateRenderer.render(template) { fields[$0] } == expected)
    }

    @Test func anUnknownRequiredFieldFailsInsteadOfShowingABrace() {
        #expect(TemplateRenderer.render("Ihr Status: {tier}") { fields[$0] } == nil)
    }
}

struct HandoffLanguageTests {
    @Test func aHandoffByIntentAnswersInTheLanguageAsked() throws {
        let kb = TestKnowledgeBase.load()
        var conversation = Conversation(sessionID: "s", knowledgeBase: kb)
        _ = conversation.open(kb)
        let step = conversation.receive("I need a human please", kb: kb, identity: IdentityPolicy(directory: .empty),
                                        scratch: kb.matcher.makeScratch())
        guard case let .reply(reply) = step.outputs.first else { Issue.record("no reply"); return }
        #expect(reply.language == "en")
        #expect(reply.text.hasPrefix("Sorry, no member of our team is in the chat"))
    }
}

struct IndentedCommandTests {
    /// Found by the fuzzer: a tab before `/login` made the line a message, and the token
    /// went into the transcript as customer text.
    @Test func aCommandIndentedByATabIsStillACommand() {
        let kb = TestKnowledgeBase.load()
        var conversation = Conversation(sessionID: "s", knowledgeBase: kb)
        _ = conversation.open(kb)
        let step = conversation.receive("\t/login C1001 123.abc", kb: kb, identity: IdentityPolicy(directory: TestKnowledgeBase.directory(kb)),
                                        scratch: kb.matcher.makeScratch())
        #expect(!step.events.contains { if case .message = $0 { return true }; return false })
        #expect(conversation.profile?.id == "C1001")
    }
}
