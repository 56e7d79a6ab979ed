import Foundation

/// What the agent listener says to a service agent, independent of plain or JSON framing
/// (SPEC section 4a).
public enum AgentOutput: Sendable, Equatable {
    case mode(OutputMode)
    case greeting(text: String)
    case info(text: String)
    case error(code: AgentErrorCode, text: String)
    case bye(text: String)
    /// The waiting customers, oldest first.
    case queue([QueueItem])
    /// The agent joined a conversation: what was said so far, the customer's CRM fields
    /// when logged in, and the intents the bot answered.
    case taken(ticket: String, history: [HandoffQueue.Turn], profile: [String: String], intents: [String])
    /// A line the customer wrote.
    case customer(ticket: String, text: String)
    /// The customer went away.
    case left(ticket: String)

    public struct QueueItem: Sendable, Equatable {
        public let ticket: String
        public let waitingSeconds: Int
        public let language: String
        public let phase: String
        public let customer: String
        public let last: String

        public init(_ ticket: HandoffQueue.Ticket, now: Double) {
            self.ticket = ticket.id
            waitingSeconds = max(0, Int(now - ticket.since.timeIntervalSince1970))
            language = ticket.language
            phase = ticket.phase
            customer = ticket.customer ?? "anonymous"
            last = ticket.last
        }
    }

    public var jsonType: String {
        switch self {
        case .mode: "mode"
        case .greeting: "greeting"
        case .info: "info"
        case .error: "error"
        case .bye: "bye"
        case .queue: "queue"
        case .taken: "taken"
        case .customer: "customer"
        case .left: "left"
        }
    }

    /// One JSON object per line, keys sorted.
    public func writeJSON(to writer: inout JSONLineWriter) {
        writer.beginObject()
        switch self {
        case let .mode(mode):
            writer.field("mode", mode.rawValue)
        case let .greeting(text), let .info(text), let .bye(text):
            writer.field("text", text)
        case let .error(code, text):
            writer.field("code", code.rawValue)
            writer.field("text", text)
        case let .queue(items):
            writer.key("items")
            writer.beginArray()
            for item in items {
                writer.beginObject()
                writer.field("customer", item.customer)
                writer.field("lang", item.language)
                writer.field("last", item.last)
                writer.field("phase", item.phase)
                writer.field("ticket", item.ticket)
                writer.field("waiting_s", item.waitingSeconds)
                writer.endObject()
            }
            writer.endArray()
        case let .taken(ticket, history, profile, intents):
            writer.key("history")
            writer.beginArray()
            for turn in history {
                writer.beginObject()
                writer.field("from", turn.from.rawValue)
                writer.field("text", turn.text)
                writer.endObject()
            }
            writer.endArray()
            writer.key("intents")
            writer.stringArray(intents)
            writer.key("profile")
            writer.stringMap(profile)
            writer.field("ticket", ticket)
        case let .customer(ticket, text):
            writer.field("text", text)
            writer.field("ticket", ticket)
        case let .left(ticket):
            writer.field("ticket", ticket)
        }
        writer.field("type", jsonType)
        writer.endObject()
        writer.endLine()
    }

    /// The plain-text form for people at a terminal or `nc`.
    public var plain: String {
        switch self {
        case let .mode(mode): return mode == .text ? "OK, plain text mode." : "OK"
        case let .greeting(text), let .info(text), let .bye(text): return text
        case let .error(_, text): return "! " + text
        case let .queue(items):
            guard !items.isEmpty else { return "queue: empty" }
            return (["queue: \(items.count) waiting"] + items.map {
                "  \($0.ticket)  \($0.waitingSeconds)s  \($0.language)  \($0.phase)  \($0.customer)  \"\($0.last)\""
            }).joined(separator: "\n")
        case let .taken(ticket, history, profile, intents):
            var lines = ["taken \(ticket)"]
            if !profile.isEmpty { lines.append("  profile: " + profile.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")) }
            lines.append("  intents tried: " + (intents.isEmpty ? "none" : intents.joined(separator: ", ")))
            lines.append("  so far:")
            return (lines + history.map { "  \($0.from.rawValue): \($0.text)" }).joined(separator: "\n")
        case let .customer(ticket, text): return "[\(ticket)] customer: \(text)"
        case let .left(ticket): return "[\(ticket)] the customer left"
        }
    }
}

/// Error codes of the agent listener.
public enum AgentErrorCode: String, Sendable, Equatable {
    case unknownCommand = "unknown_command"
    case badArgument = "bad_argument"
    case loginFailed = "login_failed"
    case notLoggedIn = "not_logged_in"
    case taken
    case unknownTicket = "unknown_ticket"
    case noTicket = "no_ticket"
    case invalidInput = "invalid_input"
    case rateLimited = "rate_limited"
    case unavailable
}
