/// What each error code says to the customer.
enum ErrorTexts {
    static func text(_ code: ErrorCode, language: String) -> String {
        let german = language == "de"
        switch code {
        case .unknownCommand: return german ? "Unbekannter Befehl. /help zeigt alle Befehle." : "Unknown command. /help lists the commands."
        case .badArgument: return german ? "Ungültige Angabe für diesen Befehl. /help zeigt die Befehle." : "Invalid argument for this command. /help lists the commands."
        case .notAllowed: return german ? "Dieser Befehl ist hier nicht erlaubt." : "This command is not allowed here."
        case .loginFailed: return german ? "Anmeldung fehlgeschlagen: unbekannte Kundennummer oder ungültiges Token." : "Login failed: unknown customer id or invalid token."
        case .nothingToRate: return german ? "Es gibt noch keine Antwort zum Bewerten." : "There is no answer to rate yet."
        case .lineTooLong: return german ? "Ihre Nachricht ist zu lang; der Rest der Zeile wurde verworfen." : "Your message is too long; the rest of the line was discarded."
        case .invalidUTF8: return german ? "Ihre Nachricht enthält ungültige Zeichen (kein UTF-8)." : "Your message contains invalid characters (not UTF-8)."
        case .controlCharacters: return german ? "Ihre Nachricht enthält Steuerzeichen und wurde ignoriert." : "Your message contains control characters and was ignored."
        case .rateLimited: return german ? "Sie schreiben zu schnell. Bitte warten Sie einen Moment." : "You are sending too fast. Please wait a moment."
        case .serverBusy: return german ? "Gerade sind alle Leitungen belegt. Bitte versuchen Sie es gleich noch einmal." : "All lines are busy right now. Please try again shortly."
        case .idleTimeout: return german ? "Der Chat wurde wegen Inaktivität beendet." : "The chat was closed for inactivity."
        case .unavailable: return german ? "Der Chat ist gerade nicht verfügbar." : "The chat is unavailable right now."
        }
    }
}
