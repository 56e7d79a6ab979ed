import Foundation

/// One line of a transcript file (JSON Lines, schema version 1). Every record has
/// `v`, `ts`, `session`, `seq` and `type`; the other fields depend on the type (see
/// docs/transcripts.md). Absent fields are left out of the JSON.
public struct TranscriptRecord: Codable, Sendable, Equatable {
    public static let schemaVersion = 1

    public enum Kind: String, Codable, Sendable, CaseIterable {
        case sessionOpen = "session_open"
        case sessionClose = "session_close"
        case message
        case command
        case reply
        case phaseChange = "phase_change"
        case slotPrompt = "slot_prompt"
        case fallback
        case handoff
        case rating
        case feedback
        case login
        case error
        case patternLimit = "pattern_limit"
        case clarify
        case orderLookup = "order_lookup"
        case proactive
        case queued
        case agentJoined = "agent_joined"
        case agentMessage = "agent_message"
        case handoffMessage = "handoff_message"
        case note
        case backToBot = "back_to_bot"
        case handoffClosed = "handoff_closed"
        case leftWaiting = "left_waiting"
        case callback
    }

    public var v: Int = TranscriptRecord.schemaVersion
    /// UTC, ISO 8601 with milliseconds.
    public var ts: String
    public var session: String
    public var seq: Int
    public var type: Kind
    public var instance: String?

    public var text: String?
    public var intent: String?
    public var phase: String?
    public var lang: String?
    public var captures: [String: String]?
    public var suggestions: [String]?
    public var pattern: String?
    public var from: String?
    public var to: String?
    public var reason: String?
    public var slot: String?
    public var count: Int?
    public var ticket: String?
    public var helpful: Bool?
    public var score: Int?
    public var comment: String?
    public var customer: String?
    public var verified: Bool?
    public var tier: String?
    public var segment: String?
    public var code: String?
    public var detail: String?
    public var name: String?
    public var stage: String?
    public var evidence: String?
    public var options: [String]?
    /// Replies and ratings: the answer variant shown, `PHASE/LANGUAGE/N`.
    public var variant: String?

    /// Order lookups: the number, the outcome, the status when found, the source's latency.
    public var order: String?
    public var outcome: String?
    public var status: String?
    public var latencyMs: Int?
    /// Proactive welcomes: the rule and the intent ids its suggestions stand for.
    public var rule: String?
    public var intents: [String]?
    /// Handoffs: the agent's id, the queue position, the callback contact (callback
    /// records only).
    public var agent: String?
    public var position: Int?
    public var contact: String?

    enum CodingKeys: String, CodingKey {
        case v, ts, session, seq, type, instance, text, intent, phase, lang, captures, suggestions, pattern, from, to, reason, slot,
             count, ticket, helpful, score, comment, customer, verified, tier, segment, code, detail, name,
             order, outcome, status, rule, intents, agent, position, contact, stage, evidence, options, variant
        case latencyMs = "latency_ms"
    }

