import Foundation
import Testing
@testable import TreueCore

/// The learned stage: a model trained on labelled messages answers what the patterns and
/// examples left open, and overrules them only when it is all but certain.
@Suite struct LearnedStageTests {
    static let documents: [MessageClassifier.Document] = [
        .init(text: "wo ist mein paket", label: 0),
        .init(text: "mein paket ist noch nicht da", label: 0),
        .init(text: "paket nicht angekommen wo bleibt es", label: 0),
        .init(text: "ich will mein geld zurück", label: 1),
        .init(text: "wann kommt die erstattung aufs konto", label: 1),
        .init(text: "geld für die rücksendung noch nicht auf dem konto", label: 1),
        .init(text: "mein netflix abo kündigen", label: nil),
        .init(text: "flug storniert geld zurück von der airline", label: nil),
    ]

    @Test func itLearnsWhichIntentAMessageReadsLike() throws {
        let model = MessageClassifier(documents: Self.documents)
        let parcel = try #require(model.classify("Paket immer noch nicht da!"))
        #expect(parcel.intentIndex == 0)
        #expect(parcel.probability > 0.5)
        let money = try #require(model.classify("wann ist das Geld auf meinem Konto"))
        #expect(money.intentIndex == 1)
    }

    @Test func otherBusinessIsAClassOfItsOwn() throws {
        let model = MessageClassifier(documents: Self.documents)
        let guess = try #require(model.classify("netflix abo kündigen bitte"))
        #expect(guess.intentIndex == nil)
    }

    @Test func wordsItNeverSawGiveNoGuess() {
        let model = MessageClassifier(documents: Self.documents)
        #expect(model.classify("regnet heute 12345") == nil)
        #expect(MessageClassifier(documents: []).classify("wo ist mein paket") == nil)
    }

    /// A word no labelled text had is read by its runs of four letters: a typo or a dialect
    /// form of a known word leans the model towards that word's intent.
    @Test func aWordItNeverSawIsReadByItsLetterGroups() throws {
        let model = MessageClassifier(documents: Self.documents)
        #expect(MessageClassifier.letterGroups(of: "paket").count == 4)   // ^pak pake aket ket$
        #expect(MessageClassifier.letterGroups(of: "da").count == 1)
        let parcel = try #require(model.classify("paketchen"))
        #expect(parcel.intentIndex == 0)
        let money = try #require(model.classify("erstatungen"))
        #expect(money.intentIndex == 1)
        #expect(model.unknownWords(in: ["paketchen"]) == 1)
    }

    @Test func numbersAndSingleLettersAreNoFeatures() {
        #expect(MessageClassifier.features(of: ["paket", "4410293", "x"]) == MessageClassifier.features(of: ["paket"]))
        // A word pair is a feature of its own: the same words in another order differ.
        #expect(MessageClassifier.features(of: ["geld", "zurueck"]) != MessageClassifier.features(of: ["zurueck", "geld"]))
    }

    /// Shipped knowledge base: fallbacks and clarifying questions the model settles (the
    /// examples' closest intent and the model agree), and a pattern it overrules. Each row
    /// is understood otherwise with the stage off.
    @Test(arguments: [
        ("Andere Zahlungsarten brauch ich nicht, ich will wissen, warum meine Karte bei euch nicht durchgeht.", "payment_problem"),
        ("Dat Paket muss an ne andere Adress, ich bin ab morje bei meiner Mam. Geht dat noch? #5591204", "change_address"),
        ("Ich will mein Konto nicht löschen, aber wissen, ob ihr meine Adresse an andere Firmen weitergebt.", "data_privacy"),
    ])
    func theShippedModelDecides(_ text: String, _ expected: String) {
        let tests = UnderstandingTests()
        let (id, result) = tests.understood(text)
        #expect(id == expected)
        #expect(result.learned?.intentIndex.map { UnderstandingTests.shipped.intents[$0].id } == expected)
        #expect(result.evidence(UnderstandingTests.shipped).contains("learned from"))
        #expect(tests.understood(text, without: .learned).0 != expected)
    }

