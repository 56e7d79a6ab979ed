/// The JSON-mode wire objects (SPEC section 4): one object per output, `type` always,
/// the other fields by type; a reply always carries `intent`, `null` for the fallback, and
/// `suggestions`, possibly empty.
extension ConversationOutput: Encodable {
    private enum CodingKeys: String, CodingKey {
        case code, intent, kind, lang, mode, name, phase, position, rule, session, suggestions, text, ticket, type
    }

    /// The JSON type name of this output.
    public var jsonType: String {
        switch self {
        case .mode: "mode"
        case .greeting: "greeting"
        case .reply: "reply"
        case .prompt: "prompt"
        case .info: "info"
        case .error: "error"
        case .bye: "bye"
        case .proactive: "proactive"
        case .queued: "queued"
        case .agent: "agent"
        }
    }

    /// Appends the wire object as one JSON line; the keys are in `.sortedKeys` order, so
    /// the bytes are what `encode(to:)` gives `JSONEncoder` up to escaping style.
    public func writeJSON(to writer: inout JSONLineWriter) {
        writer.beginObject()
        switch self {
        case let .mode(mode):
            writer.field("mode", mode.rawValue)
        case let .greeting(text, session):
            writer.field("session", session)
            writer.field("text", text)
        case let .reply(reply):
            writer.key("intent")
            if let intent = reply.intent { writer.string(intent) } else { writer.null() }
            writer.field("lang", reply.language)
            writer.field("phase", reply.phase)
            writer.key("suggestions")
            writer.stringArray(reply.suggestions)
            writer.field("text", reply.text)
        case let .prompt(text, kind):
            writer.field("kind", kind.rawValue)
            writer.field("text", text)
        case let .info(text), let .bye(text):
            writer.field("text", text)
        case let .error(code, text):
            writer.field("code", code.rawValue)
            writer.field("text", text)
        case let .proactive(rule, text, suggestions):
            writer.field("rule", rule)
            writer.key("suggestions")
            writer.stringArray(suggestions)
            writer.field("text", text)
        case let .queued(ticket, position, text):
            writer.field("position", position)
            writer.field("text", text)
            writer.field("ticket", ticket)
        case let .agent(name, text):
            writer.field("name", name)
            writer.field("text", text)
        }
        writer.field("type", jsonType)
        writer.endObject()
        writer.endLine()
    }

    /// The same object through Foundation: the reference `writeJSON(to:)` is tested
    /// against (the server no longer uses it).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(jsonType, forKey: .type)
        switch self {
        case let .mode(mode):
            try container.encode(mode.rawValue, forKey: .mode)
        case let .greeting(text, session):
            try container.encode(text, forKey: .text)
            try container.encode(session, forKey: .session)
        case let .reply(reply):
            try container.encode(reply.text, forKey: .text)
            if let intent = reply.intent { try container.encode(intent, forKey: .intent) } else { try container.encodeNil(forKey: .intent) }
            try container.encode(reply.phase, forKey: .phase)
            try container.encode(reply.language, forKey: .lang)
            try container.encode(reply.suggestions, forKey: .suggestions)
        case let .prompt(text, kind):
            try container.encode(text, forKey: .text)
            try container.encode(kind.rawValue, forKey: .kind)
        case let .info(text), let .bye(text):
            try container.encode(text, forKey: .text)
        case let .error(code, text):
            try container.encode(text, forKey: .text)
            try container.encode(code.rawValue, forKey: .code)
        case let .proactive(rule, text, suggestions):
            try container.encode(rule, forKey: .rule)
            try container.encode(text, forKey: .text)
            try container.encode(suggestions, forKey: .suggestions)
        case let .queued(ticket, position, text):
            try container.encode(ticket, forKey: .ticket)
            try container.encode(position, forKey: .position)
            try container.encode(text, forKey: .text)
        case let .agent(name, text):
            try container.encode(name, forKey: .name)
            try container.encode(text, forKey: .text)
        }
    }
}
