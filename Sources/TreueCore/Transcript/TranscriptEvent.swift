/// Something that happened in a conversation and belongs in its transcript. The
/// conversation emits these; the transcript writer stamps, redacts and stores them.
public enum TranscriptEvent: Sendable, Equatable {
    case sessionOpened(phase: String, language: String)
    case sessionClosed(reason: String)
    case message(text: String)
    case command(name: String)
    case reply(ReplyRecord)
    case phaseChanged(from: String, to: String, reason: String)
    case slotPrompt(intent: String, slot: String)
    case fallback(count: Int, phase: String)
    case handoff(ticket: String, reason: String, intent: String?)
    /// A thumbs up or down for the last answer: its intent and answer variant.
    case rating(helpful: Bool, intent: String?, variant: String?)
    case feedback(score: Int, comment: String?)
    case login(customer: String, verified: Bool, phase: String, tier: String?, segment: String?)
    case error(code: String, detail: String)
    case patternLimit(intent: String, pattern: String)
    /// The customer was asked which of these intents they meant.
    case clarify(options: [String])
    /// An order lookup: the number, `found`, `not_found`, `refused` (another customer's,
    /// or a wrong postcode), `unavailable` or `locked`, the status when found, and how long
    /// the source took. No other order field is recorded.
    case orderLookup(number: String, outcome: String, status: String?, latencyMs: Int?)
    /// A proactive welcome: the rule, the text shown, the suggestions shown and the intent
    /// ids they stand for.
    case proactive(rule: String, text: String, suggestions: [String], intents: [String])
    /// Handoff to a service agent (SPEC 4a): the customer entered the queue at `position`
    /// (`reason`: `handoff`, or `agent_left` when their agent went away).
    case queued(ticket: String, position: Int, reason: String)
    case agentJoined(ticket: String, agent: String)
    /// A line the agent wrote to the customer (redacted like every free text).
    case agentMessage(ticket: String, agent: String, text: String)
    /// A line the customer wrote while an agent had the ticket (the bot stayed silent).
    case handoffMessage(ticket: String, text: String)
    /// An agent's internal note, never shown to the customer.
    case handoffNote(ticket: String, agent: String, text: String)
    case backToBot(ticket: String, agent: String)
    case handoffClosed(ticket: String, agent: String)
    /// The customer went away while waiting for an agent.
    case leftWaiting(ticket: String)
    /// The callback contact the customer gave when no agent was online. The only record
    /// that holds it, unredacted, for the service team.
    case callback(ticket: String, kind: String, contact: String)

    public struct ReplyRecord: Sendable, Equatable {
        public var text: String
        public var intent: String?
        public var phase: String
        public var language: String
        public var captures: [String: String]
        public var suggestions: [String]
        public var pattern: String?
        /// The understanding stage that decided (`pattern`, `examples`, `out_of_scope`, …).
        public var stage: String? = nil
        /// Why: corrected and negated words, the nearest example, the out-of-scope rule.
        public var evidence: String? = nil
        /// Which of the intent's answer variants was shown, as `PHASE/LANGUAGE/N` (N from 1),
        /// so the review can tell authors which variants help.
        public var variant: String? = nil
        /// The values from outside the knowledge base the text was rendered with (what the
        /// customer typed, their CRM profile). When set, only these are redacted in the
        /// text: the rest is the shop's own writing, whose contact data is kept anyway, and
        /// scanning a long answer for phone numbers cost more than understanding the
        /// message. Nil: the whole text is redacted.
        public var insertedValues: [String]? = nil
    }
}
