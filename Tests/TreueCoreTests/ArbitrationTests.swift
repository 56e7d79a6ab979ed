import Testing
@testable import TreueCore

/// Patterns of two intents match one message: priority would pick one, the examples say
/// which the customer means, and a clear verdict of the examples answers.
struct ArbitrationTests {
    static let yaml = TestKnowledgeBase.yaml + ##"""

      - id: account_login
        title: { de: Anmeldung, en: Login }
        priority: 1
        patterns:
          de: ['\blogin\b|\banmeld\w*']
        examples:
          de: ["login geht nicht", "passwort falsch beim login", "e-mail oder passwort falsch, ich komme nicht rein"]
        answers:
          default: { de: "Setzen Sie Ihr Passwort zurück.", en: "Reset your password." }
      - id: change_personal_data
        title: { de: Daten ändern, en: Change details }
        patterns:
          de: ['\be-?mail\b']
        examples:
          de: ["neue e-mail adresse eintragen", "e-mail im profil ändern", "meine telefonnummer ändern"]
        answers:
          default: { de: "Daten ändern Sie im Profil.", en: "Change your details in your profile." }
    """##

    let kb: KnowledgeBase = {
        let (kb, diagnostics) = KnowledgeBase.load(texts: [("test.yaml", yaml)])
        guard let kb else { fatalError("\(diagnostics)") }
        return kb
    }()

    func understood(_ text: String, without: UnderstandingStages = []) -> Interpretation {
        var stages = UnderstandingStages.all
        stages.subtract(without)
        return MessageInterpreter(stages: stages).interpret(text, kb: kb, scratch: kb.matcher.makeScratch())
    }

    func id(_ result: Interpretation) -> String? { result.intentIndex.map { kb.intents[$0].id } }

    // The cross-check is off in these rows, so what they show is this stage's alone.
    @Test(arguments: [
        // Both patterns match; the examples speak for the one priority would not pick.
        ("Login klappt, aber ich will im Profil eine neue E-Mail Adresse eintragen", "change_personal_data", "account_login"),
        // Both match and the examples agree with priority.
        ("beim login kommt immer e-mail oder passwort falsch", "account_login", "account_login"),
        // Only one pattern matched: the examples have nothing to choose from.
        ("neue e-mail adresse im profil eintragen", "change_personal_data", "change_personal_data"),
        // The examples are not clear enough: priority decides as before.
        ("e-mail login", "account_login", "account_login"),
    ])
    func theExamplesChooseAmongTheIntentsWhosePatternsMatched(_ text: String, _ expected: String, _ withoutStage: String) {
        let result = understood(text, without: .crossCheck)
        #expect(result.decision == .pattern)
        #expect(id(result) == expected)
        #expect(id(understood(text, without: [.arbitration, .crossCheck])) == withoutStage)
    }

    @Test func theEvidenceNamesThePatternThatLost() throws {
        let result = understood("Login klappt, aber ich will im Profil eine neue E-Mail Adresse eintragen")
        let overruled = try #require(result.overruled)
        #expect(kb.intents[overruled.intentIndex].id == "account_login")
        let evidence = result.evidence(kb)
        #expect(evidence.contains("chosen by the examples"))
        #expect(evidence.contains("over the pattern of 'account_login'"))
        // The answer's captures and language come from the chosen intent's own pattern.
        #expect(result.hit?.intentIndex == result.intentIndex)
    }

    @Test func anIntentWithoutExamplesKeepsItsPriority() throws {
        // An author's catch-all with no examples: the examples cannot judge it, so they do not.
        let catchAll = Self.yaml + ##"""

          - id: login_outage
            priority: 50
            patterns:
              de: ['\blogin\b']
            answers:
              default: { de: "Der Login ist gerade gestört.", en: "Login is down right now." }
        """##
        let (kb, diagnostics) = KnowledgeBase.load(texts: [("test.yaml", catchAll)])
        let loaded = try #require(kb, "\(diagnostics)")
        let result = MessageInterpreter(stages: UnderstandingStages.all.subtracting(.crossCheck))
            .interpret("Login klappt, aber ich will im Profil eine neue E-Mail Adresse eintragen", kb: loaded, scratch: loaded.matcher.makeScratch())
        #expect(result.intentIndex.map { loaded.intents[$0].id } == "login_outage")
        #expect(result.overruled == nil)
    }

    @Test func theOutOfScopeLayerIsNeverOverruledByIt() {
        // Arbitration runs among the shop's intents only; the shipped layer still rejects.
        let kb = UnderstandingTests.shipped
        let result = MessageInterpreter().interpret("wie kündige ich mein netflix abo", kb: kb, scratch: kb.matcher.makeScratch())
        #expect(result.decision == .outOfScope)
    }
}
