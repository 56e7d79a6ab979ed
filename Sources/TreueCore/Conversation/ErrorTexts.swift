/// What each error code says to the customer: the one place for these texts. A knowledge
/// base overrides any of them under `messages` with the key `error_CODE`
/// (`error_rate_limited: { de: …, en: … }`), like the other system messages.
public enum ErrorTexts {
    static let builtIn: [ErrorCode: [String: String]] = [
        .unknownCommand: ["de": "Unbekannter Befehl. /help zeigt alle Befehle.", "en": "Unknown command. /help lists the commands."],
        .badArgument: ["de": "Ungültige Angabe für diesen Befehl. /help zeigt die Befehle.", "en": "Invalid argument for this command. /help lists the commands."],
        .notAllowed: ["de": "Dieser Befehl ist hier nicht erlaubt.", "en": "This command is not allowed here."],
        .loginFailed: ["de": "Anmeldung fehlgeschlagen: unbekannte Kundennummer oder ungültiges Token.", "en": "Login failed: unknown customer id or invalid token."],
        .nothingToRate: ["de": "Es gibt noch keine Antwort zum Bewerten.", "en": "There is no answer to rate yet."],
        .lineTooLong: ["de": "Ihre Nachricht ist zu lang; der Rest der Zeile wurde verworfen.", "en": "Your message is too long; the rest of the line was discarded."],
        .invalidUTF8: ["de": "Ihre Nachricht enthält ungültige Zeichen (kein UTF-8).", "en": "Your message contains invalid characters (not UTF-8)."],
        .controlCharacters: ["de": "Ihre Nachricht enthält Steuerzeichen und wurde ignoriert.", "en": "Your message contains control characters and was ignored."],
        .rateLimited: ["de": "Sie schreiben zu schnell. Bitte warten Sie einen Moment.", "en": "You are sending too fast. Please wait a moment."],
        .serverBusy: ["de": "Gerade sind alle Leitungen belegt. Bitte versuchen Sie es gleich noch einmal.", "en": "All lines are busy, please try again shortly."],
        .idleTimeout: ["de": "Der Chat wurde wegen Inaktivität beendet.", "en": "The chat was closed for inactivity."],
        .unavailable: ["de": "Der Chat ist gerade nicht verfügbar, Ihre Nachricht wurde nicht gespeichert.", "en": "The chat is unavailable; your message was not stored."],
    ]

    /// The key a knowledge base overrides a code's text with.
    public static func messageKey(_ code: ErrorCode) -> String { "error_" + code.rawValue }

    /// The built-in text (used where no knowledge base is at hand).
    static func text(_ code: ErrorCode, language: String) -> String {
        builtIn[code]?[language] ?? builtIn[code]?["en"] ?? code.rawValue
    }

    static func text(_ code: ErrorCode, language: String, overrides: [String: [String: String]], fallbackLanguage: String) -> String {
        let key = messageKey(code)
        return overrides[key]?[language] ?? builtIn[code]?[language] ?? overrides[key]?[fallbackLanguage]
            ?? builtIn[code]?[fallbackLanguage] ?? text(code, language: "en")
    }
}

extension KnowledgeBase {
    /// A code's text in `language`, as this knowledge base words it.
    public func errorText(_ code: ErrorCode, language: String) -> String {
        ErrorTexts.text(code, language: language, overrides: content.messages, fallbackLanguage: defaultLanguage)
    }

    /// A code's text in every language of the knowledge base, default first ("… / …"),
    /// for what the server says before it knows a customer's language (a refusal).
    public func errorTextInEveryLanguage(_ code: ErrorCode) -> String {
        ([defaultLanguage] + languages.filter { $0 != defaultLanguage }).map { errorText(code, language: $0) }.joined(separator: " / ")
    }
}
