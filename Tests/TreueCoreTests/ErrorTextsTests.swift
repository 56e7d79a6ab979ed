import Testing
@testable import TreueCore

/// Customer-facing error texts come from one table and a knowledge base can reword them.
struct ErrorTextsTests {
    @Test func everyCodeHasAGermanAndAnEnglishText() {
        let codes: [ErrorCode] = [.unknownCommand, .badArgument, .notAllowed, .loginFailed, .nothingToRate, .lineTooLong,
                                  .invalidUTF8, .controlCharacters, .rateLimited, .serverBusy, .idleTimeout, .unavailable]
        for code in codes {
            #expect(ErrorTexts.builtIn[code]?["de"] != nil, "\(code)")
            #expect(ErrorTexts.builtIn[code]?["en"] != nil, "\(code)")
        }
    }

    @Test func aKnowledgeBaseOverridesAnErrorTextLikeASystemMessage() throws {
        let yaml = TestKnowledgeBase.yaml + """

        messages:
          error_rate_limited:
            de: "Langsam bitte, wir lesen alles."
        """
        let (loaded, diagnostics) = KnowledgeBase.load(texts: [("test.yaml", yaml)])
        let kb = try #require(loaded, "\(diagnostics)")
        #expect(kb.errorText(.rateLimited, language: "de") == "Langsam bitte, wir lesen alles.")
        // Not overridden in English: the built-in text stays.
        #expect(kb.errorText(.rateLimited, language: "en") == "You are sending too fast. Please wait a moment.")
        #expect(kb.errorTextInEveryLanguage(.serverBusy).contains(" / "))

        var conversation = Conversation(knowledgeBase: kb)
        _ = conversation.open(kb)
        let step = conversation.reject(.rateLimited, detail: "rate limit", kb)
        #expect(step.outputs.contains { "\($0)".contains("Langsam bitte") })
    }
}
