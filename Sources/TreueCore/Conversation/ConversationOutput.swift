/// What the conversation says to the customer, independent of plain or JSON framing.
public enum ConversationOutput: Sendable, Equatable {
    case mode(OutputMode)
    case greeting(text: String, session: String)
    case reply(Reply)
    case prompt(text: String, kind: PromptKind)
    case info(text: String)
    case error(code: ErrorCode, text: String)
    case bye(text: String)
    /// The proactive welcome after a login (`rule` is the knowledge base's rule id).
    case proactive(rule: String, text: String, suggestions: [String])
    /// In the queue for a service agent (SPEC 4a); position 1 is next.
    case queued(ticket: String, position: Int, text: String)
    /// A line a service agent wrote, with the agent's display name.
    case agent(name: String, text: String)
}

public enum OutputMode: String, Sendable, Equatable {
    case text, json
}

public enum PromptKind: String, Sendable, Equatable {
    case slot, rating, postcode, contact
}

/// An answer to a customer message.
public struct Reply: Sendable, Equatable {
    public var text: String
    /// Nil for the fallback.
    public var intent: String?
    public var phase: String
    public var language: String
    public var suggestions: [String]
    public var captures: [String: String]

    public init(text: String, intent: String?, phase: String, language: String, suggestions: [String], captures: [String: String] = [:]) {
        self.text = text
        self.intent = intent
        self.phase = phase
        self.language = language
        self.suggestions = suggestions
        self.captures = captures
    }
}

/// Error codes clients can act on; the text explains them to the customer.
public enum ErrorCode: String, Sendable, Equatable, Codable {
    case unknownCommand = "unknown_command"
    case badArgument = "bad_argument"
    case notAllowed = "not_allowed"
    case loginFailed = "login_failed"
    case nothingToRate = "nothing_to_rate"
    case lineTooLong = "line_too_long"
    case invalidUTF8 = "invalid_utf8"
    case controlCharacters = "control_characters"
    case rateLimited = "rate_limited"
    case serverBusy = "server_busy"
    case idleTimeout = "idle_timeout"
    case unavailable = "unavailable"
}
