/// The texts the conversation itself says (greeting, prompts, handoff, …), built in for
/// German and English; a knowledge base overrides any of them under `messages`.
public enum SystemMessages {
    static let builtIn: [String: [String: String]] = [
        "greeting": [
            "de": "Willkommen beim Kundenservice von {shop_name|unserem Shop}! Wie kann ich Ihnen helfen? (/help zeigt die Befehle)",
            "en": "Welcome to {shop_name|our shop}'s customer service! How can I help you? (/help lists the commands)",
        ],
        "help": [
            "de": "Schreiben Sie Ihre Frage einfach in eigenen Worten. Befehle: /help, /lang de|en, /login ID [TOKEN], /phase, /feedback 1-5 [Kommentar], /rate up|down, /agent (Mitarbeiter), /reset, /why, /json, /text, /quit",
            "en": "Just type your question in your own words. Commands: /help, /lang de|en, /login ID [TOKEN], /phase, /feedback 1-5 [comment], /rate up|down, /agent (a person), /reset, /why, /json, /text, /quit",
        ],
        "fallback": [
            "de": "Das habe ich leider nicht verstanden. Vielleicht hilft eine dieser Fragen:",
            "en": "Sorry, I did not understand that. Maybe one of these questions helps:",
        ],
        "clarify": [
            "de": "Damit ich richtig antworte: Geht es um „{first}“ (1) oder um „{second}“ (2)? Antworten Sie mit 1 oder 2, oder fragen Sie anders.",
            "en": "So that I answer the right question: is it about “{first}” (1) or “{second}” (2)? Answer 1 or 2, or ask in other words.",
        ],
        "handoff_offer": [
            "de": "Ich komme hier nicht weiter. Möchten Sie mit einem Mitarbeiter sprechen? Schreiben Sie /agent.",
            "en": "I'm stuck here. Would you like to talk to a person? Type /agent.",
        ],
        "handoff_queued": [
            "de": "Sie sind Nr. {position} – ein Mitarbeiter ist gleich für Sie da (Ticket {ticket}). Bis dahin können Sie weiter schreiben.",
            "en": "You are number {position} in the queue – a member of our team will be with you shortly (ticket {ticket}). You can keep writing meanwhile.",
        ],
        "handoff_repeat": [
            "de": "Sie sind bereits für einen Mitarbeiter vorgemerkt (Ticket {ticket}).",
            "en": "You are already waiting for a member of our team (ticket {ticket}).",
        ],
        "handoff_offline": [
            "de": "Gerade ist leider kein Mitarbeiter im Chat (Ticket {ticket}).[[ Telefonisch erreichen Sie uns unter {hotline}.]]",
            "en": "Sorry, no member of our team is in the chat right now (ticket {ticket}).[[ You can call us at {hotline}.]]",
        ],
        "handoff_closed_hours": [
            "de": "Unser Service-Team ist gerade nicht im Dienst[[ ({service_hours})]] (Ticket {ticket}).",
            "en": "Our service team is not on duty right now[[ ({service_hours})]] (ticket {ticket}).",
        ],
        "contact_prompt": [
            "de": "Wie können wir Sie zurückrufen oder anschreiben? Nennen Sie eine E-Mail-Adresse oder Telefonnummer – damit willigen Sie ein, dass wir Sie nur zu diesem Anliegen kontaktieren. Oder schreiben Sie „nein“.",
            "en": "How can we call or write you back? Give an e-mail address or phone number – you agree that we contact you about this request only. Or type \"no\".",
        ],
        "contact_invalid": [
            "de": "Das sieht nicht nach einer E-Mail-Adresse oder Telefonnummer aus. Bitte noch einmal, oder „nein“.",
            "en": "That does not look like an e-mail address or phone number. Please try again, or type \"no\".",
        ],
        "contact_saved": [
            "de": "Danke, wir melden uns bei Ihnen. Ihr Ticket: {ticket}.",
            "en": "Thank you, we will get back to you. Your ticket: {ticket}.",
        ],
        "contact_declined": [
            "de": "In Ordnung, ohne Kontaktangabe. Ihr Ticket: {ticket} – nennen Sie es, wenn Sie uns erreichen[[ ({hotline})]].",
            "en": "All right, no contact given. Your ticket: {ticket} – mention it when you reach us[[ ({hotline})]].",
        ],
        "agent_joined": [
            "de": "{agent} vom Service-Team ist jetzt für Sie da.",
            "en": "{agent} from our service team is here for you now.",
        ],
        "agent_back": [
            "de": "Sie schreiben jetzt wieder mit dem digitalen Assistenten. Mit /agent erreichen Sie erneut einen Mitarbeiter.",
            "en": "You are back with the digital assistant. Type /agent to reach a person again.",
        ],
        "agent_closed": [
            "de": "Der Mitarbeiter hat das Gespräch beendet.",
            "en": "The member of our team has ended the conversation.",
        ],
        "handoff_moved": [
            "de": "Sie sind jetzt Nr. {position} (Ticket {ticket}).",
            "en": "You are now number {position} in the queue (ticket {ticket}).",
        ],
        "agent_left": [
            "de": "Die Verbindung zum Mitarbeiter ist abgerissen. Sie sind Nr. {position} – gleich ist wieder jemand für Sie da.",
            "en": "The connection to our team member dropped. You are number {position} – someone will be with you again shortly.",
        ],
        "rating_prompt": [
            "de": "Bevor Sie gehen: Wie zufrieden waren Sie mit diesem Chat? Antworten Sie mit 1 (gar nicht) bis 5 (sehr), oder mit etwas anderem zum Überspringen.",
            "en": "Before you go: how satisfied were you with this chat? Answer 1 (not at all) to 5 (very), or anything else to skip.",
        ],
        "bye": [
            "de": "Vielen Dank für Ihren Besuch. Auf Wiedersehen!",
            "en": "Thank you for visiting. Goodbye!",
        ],
        "feedback_thanks": [
            "de": "Danke für Ihre Bewertung!",
            "en": "Thank you for your rating!",
        ],
        "rate_thanks": [
            "de": "Danke, das hilft uns, besser zu werden.",
            "en": "Thanks, that helps us improve.",
        ],
        "language_set": ["de": "Ich antworte ab jetzt auf Deutsch.", "en": "I will answer in English from now on."],
        "phase_current": ["de": "Aktuelle Phase: {phase}", "en": "Current phase: {phase}"],
        "phase_set": ["de": "Phase gesetzt: {phase}", "en": "Phase set to {phase}"],
        "login_ok": ["de": "Angemeldet[[ als {name}]].", "en": "Logged in[[ as {name}]]."],
        "reset_done": ["de": "Ich habe den Gesprächsverlauf zurückgesetzt.", "en": "I have reset our conversation."],
        "idle_bye": [
            "de": "Da Sie eine Weile nichts geschrieben haben, beende ich den Chat. Auf Wiedersehen!",
            "en": "As you have been quiet for a while, I am closing this chat. Goodbye!",
        ],
        "shutdown_bye": [
            "de": "Der Chat wird gerade gewartet und beendet. Bitte versuchen Sie es gleich noch einmal. Auf Wiedersehen!",
            "en": "The chat is going down for maintenance. Please try again in a moment. Goodbye!",
        ],
        // Orders (SPEC 5a). One neutral text for an unknown number, another customer's
        // order and a wrong postcode, so no one learns which numbers exist.
        "order_postcode_prompt": [
            "de": "Damit nur Sie Ihre Bestelldaten sehen: Wie lautet die Postleitzahl der Lieferadresse?",
            "en": "So that only you see your order details: what is the postcode of the delivery address?",
        ],
        "order_not_found": [
            "de": "Zu dieser Bestellnummer kann ich in Ihrem Kundenkonto keine Bestellung finden. Bitte prüfen Sie die Nummer in Ihrer Bestellbestätigung.",
            "en": "I cannot find an order with this number in your account. Please check the number in your order confirmation.",
        ],
        "order_not_found_guest": [
            "de": "Zu dieser Bestellnummer und Postleitzahl kann ich keine Bestellung finden. Bitte prüfen Sie beides in Ihrer Bestellbestätigung.",
            "en": "I cannot find an order with this number and postcode. Please check both in your order confirmation.",
        ],
        "order_locked": [
            "de": "Bestelldaten kann ich in diesem Chat nicht mehr abrufen. Ein Mitarbeiter hilft Ihnen gern weiter: schreiben Sie /agent.",
            "en": "I can no longer look up orders in this chat. A member of our team is glad to help: type /agent.",
        ],
        "order_unavailable": [
            "de": "Ich kann den Bestellstatus gerade nicht abrufen, bitte entschuldigen Sie.",
            "en": "I cannot look up the order status right now, sorry.",
        ],
        "order_several": [
            "de": "Sie haben mehrere Bestellnummern genannt: Fragen Sie bitte nach einer Bestellung pro Nachricht, dann sehe ich nach.",
            "en": "You mentioned several order numbers: please ask about one order per message and I will look it up.",
        ],
        "order_person": [
            "de": "Wenn Sie möchten, übernimmt ein Mitarbeiter: schreiben Sie /agent.",
            "en": "If you like, a member of our team takes over: type /agent.",
        ],
    ]

    static func template(_ key: String, language: String, overrides: [String: [String: String]], fallbackLanguage: String) -> String {
        overrides[key]?[language] ?? builtIn[key]?[language] ?? overrides[key]?[fallbackLanguage]
            ?? builtIn[key]?[fallbackLanguage] ?? builtIn[key]?["en"] ?? key
    }
}
