/// The result of one input: what to say, what to record, and whether to hang up after.
public struct ConversationStep: Sendable, Equatable {
    public var outputs: [ConversationOutput] = []
    public var events: [TranscriptEvent] = []
    public var closes = false

    public init(outputs: [ConversationOutput] = [], events: [TranscriptEvent] = [], closes: Bool = false) {
        self.outputs = outputs
        self.events = events
        self.closes = closes
    }
}
