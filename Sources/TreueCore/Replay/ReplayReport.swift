/// What a replay found: past customer messages answered by the knowledge base in service
/// (the baseline) and by an edited one, and what the edit changes. Only changed messages
/// are reported, grouped by their transition (`return_item → exchange_item`), each with
/// its count, the feedback its customers had given, and a few examples.
public struct ReplayReport: Sendable, Codable, Equatable {
    /// How many messages each outcome had, under one knowledge base.
    public struct Outcomes: Sendable, Codable, Equatable {
        public var answered = 0
        public var clarify = 0
        public var fallback = 0
        public var outOfScope = 0

        public init() {}

        public mutating func add(_ outcome: ReplayOutcome) {
            switch outcome {
            case .intent: answered += 1
            case .clarify: clarify += 1
            case .fallback: fallback += 1
            case .outOfScope: outOfScope += 1
            }
        }
    }

    /// What customers said about the replies to the changed messages, before the edit.
    public struct Feedback: Sendable, Codable, Equatable {
        /// `/rate down` on the reply to the message.
        public var thumbsDown = 0
        /// `/rate up` on the reply to the message.
        public var thumbsUp = 0
        /// A satisfaction rating of 1 or 2 (`/feedback`, the rating at `/quit`) later in the session.
        public var lowRating = 0
        /// Thumbs-down or low rating; each message counted once.
        public var negative = 0

        public init() {}
    }

    /// One changed message, as stored (redacted), with the session's phase and language at
    /// that turn.
    public struct Example: Sendable, Codable, Equatable {
        public var text: String
        public var phase: String
        public var lang: String
        public var session: String
        public var ts: String
        /// The customer rated the reply down (or up) with `/rate`.
        public var thumbsDown = false
        public var thumbsUp = false
        /// The first satisfaction rating (1–5) given later in the session.
        public var rating: Int?

        public init(text: String, phase: String, lang: String, session: String, ts: String) {
            self.text = text
            self.phase = phase
            self.lang = lang
            self.session = session
            self.ts = ts
        }
    }

    /// Messages that went from one outcome to another (labels as `ReplayOutcome.label`).
    public struct Transition: Sendable, Codable, Equatable {
        public var from: String
        public var to: String
        public var count: Int
        public var feedback: Feedback
        public var examples: [Example]
    }

    /// One kind of change: its total and its transitions, most frequent first.
    public struct Change: Sendable, Codable, Equatable {
        public var count = 0
        public var feedback = Feedback()
        public var transitions: [Transition] = []

        public init() {}
    }

    /// The changes within one phase and language (as the session had them at that turn).
    public struct Slice: Sendable, Codable, Equatable {
        public var phase: String
        public var lang: String
        public var messages = 0
        public var newlyAnswered = 0
        public var lost = 0
        public var switched = 0
        public var questionChanged = 0
    }

    /// The knowledge-base folders compared, as given.
    public var baseline: String?
    public var edited: String?
    public var firstTimestamp: String?
    public var lastTimestamp: String?
    public var input = TranscriptReader.Statistics()
    /// Customer messages replayed through both knowledge bases.
    public var messages = 0
    /// Messages that answered the bot's own question (a slot value, a postcode, the digit
    /// chosen after a clarifying question): not questions of their own, so not replayed.
    public var followUps = 0
    public var unchanged = 0
    public var before = Outcomes()
    public var after = Outcomes()
    public var newlyAnswered = Change()
    public var lost = Change()
    public var switched = Change()
    public var questionChanged = Change()
    /// Replayed messages and their changes by phase and language, busiest first.
    public var slices: [Slice] = []
    /// The gate's verdict, when `--max-lost` or `--max-switched` was given.
    public var gate: ReplayGate.Verdict?

    public init() {}

    public subscript(kind: ReplayChangeKind) -> Change {
        get {
            switch kind {
            case .newlyAnswered: newlyAnswered
            case .lost: lost
            case .switched: switched
            case .questionChanged: questionChanged
            }
        }
        set {
            switch kind {
            case .newlyAnswered: newlyAnswered = newValue
            case .lost: lost = newValue
            case .switched: switched = newValue
            case .questionChanged: questionChanged = newValue
            }
        }
    }
}