    /// The record as Foundation writes it: absent fields, empty captures and empty
    /// suggestions left out. The server writes records with `write(to:)` instead; this is
    /// the reference the tests and the fuzzer hold it to. Decoding stays synthesized.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(v, forKey: .v)
        try container.encode(ts, forKey: .ts)
        try container.encode(session, forKey: .session)
        try container.encode(seq, forKey: .seq)
        try container.encode(type.rawValue, forKey: .type)
        if let instance { try container.encode(instance, forKey: .instance) }
        if let agent { try container.encode(agent, forKey: .agent) }
        if let position { try container.encode(position, forKey: .position) }
        if let contact { try container.encode(contact, forKey: .contact) }
        if let text { try container.encode(text, forKey: .text) }
        if let intent { try container.encode(intent, forKey: .intent) }
        if let phase { try container.encode(phase, forKey: .phase) }
        if let lang { try container.encode(lang, forKey: .lang) }
        if let captures, !captures.isEmpty {
            var nested = container.nestedContainer(keyedBy: AnyKey.self, forKey: .captures)
            for (name, value) in captures { try nested.encode(value, forKey: AnyKey(name)) }
        }
        if let suggestions, !suggestions.isEmpty {
            var nested = container.nestedUnkeyedContainer(forKey: .suggestions)
            for suggestion in suggestions { try nested.encode(suggestion) }
        }
        if let pattern { try container.encode(pattern, forKey: .pattern) }
        if let from { try container.encode(from, forKey: .from) }
        if let to { try container.encode(to, forKey: .to) }
        if let reason { try container.encode(reason, forKey: .reason) }
        if let slot { try container.encode(slot, forKey: .slot) }
        if let count { try container.encode(count, forKey: .count) }
        if let ticket { try container.encode(ticket, forKey: .ticket) }
        if let helpful { try container.encode(helpful, forKey: .helpful) }
        if let score { try container.encode(score, forKey: .score) }
        if let comment { try container.encode(comment, forKey: .comment) }
        if let customer { try container.encode(customer, forKey: .customer) }
        if let verified { try container.encode(verified, forKey: .verified) }
        if let tier { try container.encode(tier, forKey: .tier) }
        if let segment { try container.encode(segment, forKey: .segment) }
        if let code { try container.encode(code, forKey: .code) }
        if let detail { try container.encode(detail, forKey: .detail) }
        if let name { try container.encode(name, forKey: .name) }
        if let stage { try container.encode(stage, forKey: .stage) }
        if let evidence { try container.encode(evidence, forKey: .evidence) }
        if let options {
            var nested = container.nestedUnkeyedContainer(forKey: .options)
            for option in options { try nested.encode(option) }
        }
        if let variant { try container.encode(variant, forKey: .variant) }
        if let order { try container.encode(order, forKey: .order) }
        if let outcome { try container.encode(outcome, forKey: .outcome) }
        if let status { try container.encode(status, forKey: .status) }
        if let latencyMs { try container.encode(latencyMs, forKey: .latencyMs) }
        if let rule { try container.encode(rule, forKey: .rule) }
        if let intents {
            var nested = container.nestedUnkeyedContainer(forKey: .intents)
            for intent in intents { try nested.encode(intent) }
        }
    }

    /// Appends the record as one JSON line, the same object `encode(to:)` gives
    /// `JSONEncoder` with `.sortedKeys`: the keys below are in that order.
    public func write(to writer: inout JSONLineWriter) {
        writer.beginObject()
        writer.fieldIfPresent("agent", agent)
        if let captures, !captures.isEmpty {
            writer.key("captures")
            writer.stringMap(captures)
        }
        writer.fieldIfPresent("code", code)
        writer.fieldIfPresent("comment", comment)
        writer.fieldIfPresent("contact", contact)
        writer.fieldIfPresent("count", count)
        writer.fieldIfPresent("customer", customer)
        writer.fieldIfPresent("detail", detail)
        writer.fieldIfPresent("evidence", evidence)
        writer.fieldIfPresent("from", from)
        writer.fieldIfPresent("helpful", helpful)
        writer.fieldIfPresent("instance", instance)
        writer.fieldIfPresent("intent", intent)
        if let intents {
            writer.key("intents")
            writer.stringArray(intents)
        }
        writer.fieldIfPresent("lang", lang)
        writer.fieldIfPresent("latency_ms", latencyMs)
        writer.fieldIfPresent("name", name)
        if let options {
            writer.key("options")
            writer.stringArray(options)
        }
        writer.fieldIfPresent("order", order)
        writer.fieldIfPresent("outcome", outcome)
        writer.fieldIfPresent("pattern", pattern)
        writer.fieldIfPresent("phase", phase)
        writer.fieldIfPresent("position", position)
        writer.fieldIfPresent("reason", reason)
        writer.fieldIfPresent("rule", rule)
        writer.fieldIfPresent("score", score)
        writer.fieldIfPresent("segment", segment)
        writer.field("seq", seq)
        writer.field("session", session)
        writer.fieldIfPresent("slot", slot)
        writer.fieldIfPresent("stage", stage)
        writer.fieldIfPresent("status", status)
        if let suggestions, !suggestions.isEmpty {
            writer.key("suggestions")
            writer.stringArray(suggestions)
        }
        writer.fieldIfPresent("text", text)
        writer.fieldIfPresent("ticket", ticket)
        writer.fieldIfPresent("tier", tier)
        writer.fieldIfPresent("to", to)
        writer.field("ts", ts)
        writer.field("type", type.rawValue)
        writer.field("v", v)
        writer.fieldIfPresent("variant", variant)
        writer.fieldIfPresent("verified", verified)
        writer.endObject()
        writer.endLine()
    }

    public init(ts: String, session: String, seq: Int, type: Kind, instance: String? = nil) {
        self.ts = ts
        self.session = session
        self.seq = seq
        self.type = type
        self.instance = instance
    }

    /// `text` with each of `values` that holds personal data replaced by its redacted form.
    /// Longer values first, so a value inside another is not replaced half.
    static func redacting(_ values: [String], in text: String, _ redact: (String) -> String) -> String {
        var result = text
        for value in values.sorted(by: { $0.count > $1.count }) where !value.isEmpty {
            let redacted = redact(value)
            if redacted != value { result = result.replacingOccurrences(of: value, with: redacted) }
        }
        return result
    }

    /// The record for a conversation event; free text goes through `redact`.
    public init(event: TranscriptEvent, ts: String, session: String, seq: Int, instance: String?, redact: (String) -> String) {
        // Fields set in place: delegating to `init(ts:…)` first built a whole record and
        // copied it, thirty optional fields at a time, for every record the server writes.
        self.ts = ts
        self.session = session
        self.seq = seq
        self.instance = instance
        switch event {
        case let .sessionOpened(phase, language):
            type = .sessionOpen
            self.phase = phase
            self.lang = language
        case let .sessionClosed(reason):
            type = .sessionClose
            self.reason = reason
        case let .message(text):
            type = .message
            self.text = redact(text)
        case let .command(name):
            type = .command
            self.name = name
        case let .reply(reply):
            type = .reply
            text = reply.insertedValues.map { Self.redacting($0, in: reply.text, redact) } ?? redact(reply.text)
            intent = reply.intent
            phase = reply.phase
            lang = reply.language
            captures = reply.captures.mapValues(redact)
            suggestions = reply.suggestions
            pattern = reply.pattern
            stage = reply.stage
            evidence = reply.evidence.map(redact)
            variant = reply.variant
        case let .phaseChanged(from, to, reason):
            type = .phaseChange
            self.from = from
            self.to = to
            self.reason = reason
        case let .slotPrompt(intent, slot):
            type = .slotPrompt
            self.intent = intent
            self.slot = slot
        case let .fallback(count, phase):
            type = .fallback
            self.count = count
            self.phase = phase
        case let .handoff(ticket, reason, intent):
            type = .handoff
            self.ticket = ticket
            self.reason = reason
            self.intent = intent
        case let .rating(helpful, intent, variant):
            type = .rating
            self.helpful = helpful
            self.intent = intent
            self.variant = variant
        case let .feedback(score, comment):
            type = .feedback
            self.score = score
            self.comment = comment.map(redact)
        case let .login(customer, verified, phase, tier, segment):
            type = .login
            self.customer = customer
            self.verified = verified
            self.phase = phase
            self.tier = tier
            self.segment = segment
        case let .error(code, detail):
            type = .error
            self.code = code
            self.detail = redact(detail)
        case let .patternLimit(intent, pattern):
            type = .patternLimit
            self.intent = intent
            self.pattern = pattern
        case let .clarify(options):
            type = .clarify
            self.options = options
        case let .orderLookup(number, outcome, status, latencyMs):
            type = .orderLookup
            self.order = number
            self.outcome = outcome
            self.status = status
            self.latencyMs = latencyMs
        case let .proactive(rule, text, suggestions, intents):
            type = .proactive
            self.rule = rule
            self.text = redact(text)
            self.suggestions = suggestions
            self.intents = intents
        case let .queued(ticket, position, reason):
            type = .queued
            self.ticket = ticket
            self.position = position
            self.reason = reason
        case let .agentJoined(ticket, agent):
            type = .agentJoined
            self.ticket = ticket
            self.agent = agent
        case let .agentMessage(ticket, agent, text):
            type = .agentMessage
            self.ticket = ticket
            self.agent = agent
            self.text = redact(text)
        case let .handoffMessage(ticket, text):
            type = .handoffMessage
            self.ticket = ticket
            self.text = redact(text)
        case let .handoffNote(ticket, agent, text):
            type = .note
            self.ticket = ticket
            self.agent = agent
            self.text = redact(text)
        case let .backToBot(ticket, agent):
            type = .backToBot
            self.ticket = ticket
            self.agent = agent
        case let .handoffClosed(ticket, agent):
            type = .handoffClosed
            self.ticket = ticket
            self.agent = agent
        case let .leftWaiting(ticket):
            type = .leftWaiting
            self.ticket = ticket
        case let .callback(ticket, kind, contact):
            // Not redacted: the service team needs it to call back, and no other record holds it.
            type = .callback
            self.ticket = ticket
            self.reason = kind
            self.contact = contact
        }
    }
}