    /// A fallback whose examples rank the model's intent lower, or share one word with it,
    /// is answered when the model is all but certain; without that rule each row falls back.
    @Test(arguments: [
        ("free shippin from what amount?", "shipping_costs"),
        ("any update on my ordr 5512093", "order_status"),
        ("Toaster röstet nur noch auf einer Seite, hab ihn letzten Herbst gekauft", "warranty"),
        ("moin, letzte woche bestelt, noch nix gehört, is dat unterwegs", "order_status"),
    ])
    func aModelAllButCertainAnswersWhatTheExamplesRankLower(_ text: String, _ expected: String) {
        let kb = UnderstandingTests.shipped
        let result = MessageInterpreter().interpret(text, kb: kb, scratch: kb.matcher.makeScratch())
        #expect(result.intentIndex.map { kb.intents[$0].id } == expected)
        #expect(result.learned != nil)
        var careful = MessageInterpreter()
        careful.learnedSureConfidence = 2
        careful.learnedAloneConfidence = 2
        let without = careful.interpret(text, kb: kb, scratch: kb.matcher.makeScratch())
        #expect(without.decision == .none)
    }

    /// A word the model never saw may be the topic itself: a new question ("gift wrap")
    /// must fall back, so the gap review finds it, however sure the model is of its other
    /// words. Certain beyond 0.999 the model answers alone, unless a long word it never saw
    /// is half the message's words that say something.
    @Test func aMessageWithAWordTheModelNeverSawIsNotAnsweredOnCertaintyAlone() {
        let text = "Bietet ihr Geschenkverpackung an?"
        let kb = UnderstandingTests.shipped
        let result = MessageInterpreter().interpret(text, kb: kb, scratch: kb.matcher.makeScratch())
        #expect(result.decision == .none)
        let guess = kb.understanding.classifier.classify(text)
        #expect((guess?.probability ?? 0) >= 0.99)
        #expect(kb.understanding.classifier.unknownWords(in: MessageWords.words(of: text)) == 1)
    }

    /// A pattern answers shop words; when the model is all but certain they are said about
    /// other business, the message is turned away. The same words said to us stay ours.
    @Test func aPatternAnswerTheModelIsSureIsOtherBusinessIsTurnedAway() {
        let kb = UnderstandingTests.shipped
        let text = "the photo booth company cancelled and kept our deposit"
        let result = MessageInterpreter().interpret(text, kb: kb, scratch: kb.matcher.makeScratch())
        #expect(result.decision == .outOfScope)
        #expect(result.evidence(kb).contains("other business over the pattern of 'cancel_order'"))
        var trusting = MessageInterpreter()
        trusting.learnedVeto = 2
        trusting.learnedVetoWithExamples = 2
        let without = trusting.interpret(text, kb: kb, scratch: kb.matcher.makeScratch())
        #expect(without.intentIndex.map { kb.intents[$0].id } == "cancel_order")
        let ours = MessageInterpreter().interpret("you cancelled my photo booth order and kept our deposit", kb: kb,
                                                  scratch: kb.matcher.makeScratch())
        #expect(ours.intentIndex.map { kb.intents[$0].id } == "cancel_order")
    }

    /// Fairly sure of other business (0.999), with the examples ranking the out-of-scope
    /// layer first and the pattern's intent below second: the answer is turned away (a
    /// message of a tuning set: a cinema's bonus card). Without the rule it stands; the
    /// dev-set refund question, whose examples rank refund_status second, stays answered.
    @Test func aPatternAnswerTheModelAndTheExamplesCallOtherBusinessIsTurnedAway() {
        let kb = UnderstandingTests.shipped
        let text = "Wie viele Punkte brauche ich auf der CinemaxX-Bonuskarte für ein Freiticket?"
        let result = MessageInterpreter().interpret(text, kb: kb, scratch: kb.matcher.makeScratch())
        #expect(result.decision == .outOfScope)
        #expect(result.evidence(kb).contains("the examples agreeing, over the pattern of 'loyalty_points'"))
        var trusting = MessageInterpreter()
        trusting.learnedVetoWithExamples = 2
        let without = trusting.interpret(text, kb: kb, scratch: kb.matcher.makeScratch())
        #expect(without.intentIndex.map { kb.intents[$0].id } == "loyalty_points")
        let refund = MessageInterpreter().interpret("bekomme ich das geld aufs paypal konto oder als gutschein zurück", kb: kb,
                                                    scratch: kb.matcher.makeScratch())
        #expect(refund.intentIndex.map { kb.intents[$0].id } == "refund_status")
    }

