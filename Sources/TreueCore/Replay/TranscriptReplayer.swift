/// Replays past customer messages through two knowledge bases, the one in service (the
/// baseline) and an edited one, in one streaming pass over the transcripts. Memory grows
/// with the sessions open at once and the distinct transitions (bounded by the knowledge
/// bases' intents), never with the number of messages: per transition a count, feedback
/// tallies and at most `examplesPerTransition` examples; per open session a few fields,
/// dropped at `session_close` or when the session has been silent for more than a day.
///
/// Each message is interpreted as the server's `MessageInterpreter` does for a new
/// question. A message that answered the bot's own question (a slot value, a postcode, the
/// digit after a clarifying question: the server took it as that answer, and its reply has
/// no understanding stage) is counted as a follow-up and not replayed. The phase and
/// language the session had at that turn are kept with each example and break the
/// changes down; the understanding stages themselves do not depend on them.
public struct TranscriptReplayer {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case transcripts(TranscriptReader.Failure)
        /// `shouldStop` said so (the server is shutting down).
        case stopped

        public var description: String {
            switch self {
            case let .transcripts(failure): "cannot replay the transcripts: \(failure)"
            case .stopped: "the replay was stopped before it finished"
            }
        }
    }

    /// The fields of a transcript record a replay needs. A reply's long text, captures and
    /// suggestions are never decoded.
    public struct Record: Decodable, Sendable {
        public var ts: String
        public var session: String
        public var type: TranscriptRecord.Kind
        /// The customer's text (`message` only).
        public var text: String?
        public var phase: String?
        public var lang: String?
        public var to: String?
        public var name: String?
        public var stage: String?
        public var helpful: Bool?
        public var score: Int?

        enum CodingKeys: String, CodingKey {
            case ts, session, type, text, phase, lang, to, name, stage, helpful, score
        }

        public init(ts: String, session: String, type: TranscriptRecord.Kind) {
            self.ts = ts
            self.session = session
            self.type = type
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            ts = try container.decode(String.self, forKey: .ts)
            session = try container.decode(String.self, forKey: .session)
            type = try container.decode(TranscriptRecord.Kind.self, forKey: .type)
            text = type == .message ? try container.decodeIfPresent(String.self, forKey: .text) : nil
            phase = try container.decodeIfPresent(String.self, forKey: .phase)
            lang = try container.decodeIfPresent(String.self, forKey: .lang)
            to = try container.decodeIfPresent(String.self, forKey: .to)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            stage = try container.decodeIfPresent(String.self, forKey: .stage)
            helpful = try container.decodeIfPresent(Bool.self, forKey: .helpful)
            score = try container.decodeIfPresent(Int.self, forKey: .score)
        }

        /// Builds a record from a full one (tests and in-memory callers).
        public init(_ record: TranscriptRecord) {
            self.init(ts: record.ts, session: record.session, type: record.type)
            text = record.type == .message ? record.text : nil
            phase = record.phase
            lang = record.lang
            to = record.to
            name = record.name
            stage = record.stage
            helpful = record.helpful
            score = record.score
        }
    }

    /// How far a replay has come, for a progress line.
    public struct Progress: Sendable {
        public var records: Int
        public var messages: Int
        /// The day (`YYYY-MM-DD`) of the record just read.
        public var day: Substring
    }

    /// A satisfaction rating this low or lower counts as negative feedback.
    public static let lowRating = 2
    /// Distinct (phase, language) slices kept; more are counted under `(other)`.
    static let sliceCapacity = 256
    /// Stages a reply names when the message went through the understanding stages (and so
    /// was a question of its own, even right after the bot asked for something).
    static let interpreterStages: Set<String> = ["pattern", "pattern_after_spelling", "examples", "clarify", "out_of_scope", "none"]

    public let baseline: KnowledgeBase
    public let edited: KnowledgeBase
    public let examplesPerTransition: Int
    private let interpreter = MessageInterpreter()
    private let baselineScratch: MatcherScratch
    private let editedScratch: MatcherScratch
    private let baselineIDs: [String]
    private let editedIDs: [String]

    private var sessions: [String: SessionState] = [:]
    private var transitions: [TransitionKey: TransitionTally] = [:]
    private var slices: [SliceKey: ReplayReport.Slice] = [:]
    private var totals = ReplayReport()
    private var sweptDay = Int.min
    public private(set) var records = 0

    public init(baseline: KnowledgeBase, edited: KnowledgeBase, examplesPerTransition: Int = 2) {
        self.baseline = baseline
        self.edited = edited
        self.examplesPerTransition = max(0, examplesPerTransition)
        baselineScratch = baseline.matcher.makeScratch()
        editedScratch = edited === baseline ? baselineScratch : edited.matcher.makeScratch()
        baselineIDs = baseline.intents.map(\.id)
        editedIDs = edited.intents.map(\.id)
    }

    /// Streams `reader`'s records through a new replayer and returns its report.
    /// - Parameters:
    ///   - progress: called every 16,384 records.
    ///   - shouldStop: asked every 16,384 records; true ends the replay with `.stopped`.
    public static func replay(_ reader: TranscriptReader, baseline: KnowledgeBase, edited: KnowledgeBase, examplesPerTransition: Int = 2,
                              progress: ((Progress) -> Void)? = nil, shouldStop: (() -> Bool)? = nil) throws(Failure) -> ReplayReport {
        var replayer = TranscriptReplayer(baseline: baseline, edited: edited, examplesPerTransition: examplesPerTransition)
        let statistics: TranscriptReader.Statistics
        do {
            statistics = try reader.forEach(Record.self, timestamp: \.ts) { record in
                replayer.add(record)
                guard replayer.records & 0x3FFF == 0 else { return }
                progress?(Progress(records: replayer.records, messages: replayer.totals.messages, day: record.ts.prefix(10)))
                if shouldStop?() == true { throw Failure.stopped }
            }
        } catch let failure as TranscriptReader.Failure {
            throw .transcripts(failure)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .transcripts(.unreadable(path: reader.paths.joined(separator: ", "), errno: 5))
        }
        return replayer.report(input: statistics)
    }

    // MARK: - Records

    public mutating func add(_ record: Record) {
        records += 1
        if totals.firstTimestamp.map({ record.ts < $0 }) ?? true { totals.firstTimestamp = record.ts }
        if totals.lastTimestamp.map({ record.ts > $0 }) ?? true { totals.lastTimestamp = record.ts }
        let day = Self.dayNumber(record.ts)
        if day > sweptDay { sweep(today: day) }
        // Taken out while it changes, so its dictionaries are not copied on write.
        var state = sessions.removeValue(forKey: record.session) ?? SessionState(lastDay: day)
        state.lastDay = max(state.lastDay, day)
        switch record.type {
        case .sessionOpen:
            state.phase = record.phase ?? state.phase
            state.language = record.lang ?? state.language
        case .message:
            flush(&state, session: record.session)
            state.pending = Pending(text: record.text ?? "", ts: record.ts, phase: state.phase ?? baseline.defaultPhase,
                                    language: state.language ?? baseline.defaultLanguage, followUp: state.awaitingAnswer)
            state.awaitingAnswer = false
        case .reply:
            flush(&state, session: record.session, stage: record.stage)
            state.phase = record.phase ?? state.phase
            state.language = record.lang ?? state.language
        case .slotPrompt:
            flush(&state, session: record.session)
            state.awaitingAnswer = true
        case .clarify:
            // The reply that follows names the stage; the next message may be the choice.
            state.awaitingAnswer = true
        case .phaseChange:
            state.phase = record.to ?? state.phase
        case .login:
            flush(&state, session: record.session)
            state.phase = record.phase ?? state.phase
            state.awaitingAnswer = false
        case .command:
            flush(&state, session: record.session)
            if let name = record.name {
                if name == "reset" { state.awaitingAnswer = false }
                if name.hasPrefix("lang ") { state.language = String(name.dropFirst(5)) }
            }
        case .rating:
            flush(&state, session: record.session)
            if let helpful = record.helpful { rate(helpful: helpful, in: &state) }
        case .feedback:
            flush(&state, session: record.session)
            if let value = record.score, (1...5).contains(value) { rateSession(value, in: &state) }
        case .sessionClose:
            flush(&state, session: record.session)
            return
        case .handoff, .queued, .error:
            flush(&state, session: record.session)
        case .fallback, .patternLimit, .orderLookup, .proactive, .agentJoined, .agentMessage, .handoffMessage, .note,
             .backToBot, .handoffClosed, .leftWaiting, .callback:
            break
        }
        sessions[record.session] = state
    }

    /// The report so far; messages still waiting for their reply are replayed as they are.
    public func report(input: TranscriptReader.Statistics = TranscriptReader.Statistics()) -> ReplayReport {
        var replayer = self
        for (session, var state) in replayer.sessions {
            replayer.flush(&state, session: session)
        }
        var report = replayer.totals
        report.input = input
        for kind in ReplayChangeKind.allCases {
            var change = ReplayReport.Change()
            for (key, tally) in replayer.transitions where ReplayOutcome.change(from: key.from, to: key.to) == kind {
                change.count += tally.count
                change.feedback.thumbsDown += tally.feedback.thumbsDown
                change.feedback.thumbsUp += tally.feedback.thumbsUp
                change.feedback.lowRating += tally.feedback.lowRating
                change.feedback.negative += tally.feedback.negative
                change.transitions.append(ReplayReport.Transition(from: key.from.label, to: key.to.label, count: tally.count,
                                                                  feedback: tally.feedback, examples: tally.examples))
            }
            change.transitions.sort { ($0.count, $1.from, $1.to) > ($1.count, $0.from, $0.to) }
            report[kind] = change
        }
        report.slices = replayer.slices.values.sorted { ($0.messages, $1.phase, $1.lang) > ($1.messages, $0.phase, $0.lang) }
        return report
    }

    // MARK: - Replaying one message

    /// Replays the session's message waiting for the bot's turn, if any. `stage` is what
    /// the reply that ends the wait names (nil when the turn had no reply with a stage).
    private mutating func flush(_ state: inout SessionState, session: String, stage: String? = nil) {
        guard let pending = state.pending else { return }
        state.pending = nil
        if pending.followUp, !Self.interpreterStages.contains(stage ?? "") {
            totals.followUps += 1
            return
        }
        let before = ReplayOutcome(interpreter.interpret(pending.text, kb: baseline, scratch: baselineScratch), ids: baselineIDs)
        let after = edited === baseline ? before
            : ReplayOutcome(interpreter.interpret(pending.text, kb: edited, scratch: editedScratch), ids: editedIDs)
        totals.messages += 1
        totals.before.add(before)
        totals.after.add(after)
        let sliceKey = slices.count < Self.sliceCapacity || slices[SliceKey(phase: pending.phase, language: pending.language)] != nil
            ? SliceKey(phase: pending.phase, language: pending.language) : SliceKey(phase: "(other)", language: "(other)")
        var slice = slices[sliceKey] ?? ReplayReport.Slice(phase: sliceKey.phase, lang: sliceKey.language)
        slice.messages += 1
        guard let kind = ReplayOutcome.change(from: before, to: after) else {
            slices[sliceKey] = slice
            totals.unchanged += 1
            // A rating now is about this unchanged answer, not an earlier changed one.
            state.last = nil
            return
        }
        switch kind {
        case .newlyAnswered: slice.newlyAnswered += 1
        case .lost: slice.lost += 1
        case .switched: slice.switched += 1
        case .questionChanged: slice.questionChanged += 1
        }
        slices[sliceKey] = slice
        let key = TransitionKey(from: before, to: after)
        var tally = transitions[key] ?? TransitionTally()
        tally.count += 1
        var exampleIndex: Int?
        if tally.examples.count < examplesPerTransition,
           !tally.examples.contains(where: { Self.sameShape($0.text, pending.text) }) {
            tally.examples.append(ReplayReport.Example(text: pending.text, phase: pending.phase, lang: pending.language,
                                                       session: session, ts: pending.ts))
            exampleIndex = tally.examples.count - 1
            state.examples.append(ExampleRef(key: key, index: tally.examples.count - 1))
        }
        transitions[key] = tally
        state.open[key, default: OpenCounts()].notLowRated += 1
        state.open[key, default: OpenCounts()].notNegative += 1
        state.last = LastChange(key: key, example: exampleIndex)
    }

    // MARK: - Feedback

    /// `/rate` is about the last answer: the reply to the session's last replayed message.
    private mutating func rate(helpful: Bool, in state: inout SessionState) {
        guard var last = state.last, var tally = transitions[last.key] else { return }
        if helpful {
            guard !last.thumbsUp else { return }
            last.thumbsUp = true
            tally.feedback.thumbsUp += 1
            if let index = last.example { tally.examples[index].thumbsUp = true }
        } else {
            guard !last.thumbsDown else { return }
            last.thumbsDown = true
            tally.feedback.thumbsDown += 1
            if let index = last.example { tally.examples[index].thumbsDown = true }
            if !last.negative {
                last.negative = true
                tally.feedback.negative += 1
                state.open[last.key]?.notNegative -= 1
            }
        }
        transitions[last.key] = tally
        state.last = last
    }

    /// A satisfaction rating is about the whole session so far: a low one counts against
    /// every changed message before it that no low rating covered yet.
    private mutating func rateSession(_ score: Int, in state: inout SessionState) {
        for reference in state.examples where transitions[reference.key]?.examples[reference.index].rating == nil {
            transitions[reference.key]?.examples[reference.index].rating = score
        }
        guard score <= Self.lowRating else { return }
        for (key, counts) in state.open {
            transitions[key]?.feedback.lowRating += counts.notLowRated
            transitions[key]?.feedback.negative += counts.notNegative
        }
        state.open = [:]
        state.last?.negative = true
    }

    // MARK: - Sessions

    /// Drops sessions silent since before yesterday: their close record was lost (a crash)
    /// or lies outside the period, and keeping them would grow memory without bound.
    private mutating func sweep(today: Int) {
        sweptDay = today
        guard !sessions.isEmpty else { return }
        for (session, var state) in sessions where state.lastDay < today - 1 {
            flush(&state, session: session)
            sessions[session] = nil
        }
    }

    /// Whether two messages differ only in case and digits ("order 778857" and "Order
    /// 115476"), so the examples of a transition show different wordings.
    static func sameShape(_ a: String, _ b: String) -> Bool {
        func shape(_ text: String) -> [Character] {
            var result: [Character] = []
            for character in text.lowercased() {
                if character.isNumber {
                    if result.last != "#" { result.append("#") }
                } else {
                    result.append(character)
                }
            }
            return result
        }
        return shape(a) == shape(b)
    }

    /// Days since 1970-01-01 of a `YYYY-MM-DD…` timestamp (0 when it has no date).
    static func dayNumber(_ ts: String) -> Int {
        var utf8 = ts.utf8.makeIterator()
        var digits: [Int] = []
        digits.reserveCapacity(8)
        var position = 0
        while position < 10, let byte = utf8.next() {
            if position == 4 || position == 7 {
                guard byte == UInt8(ascii: "-") else { return 0 }
            } else {
                guard byte >= 48, byte <= 57 else { return 0 }
                digits.append(Int(byte - 48))
            }
            position += 1
        }
        guard digits.count == 8 else { return 0 }
        let year = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3]
        let month = digits[4] * 10 + digits[5]
        let day = digits[6] * 10 + digits[7]
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    // MARK: - State

    struct TransitionKey: Hashable {
        let from: ReplayOutcome
        let to: ReplayOutcome
    }

    struct TransitionTally {
        var count = 0
        var feedback = ReplayReport.Feedback()
        var examples: [ReplayReport.Example] = []
    }

    struct SliceKey: Hashable {
        let phase: String
        let language: String
    }

    /// A customer message waiting for the bot's turn, which tells whether it was a follow-up.
    struct Pending {
        let text: String
        let ts: String
        let phase: String
        let language: String
        let followUp: Bool
    }

    /// The session's last replayed message, when the edit changed it: what `/rate` refers to.
    struct LastChange {
        let key: TransitionKey
        let example: Int?
        var thumbsUp = false
        var thumbsDown = false
        var negative = false
    }

    /// Changed messages of one transition in a session, not yet covered by a low rating,
    /// and not yet counted as negative at all.
    struct OpenCounts {
        var notLowRated = 0
        var notNegative = 0
    }

    struct ExampleRef {
        let key: TransitionKey
        let index: Int
    }

    struct SessionState {
        var phase: String?
        var language: String?
        var lastDay: Int
        /// The bot's last turn asked for something (a slot value, a postcode, a choice).
        var awaitingAnswer = false
        var pending: Pending?
        var last: LastChange?
        var open: [TransitionKey: OpenCounts] = [:]
        /// This session's messages kept as examples, to note the feedback that follows.
        var examples: [ExampleRef] = []

        init(lastDay: Int) { self.lastDay = lastDay }
    }
}
