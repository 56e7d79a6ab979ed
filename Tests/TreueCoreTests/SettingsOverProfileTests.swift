import Testing
@testable import TreueCore

/// A CRM export may carry a column named like one of the shop's settings (`email`,
/// `hotline`). Answers keep the shop's value, and `treue check` says the column is shadowed.
struct SettingsOverProfileTests {
    static let yaml = ##"""
    settings:
      email: service@treue-shop.de
    languages: [de]
    phases:
      order: [awareness, loyalty]
      default: awareness
    intents:
      - id: contact
        title: Kontakt
        patterns:
          de: ['\bkontakt\b']
        examples:
          de: ["kontakt bitte"]
        answers:
          default:
            de: "[[{name}, ]]schreiben Sie uns an {email}."
    """##

    static let csv = """
    id,phase,name,email
    C1,loyalty,Anna,anna@example.org
    """

    @Test func theShopsAddressIsAnsweredNotTheCustomersOwn() throws {
        let kb = try #require(KnowledgeBase.load(texts: [("kb.yaml", Self.yaml)]).0)
        let directory = try CustomerDirectory.parse(csv: Self.csv, phases: kb.phases)
        var conversation = Conversation(sessionID: "s", knowledgeBase: kb)
        let identity = IdentityPolicy(directory: directory)
        let scratch = kb.matcher.makeScratch()
        _ = conversation.receive("/login C1", kb: kb, identity: identity, scratch: scratch)
        let step = conversation.receive("kontakt bitte", kb: kb, identity: identity, scratch: scratch)
        let texts = step.events.compactMap { if case let .reply(reply) = $0 { return reply.text } else { return nil } }
        #expect(texts == ["Anna, schreiben Sie uns an service@treue-shop.de."])
    }

    @Test func checkWarnsAboutTheShadowedColumn() throws {
        let kb = try #require(KnowledgeBase.load(texts: [("kb.yaml", Self.yaml)]).0)
        let directory = try CustomerDirectory.parse(csv: Self.csv, phases: kb.phases)
        let found = KnowledgeBaseChecker(kb: kb, directory: directory).check().filter { $0.code == "customers" }
        #expect(found.count == 1)
        #expect(found.first?.message.contains("the customer column 'email' has the name of a setting") == true)
        #expect(KnowledgeBaseChecker(kb: kb, directory: .empty).check().allSatisfy { $0.code != "customers" })
    }
}