    /// Certain alone: a fallback the examples cannot place, a pattern's answer to other
    /// business the examples do not recognise, and a pattern of another intent the examples
    /// do not rank first. Each was decided otherwise before the model was trusted alone.
    @Test(arguments: [
        ("Bought loads from you this year — how many reward thingies have I got saved?", "loyalty_points", "-"),
        ("Wer kriegt bei eich eigentlich mei Kontonummer z'sehe?", "data_privacy", "-"),
        ("The sawmill still hasn't delivered the boards they cut from my oak tree, it's been five weeks.", "-", "delivery_delay"),
        ("Im Parkhaus am Hauptbahnhof hab ich das Ticket verloren und soll jetzt den Tagessatz von 30 Euro zahlen, obwohl ich nur zwei Stunden drin stand.",
         "-", "wrong_or_missing_item"),
        ("Code from the magazine isn't taking, is it broken or am I doing it wrong?", "voucher_redeem", "damaged_item"),
    ])
    func aModelCertainAloneDecides(_ text: String, _ expected: String, _ withoutModel: String) {
        let tests = UnderstandingTests()
        let (id, result) = tests.understood(text)
        #expect(id == expected)
        #expect(result.evidence(UnderstandingTests.shipped).contains("learned from"))
        #expect(tests.understood(text, without: .learned).0 == withoutModel)
    }

    /// The examples keep a veto over the model's certainty: an author's own example is
    /// answered with its intent, though the model has read many returns that start the same way.
    @Test func theExamplesOwnIntentStandsAgainstTheModel() throws {
        let kb = UnderstandingTests.shipped
        let text = "wie lange habe ich zeit für einen umtausch"
        let guess = try #require(kb.understanding.classifier.classify(text))
        #expect(guess.intentIndex.map { kb.intents[$0].id } == "return_item")
        #expect(guess.probability >= MessageInterpreter().learnedOverrule)
        #expect(UnderstandingTests().understood(text).0 == "exchange_item")
    }

    /// Below the overrule, the model sure of another intent than the pattern's and the
    /// examples ranking that intent first: two readers of three disagree with the answer, so
    /// the customer is asked which one they mean (a message of dev-set 2 and one of a tuning
    /// set). Without the rule the pattern's answer stands.
    @Test(arguments: [
        (Self.paidNotShipped, "delivery_delay", "order_status"),
        ("newsletter-abo kündigen", "newsletter_unsubscribe", "subscription"),
    ])
    func aPatternTheModelAndTheExamplesDoubtIsAsked(_ text: String, _ pattern: String, _ other: String) {
        let kb = UnderstandingTests.shipped
        let result = MessageInterpreter().interpret(text, kb: kb, scratch: kb.matcher.makeScratch())
        #expect(result.decision == .clarify)
        #expect(result.options.map { kb.intents[$0].id } == [pattern, other])
        #expect(result.evidence(kb).contains("asked: learned from"))
        #expect(result.evidence(kb).contains("against the pattern of '\(pattern)'"))
        var trusting = MessageInterpreter()
        trusting.learnedDoubt = 2
        let without = trusting.interpret(text, kb: kb, scratch: kb.matcher.makeScratch())
        #expect(without.decision == .pattern)
        #expect(without.intentIndex.map { kb.intents[$0].id } == pattern)
    }

    static let paidNotShipped = "Bestellung #48213907 ist laut Mail bezahlt, aber noch nicht verschickt. Ist sie schon in Bearbeitung?"

    /// The model learns a labelled message as it reads one when answering: without what the
    /// customer rules out. An exchange that turns a refund down teaches no refund words to
    /// exchanges; a message without a negation is learned whole.
    @Test func theModelLearnsWithoutWhatTheCustomerRulesOut() {
        let exchange = MessageWords.words(of: Understanding.readable("Geld zurück will ich nicht, lieber die Hose eine Nummer größer"))
        #expect(!exchange.contains("geld") && !exchange.contains("zurueck"))
        #expect(exchange.contains("hose") && exchange.contains("groesser"))
        let refund = "wann bekomme ich mein Geld zurück"
        #expect(Understanding.readable(refund) == refund)
        // Trained on the raw texts, the shipped model was sure that this counter-example of
        // exchange_item is an exchange, and overruled the refund pattern with it.
        let kb = UnderstandingTests.shipped
        let result = MessageInterpreter().interpret("ich möchte die hose zurückgeben und das geld zurück", kb: kb, scratch: kb.matcher.makeScratch())
        #expect(result.intentIndex.map { kb.intents[$0].id } != "exchange_item")
    }

