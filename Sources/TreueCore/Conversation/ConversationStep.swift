/// The result of one input: what to say, what to record, and whether to hang up after.
public struct ConversationStep: Sendable, Equatable {
    public var outputs: [ConversationOutput] = []
    public var events: [TranscriptEvent] = []
    public var closes = false
    /// Facts the conversation needs before it can go on: the caller asks the order source,
    /// then hands the answer to `Conversation.resume`. Until then this customer's next
    /// lines wait; nobody else does.
    public var lookup: OrderRequest?
    /// What the server must do with the handoff queue (SPEC 4a).
    public var handoff: HandoffRequest?

    public init(outputs: [ConversationOutput] = [], events: [TranscriptEvent] = [], closes: Bool = false, lookup: OrderRequest? = nil) {
        self.outputs = outputs
        self.events = events
        self.closes = closes
        self.lookup = lookup
    }

    /// Appends what a later step said and recorded.
    public mutating func append(_ other: ConversationStep) {
        outputs += other.outputs
        events += other.events
        closes = closes || other.closes
        lookup = other.lookup
        handoff = other.handoff ?? handoff
    }
}