    /// The same question in a conversation: both intents offered, a digit answers it.
    @Test func theCustomerAnswersTheDoubtWithADigit() throws {
        let kb = UnderstandingTests.shipped
        var conversation = Conversation(sessionID: "s1", knowledgeBase: kb)
        let identity = IdentityPolicy(directory: TestKnowledgeBase.directory(kb))
        let scratch = kb.matcher.makeScratch()
        let asked = conversation.receive(Self.paidNotShipped, kb: kb, identity: identity, scratch: scratch)
        #expect(asked.events.contains(.clarify(options: ["delivery_delay", "order_status"])))
        let answered = conversation.receive("2", kb: kb, identity: identity, scratch: scratch)
        let reply = try #require(answered.outputs.compactMap { output -> Reply? in
            if case let .reply(reply) = output { return reply }
            return nil
        }.last)
        #expect(reply.intent == "order_status")
    }

    /// The out-of-scope layer's examples resemble other business; what they turn away the
    /// model answers when it is certain beyond doubt (0.99999) of an intent.
    @Test(arguments: [
        ("Brauch den Account nich mehr, macht den einfach weg pls", "account_delete"),
        ("Order from last week – nothing showing in my rewards for it.", "loyalty_points"),
    ])
    func whatTheLayersExamplesTurnedAwayACertainModelAnswers(_ text: String, _ expected: String) {
        let tests = UnderstandingTests()
        let (id, result) = tests.understood(text)
        #expect(id == expected)
        #expect(result.learned != nil)
        let without = ForeignNameRuleTests.interpret(text, stages: UnderstandingStages.all.subtracting(.learned))
        #expect(without.outOfScopeRule == "examples of 'out_of_scope'")
        var doubting = MessageInterpreter()
        doubting.learnedOverExamplesOfOtherBusiness = 2
        let kb = UnderstandingTests.shipped
        #expect(doubting.interpret(text, kb: kb, scratch: kb.matcher.makeScratch()).decision == .outOfScope)
    }

    @Test func itNeverOverrulesTheOutOfScopeLayer() {
        let tests = UnderstandingTests()
        for text in ["mein lufthansa flug wurde gestrichen, wie bekomme ich eine erstattung", "wie ändere ich das wlan passwort an meiner fritzbox"] {
            let (id, result) = tests.understood(text)
            #expect(id == "-")
            #expect(result.learned == nil)
        }
    }

    @Test func labelledFilesAreReadAndCheckedAtLoad() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("treue-labelled-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/labelled", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let yaml = #"""
        labelled_messages:
          - labelled/*.tsv
        intents:
          - id: parcel
            title: { de: Paket }
            patterns:
              de: ['\bpaket\b']
            answers:
              default: { de: "Ihr Paket." }
        """#
        try yaml.write(toFile: folder + "/kb.yaml", atomically: true, encoding: .utf8)
        // Saved on Windows, with a row short of a column; a tagged copy reads by its header.
        try "intent\tlang\ttext\r\nparcel\tde\two bleibt die lieferung\r\n-\tde\tnetflix abo\r\nrefund\tde\tgeld zurück\r\nparcel\tde\r\n"
            .write(toFile: folder + "/labelled/a.tsv", atomically: true, encoding: .utf8)
        try "intent\tlang\tclasses\ttext\nparcel\tde\tP\tpaket kommt nicht\n"
            .write(toFile: folder + "/labelled/b.tsv", atomically: true, encoding: .utf8)
        let (content, diagnostics) = KnowledgeBaseLoader.load(directory: folder)
        #expect(content.labelled.map(\.text) == ["wo bleibt die lieferung", "netflix abo", "paket kommt nicht"])
        #expect(content.labelled.map(\.intent) == ["parcel", "-", "parcel"])
        #expect(diagnostics.contains { $0.message.contains("unknown intent 'refund'") && $0.location?.line == 4 })
        #expect(diagnostics.contains { $0.message.contains("expected intent<TAB>lang<TAB>text") && $0.location?.line == 5 })

        try "labelled_messages: [missing/*.tsv]\n".write(toFile: folder + "/kb.yaml", atomically: true, encoding: .utf8)
        let (_, missing) = KnowledgeBaseLoader.load(directory: folder)
        #expect(missing.contains { $0.message.contains("no file matches 'missing/*.tsv'") })
    }
}
