/// Computes a `ReviewReport` from a stream of transcript records in one pass. Memory grows
/// with the number of distinct intents, phases, days and unmatched texts, not with the
/// number of records: per-session state is a few fields, dropped at `session_close` (or
/// when a session has been silent for more than a day, e.g. after a crash).
public struct ReviewAggregator: Sendable {
    /// The fields of a transcript record the review needs. Decoding this instead of a full
    /// `TranscriptRecord` skips reply texts, captures and suggestions, which dominate the bytes.
    public struct Record: Decodable, Sendable {
        public var ts: String
        public var session: String
        public var type: TranscriptRecord.Kind
        /// Only for `message`.
        public var text: String?
        public var intent: String?
        public var phase: String?
        public var from: String?
        public var to: String?
        public var reason: String?
        public var helpful: Bool?
        public var score: Int?
        public var tier: String?
        public var segment: String?
        public var customer: String?
        public var code: String?
        /// `order_lookup` and `proactive` records.
        public var outcome: String?
        public var latencyMs: Int?
        public var rule: String?
        public var intents: [String]?
        /// Handoff records: the agent and the ticket.
        public var agent: String?
        public var ticket: String?
        /// Replies and ratings: the answer variant shown.
        public var variant: String?
        /// `reply`: the understanding stage that decided (gaps: `none`, `clarify`, `out_of_scope`).
        public var stage: String?

        public init(_ record: TranscriptRecord) {
            ts = record.ts
            session = record.session
            type = record.type
            text = record.type == .message ? record.text : nil
            intent = record.intent
            phase = record.phase
            from = record.from
            to = record.to
            reason = record.reason
            helpful = record.helpful
            score = record.score
            tier = record.tier
            segment = record.segment
            customer = record.customer
            code = record.code
            outcome = record.outcome
            latencyMs = record.latencyMs
            rule = record.rule
            intents = record.intents
            agent = record.agent
            ticket = record.ticket
            variant = record.variant
            stage = record.type == .reply ? record.stage : nil
        }

        private enum CodingKeys: String, CodingKey {
            case ts, session, type, text, intent, phase, from, to, reason, helpful, score, tier, segment, customer, code, outcome, rule, intents,
                 agent, ticket, variant, stage
            case latencyMs = "latency_ms"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            ts = try container.decode(String.self, forKey: .ts)
            session = try container.decode(String.self, forKey: .session)
            type = try container.decode(TranscriptRecord.Kind.self, forKey: .type)
            // Only what the aggregator reads for each type is decoded.
            switch type {
            case .message:
                text = try container.decodeIfPresent(String.self, forKey: .text)
            case .reply, .fallback, .sessionOpen:
                intent = try container.decodeIfPresent(String.self, forKey: .intent)
                phase = try container.decodeIfPresent(String.self, forKey: .phase)
                variant = try container.decodeIfPresent(String.self, forKey: .variant)
                if type == .reply { stage = try container.decodeIfPresent(String.self, forKey: .stage) }
            case .phaseChange:
                from = try container.decodeIfPresent(String.self, forKey: .from)
                to = try container.decodeIfPresent(String.self, forKey: .to)
            case .slotPrompt:
                intent = try container.decodeIfPresent(String.self, forKey: .intent)
            case .handoff:
                intent = try container.decodeIfPresent(String.self, forKey: .intent)
                reason = try container.decodeIfPresent(String.self, forKey: .reason)
            case .rating:
                intent = try container.decodeIfPresent(String.self, forKey: .intent)
                helpful = try container.decodeIfPresent(Bool.self, forKey: .helpful)
                variant = try container.decodeIfPresent(String.self, forKey: .variant)
            case .feedback:
                score = try container.decodeIfPresent(Int.self, forKey: .score)
            case .login:
                phase = try container.decodeIfPresent(String.self, forKey: .phase)
                tier = try container.decodeIfPresent(String.self, forKey: .tier)
                segment = try container.decodeIfPresent(String.self, forKey: .segment)
                customer = try container.decodeIfPresent(String.self, forKey: .customer)
            case .error:
                code = try container.decodeIfPresent(String.self, forKey: .code)
            case .orderLookup:
                outcome = try container.decodeIfPresent(String.self, forKey: .outcome)
                latencyMs = try container.decodeIfPresent(Int.self, forKey: .latencyMs)
            case .proactive:
                rule = try container.decodeIfPresent(String.self, forKey: .rule)
                intents = try container.decodeIfPresent([String].self, forKey: .intents)
            case .sessionClose, .command, .patternLimit, .clarify, .queued, .agentJoined, .agentMessage, .handoffMessage, .note, .backToBot,
                 .handoffClosed, .leftWaiting, .callback:
                agent = try container.decodeIfPresent(String.self, forKey: .agent)
                ticket = try container.decodeIfPresent(String.self, forKey: .ticket)
            }
        }
    }

    private struct SessionState {
        var phase: String?
        var loggedIn = false
        var tier: String?
        var segment: String?
        var lastIntent: String?
        /// The customer message still waiting for the bot's answer.
        var pendingMessage: String?
        var handedOff = false
        var lastDay: Int
        /// The proactive welcome this session showed: its rule, the intents it suggested,
        /// whether the customer asked one of them.
        var proactive: (rule: String, intents: Set<String>, acted: Bool)?
        /// For the repurchase rate: who chatted, when, what they asked, how it ended.
        var customer: String?
        var firstDay: String?
        var intents: Set<String> = []
        var lastReplyWasFallback = false
        var score: Int?
        /// Handoff timing: when the customer entered the queue, when an agent joined and
        /// whether they have written yet, and whether any agent joined this session.
        var queuedAt: Double?
        var joinedAt: Double?
        var hadAgent = false
        /// The answer variants this session was shown; its score counts for each.
        var variants: Set<AnswerVariant> = []
        /// The last message answered with an intent, for a thumbs-down that follows.
        var lastAnswered: String?
    }

    /// One answer variant of one intent, as the reply records name it.
    private struct AnswerVariant: Hashable {
        var intent: String
        var variant: String
    }

    private struct VariantTally {
        var shown = 0
        var up = 0
        var down = 0
        var scores = [Int](repeating: 0, count: 5)
    }

    private struct LookupTally {
        var count = 0
        /// Latency in whole milliseconds → how many (sparse: lookups cluster).
        var latencies: [Int: Int] = [:]
    }

    private struct RuleTally {
        var shown = 0
        var acted = 0
        var scores = [Int](repeating: 0, count: 5)
    }

    private struct PhaseTally {
        var matched = 0
        var fallbacks = 0
        var intents: [String: Int] = [:]
    }

    private struct UnmatchedTally {
        var count: Int
        var example: String
    }

    private struct DayTally {
        var sessions = 0
        var messages = 0
    }

    /// How many unmatched groups the report lists.
    public var unmatchedLimit: Int
    /// Distinct unmatched texts tracked; beyond this, new texts are only counted, so a flood
    /// of unique garbage cannot exhaust memory.
    public var unmatchedCapacity: Int

    private var open: [String: SessionState] = [:]
    private var sweptDay = Int.min

    private var firstTimestamp: String?
    private var lastTimestamp: String?
    private var sessions = 0
    private var messages = 0
    private var replies = 0
    private var answered = 0
    private var matched = 0
    private var fallbacks = 0
    private var commands = 0
    private var errors: [String: Int] = [:]
    private var phases: [String: PhaseTally] = [:]
    private var unmatched: [String: UnmatchedTally] = [:]
    private var unmatchedMessages = 0
    private var scores = [Int](repeating: 0, count: 5)
    private var scoresByPhase: [String: [Int]] = [:]
    private var scoresByIntent: [String: [Int]] = [:]
    private var scoresByTier: [String: [Int]] = [:]
    private var scoresBySegment: [String: [Int]] = [:]
    private var helpfulness: [String: (up: Int, down: Int)] = [:]
    /// Bounded by the knowledge base's answer variants (a record naming others is counted
    /// only up to `variantCapacity`).
    private var variants: [AnswerVariant: VariantTally] = [:]
    private static let variantCapacity = 10_000
    private var handoffs = 0
    private var agentStats = ReviewReport.AgentHandoffStats()
    /// Samples in whole seconds; bounded by the number of handoffs, which is small beside records.
    private var waits: [Int] = []
    private var firstReplies: [Int] = []
    private var agentConversations: [String: Int] = [:]
    private var scoresAfterAgent = [Int](repeating: 0, count: 5)
    private var scoresBotOnly = [Int](repeating: 0, count: 5)
    private var handoffReasons: [String: Int] = [:]
    private var sessionsWithHandoff = 0
    private var movements: [Movement: Int] = [:]
    private var days: [String: DayTally] = [:]
    private var hours = [Int](repeating: 0, count: 24)
    private var lookups: [String: LookupTally] = [:]
    private var rules: [String: RuleTally] = [:]
    /// Each logged-in customer's first chat, for `--orders` (a few fields per customer).
    private var chats: [String: RepurchaseReport.Chat] = [:]
    /// Fallbacks, clarifying questions and thumbs-down answers, for grouping by meaning.
    private var gaps: GapRecorder
    private var outOfScope = 0
    private var firstDay: Int?
    private var lastDay: Int?

    private struct Movement: Hashable {
        var from: String
        var to: String
    }

    public init(unmatchedLimit: Int = 100, unmatchedCapacity: Int = 100_000, gapCapacity: Int = GapRecorder.defaultCapacity) {
        self.unmatchedLimit = unmatchedLimit
        self.unmatchedCapacity = unmatchedCapacity
        gaps = GapRecorder(capacity: gapCapacity)
    }

    /// Reads every record `reader` yields and returns the report.
    /// With `gaps`, the gap messages are grouped by meaning against its knowledge base.
    public static func review(_ reader: TranscriptReader, unmatchedLimit: Int = 100, orders: OrderExport? = nil,
                              gaps: GapClusterer? = nil, gapCapacity: Int = GapRecorder.defaultCapacity) throws -> ReviewReport {
        var aggregator = ReviewAggregator(unmatchedLimit: unmatchedLimit, gapCapacity: gapCapacity)
        let statistics = try reader.forEach(Record.self, timestamp: \.ts) { aggregator.add($0) }
        var report = aggregator.report(input: statistics, orders: orders)
        if let gaps { report.gaps = aggregator.gapReport(gaps) }
        return report
    }

    /// The gap messages grouped by meaning (`GapClusterer`).
    public func gapReport(_ clusterer: GapClusterer) -> GapReport {
        let period = firstDay.flatMap { first in lastDay.map { first...$0 } }
        return clusterer.report(gaps, period: period, outOfScope: outOfScope)
    }

    public mutating func add(_ record: TranscriptRecord) { add(Record(record)) }

    public mutating func add(_ record: Record) {
        if firstTimestamp.map({ record.ts < $0 }) ?? true { firstTimestamp = record.ts }
        if lastTimestamp.map({ record.ts > $0 }) ?? true { lastTimestamp = record.ts }
        let day = Self.dayNumber(record.ts)
        if day != sweptDay { sweep(today: day) }
        firstDay = min(firstDay ?? day, day)
        lastDay = max(lastDay ?? day, day)

        var state = open.removeValue(forKey: record.session) ?? {
            sessions += 1
            return SessionState(lastDay: day)
        }()
        state.lastDay = max(state.lastDay, day)

        switch record.type {
        case .sessionOpen:
            state.phase = record.phase ?? state.phase
            days[Self.dayText(record.ts), default: DayTally()].sessions += 1
        case .sessionClose:
            finish(state)
            return // state is dropped
        case .message:
            messages += 1
            state.pendingMessage = record.text ?? ""
            days[Self.dayText(record.ts), default: DayTally()].messages += 1
            if let hour = Self.hour(record.ts) { hours[hour] += 1 }
        case .command:
            commands += 1
        case .reply:
            replies += 1
            let phase = record.phase ?? state.phase ?? "(unknown)"
            state.phase = phase
            state.lastReplyWasFallback = record.intent == nil && state.pendingMessage != nil
            if state.firstDay == nil { state.firstDay = Self.dayText(record.ts) }
            if let intent = record.intent {
                state.lastIntent = intent
                state.intents.insert(intent)
                if let variant = record.variant {
                    let key = AnswerVariant(intent: intent, variant: variant)
                    if variants[key] != nil || variants.count < Self.variantCapacity {
                        variants[key, default: VariantTally()].shown += 1
                        state.variants.insert(key)
                    }
                }
                if let shown = state.proactive, !shown.acted, shown.intents.contains(intent) {
                    state.proactive?.acted = true
                    rules[shown.rule, default: RuleTally()].acted += 1
                }
                phases[phase, default: PhaseTally()].matched += 1
                phases[phase, default: PhaseTally()].intents[intent, default: 0] += 1
            } else if state.pendingMessage != nil {
                phases[phase, default: PhaseTally()].fallbacks += 1
            }
            if let message = state.pendingMessage {
                state.pendingMessage = nil
                answered += 1
                if record.intent != nil { matched += 1 } else { addUnmatched(message) }
                state.lastAnswered = record.intent != nil ? message : nil
                if record.intent == nil {
                    switch record.stage {
                    case "out_of_scope": outOfScope += 1
                    case "clarify": gaps.add(message, kind: .clarify, day: day)
                    default: gaps.add(message, kind: .fallback, day: day)
                    }
                }
            }
        case .slotPrompt:
            // The intent was recognized; the bot asks for a missing detail instead of answering.
            if state.pendingMessage != nil {
                state.pendingMessage = nil
                answered += 1
                matched += 1
            }
        case .fallback:
            fallbacks += 1
            if let phase = record.phase { state.phase = phase }
        case .phaseChange:
            let from = record.from ?? state.phase ?? "(unknown)"
            let to = record.to ?? "(unknown)"
            movements[Movement(from: from, to: to), default: 0] += 1
            state.phase = to
        case .handoff:
            handoffs += 1
            handoffReasons[record.reason ?? "(unknown)", default: 0] += 1
            if !state.handedOff {
                state.handedOff = true
                sessionsWithHandoff += 1
            }
        case .rating:
            let intent = record.intent ?? "(none)"
            if record.helpful == true { helpfulness[intent, default: (0, 0)].up += 1 }
            else if record.helpful == false {
                helpfulness[intent, default: (0, 0)].down += 1
                if let message = state.lastAnswered {
                    gaps.add(message, kind: .thumbsDown, day: day)
                    state.lastAnswered = nil
                }
            }
            if let variant = record.variant, variants[AnswerVariant(intent: intent, variant: variant)] != nil {
                let key = AnswerVariant(intent: intent, variant: variant)
                if record.helpful == true { variants[key]?.up += 1 } else if record.helpful == false { variants[key]?.down += 1 }
            }
        case .feedback:
            if let score = record.score, (1...5).contains(score) {
                state.score = score
                scores[score - 1] += 1
                scoresByPhase[state.phase ?? "(unknown)", default: Self.noScores][score - 1] += 1
                scoresByIntent[state.lastIntent ?? "(none)", default: Self.noScores][score - 1] += 1
                let anonymous = state.loggedIn ? "(unknown)" : "(anonymous)"
                scoresByTier[state.tier ?? anonymous, default: Self.noScores][score - 1] += 1
                scoresBySegment[state.segment ?? anonymous, default: Self.noScores][score - 1] += 1
                if let shown = state.proactive { rules[shown.rule, default: RuleTally()].scores[score - 1] += 1 }
                if state.hadAgent { scoresAfterAgent[score - 1] += 1 } else { scoresBotOnly[score - 1] += 1 }
                for key in state.variants { variants[key]?.scores[score - 1] += 1 }
            }
        case .login:
            state.loggedIn = true
            state.customer = record.customer
            state.tier = record.tier
            state.segment = record.segment
            if let phase = record.phase { state.phase = phase }
        case .error:
            errors[record.code ?? "(unknown)", default: 0] += 1
        case .patternLimit, .clarify:
            break
        case .orderLookup:
            let outcome = record.outcome ?? "(unknown)"
            lookups[outcome, default: LookupTally()].count += 1
            if let latency = record.latencyMs { lookups[outcome, default: LookupTally()].latencies[max(0, latency), default: 0] += 1 }
        case .proactive:
            let rule = record.rule ?? "(unknown)"
            rules[rule, default: RuleTally()].shown += 1
            state.proactive = (rule, Set(record.intents ?? []), false)
        case .queued:
            agentStats.queued += 1
            state.queuedAt = Self.seconds(record.ts)
        case .agentJoined:
            if let queued = state.queuedAt, let now = Self.seconds(record.ts) { waits.append(max(0, Int(now - queued))) }
            state.queuedAt = nil
            state.joinedAt = Self.seconds(record.ts)
            state.hadAgent = true
            agentConversations[record.agent ?? "(unknown)", default: 0] += 1
        case .agentMessage:
            if let joined = state.joinedAt, let now = Self.seconds(record.ts) { firstReplies.append(max(0, Int(now - joined))) }
            state.joinedAt = nil
        case .leftWaiting:
            agentStats.leftWhileWaiting += 1
            state.queuedAt = nil
        case .callback:
            agentStats.callbacksLeft += 1
        case .backToBot, .handoffClosed:
            state.joinedAt = nil
        case .handoffMessage, .note:
            break
        }
        open[record.session] = state
    }

    /// The report so far; sessions still open are included as they are.
    public func report(input: TranscriptReader.Statistics = TranscriptReader.Statistics(), orders: OrderExport? = nil) -> ReviewReport {
        var aggregator = self
        for state in open.values { aggregator.finish(state) }
        let repurchase = orders.map { RepurchaseReport.make(chats: aggregator.chats.values.sorted { $0.customer < $1.customer }, orders: $0) }
        let ranked = unmatched.sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }
        return ReviewReport(
            firstTimestamp: firstTimestamp,
            lastTimestamp: lastTimestamp,
            input: input,
            sessions: sessions,
            messages: messages,
            replies: replies,
            answeredMessages: answered,
            matchedMessages: matched,
            matchRate: Self.rate(matched, answered),
            fallbacks: fallbacks,
            commands: commands,
            errors: Self.counts(errors),
            intentsByPhase: phases.map { phase, tally in
                ReviewReport.PhaseIntents(phase: phase, matched: tally.matched, fallbacks: tally.fallbacks, intents: Self.counts(tally.intents))
            }.sorted { ($0.matched + $0.fallbacks, $1.phase) > ($1.matched + $1.fallbacks, $0.phase) },
            unmatched: ranked.prefix(unmatchedLimit).map { ReviewReport.UnmatchedGroup(normalized: $0.key, count: $0.value.count, example: $0.value.example) },
            unmatchedMessages: unmatchedMessages,
            unmatchedDistinct: unmatched.count,
            satisfaction: ReviewReport.Satisfaction(
                overall: ReviewReport.ScoreStats(distribution: scores),
                byPhase: Self.groups(scoresByPhase),
                byIntent: Self.groups(scoresByIntent),
                byTier: Self.groups(scoresByTier),
                bySegment: Self.groups(scoresBySegment)
            ),
            helpfulness: helpfulness.map { ReviewReport.Helpfulness(intent: $0.key, up: $0.value.up, down: $0.value.down) }
                .sorted { ($0.up + $0.down, $1.intent) > ($1.up + $1.down, $0.intent) },
            answerVariants: Self.answerVariants(variants),
            handoffs: handoffs,
            handoffReasons: Self.counts(handoffReasons),
            sessionsWithHandoff: sessionsWithHandoff,
            handoffRate: Self.rate(sessionsWithHandoff, sessions),
            containmentRate: Self.rate(sessions - sessionsWithHandoff, sessions),
            phaseMovements: movements.map { ReviewReport.PhaseMovement(from: $0.key.from, to: $0.key.to, count: $0.value) }
                .sorted { ($0.count, $1.from, $1.to) > ($1.count, $0.from, $0.to) },
            days: days.sorted { $0.key < $1.key }.map { ReviewReport.DayVolume(day: $0.key, sessions: $0.value.sessions, messages: $0.value.messages) },
            messagesByHour: hours,
            orderLookups: lookups.map { outcome, tally in
                ReviewReport.LookupOutcome(outcome: outcome, count: tally.count, latency: ReviewReport.LatencyStats(tally.latencies))
            }.sorted { ($0.count, $1.outcome) > ($1.count, $0.outcome) },
            proactiveRules: rules.map { rule, tally in
                ReviewReport.ProactiveRuleStats(rule: rule, shown: tally.shown, actedOn: tally.acted, actedRate: Self.rate(tally.acted, tally.shown),
                                                satisfaction: ReviewReport.ScoreStats(distribution: tally.scores))
            }.sorted { ($0.shown, $1.rule) > ($1.shown, $0.rule) },
            repurchase: repurchase,
            agents: aggregator.agentReport()
        )
    }

    private func agentReport() -> ReviewReport.AgentHandoffStats {
        var stats = agentStats
        stats.waitP50 = ReviewReport.AgentHandoffStats.percentile(waits, 0.5)
        stats.waitP90 = ReviewReport.AgentHandoffStats.percentile(waits, 0.9)
        stats.firstReplyP50 = ReviewReport.AgentHandoffStats.percentile(firstReplies, 0.5)
        stats.firstReplyP90 = ReviewReport.AgentHandoffStats.percentile(firstReplies, 0.9)
        stats.conversationsPerAgent = Self.counts(agentConversations)
        stats.satisfactionAfterAgent = ReviewReport.ScoreStats(distribution: scoresAfterAgent)
        stats.satisfactionBotOnly = ReviewReport.ScoreStats(distribution: scoresBotOnly)
        return stats
    }

    /// Seconds since 1970 of an ISO timestamp `YYYY-MM-DDTHH:MM:SS.mmmZ` (nil when malformed).
    static func seconds(_ ts: String) -> Double? {
        guard let hour = number(ts, 11..<13), let minute = number(ts, 14..<16), let second = number(ts, 17..<19) else { return nil }
        let millis = number(ts, 20..<23) ?? 0
        return Double(dayNumber(ts) * 86_400 + hour * 3600 + minute * 60 + second) + Double(millis) / 1000
    }

    /// Lower-cased, runs of whitespace collapsed to one space and trimmed, every decimal
    /// digit replaced by `#`, so "Order 12345" and "order  67890" fall into one group.
    public static func normalize(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace {
                result.append(" ")
                pendingSpace = false
            }
            result.append(scalar.properties.numericType == .decimal ? "#" : scalar)
        }
        return String(result)
    }

    // MARK: - Helpers

    private static let noScores = [Int](repeating: 0, count: 5)

    /// Keeps a logged-in customer's first chat of the period for the repurchase rate.
    private mutating func finish(_ state: SessionState) {
        guard let customer = state.customer, let day = state.firstDay.flatMap(OrderDate.init(iso:)) else { return }
        if let earlier = chats[customer], earlier.day <= day { return }
        let outcome = state.handedOff ? "handed_off" : state.lastReplyWasFallback || state.intents.isEmpty ? "fallback" : "answered"
        chats[customer] = RepurchaseReport.Chat(customer: customer, day: day, outcome: outcome, intents: state.intents, score: state.score)
    }

    private mutating func addUnmatched(_ message: String) {
        unmatchedMessages += 1
        let key = Self.normalize(message)
        if unmatched[key] != nil {
            unmatched[key]?.count += 1
        } else if unmatched.count < unmatchedCapacity {
            unmatched[key] = UnmatchedTally(count: 1, example: message)
        }
    }

    /// Drops sessions silent since before yesterday: their close record was lost (crash)
    /// or lies outside the time range, and keeping them would grow memory without bound.
    private mutating func sweep(today: Int) {
        sweptDay = today
        if open.count > 0 {
            for state in open.values where state.lastDay < today - 1 { finish(state) }
            open = open.filter { $0.value.lastDay >= today - 1 }
        }
    }

    private static func rate(_ part: Int, _ whole: Int) -> Double? {
        whole == 0 ? nil : Double(part) / Double(whole)
    }

    private static func counts(_ tally: [String: Int]) -> [ReviewReport.Count] {
        tally.map { ReviewReport.Count(name: $0.key, count: $0.value) }.sorted { ($0.count, $1.name) > ($1.count, $0.name) }
    }

    /// Intents that showed two or more variants; variants in YAML order.
    private static func answerVariants(_ tally: [AnswerVariant: VariantTally]) -> [ReviewReport.IntentVariants] {
        func order(_ variant: String) -> (String, Int) {
            let slash = variant.lastIndex(of: "/") ?? variant.endIndex
            let position = slash < variant.endIndex ? Int(variant[variant.index(after: slash)...]) ?? 0 : 0
            return (String(variant[..<slash]), position)
        }
        let byIntent = Dictionary(grouping: tally, by: { $0.key.intent })
        return byIntent.compactMap { intent, entries -> ReviewReport.IntentVariants? in
            guard entries.count > 1 else { return nil }
            let variants = entries.sorted { order($0.key.variant) < order($1.key.variant) }.map {
                ReviewReport.VariantStats(variant: $0.key.variant, shown: $0.value.shown, up: $0.value.up, down: $0.value.down,
                                          satisfaction: ReviewReport.ScoreStats(distribution: $0.value.scores))
            }
            return ReviewReport.IntentVariants(intent: intent, variants: variants)
        }
        .sorted { a, b in
            let (shownA, shownB) = (a.variants.reduce(0) { $0 + $1.shown }, b.variants.reduce(0) { $0 + $1.shown })
            return (shownA, b.intent) > (shownB, a.intent)
        }
    }

    private static func groups(_ tally: [String: [Int]]) -> [ReviewReport.ScoreGroup] {
        tally.map { ReviewReport.ScoreGroup(name: $0.key, scores: ReviewReport.ScoreStats(distribution: $0.value)) }
            .sorted { ($0.scores.count, $1.name) > ($1.scores.count, $0.name) }
    }

    private static func dayText(_ ts: String) -> String { String(ts.prefix(10)) }

    /// Days since 1970-01-01 of a `YYYY-MM-DD…` timestamp (0 when it has no date).
    private static func dayNumber(_ ts: String) -> Int {
        guard let year = number(ts, 0..<4), let month = number(ts, 5..<7), let day = number(ts, 8..<10) else { return 0 }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func hour(_ ts: String) -> Int? {
        guard let hour = number(ts, 11..<13), hour < 24 else { return nil }
        return hour
    }

    /// The decimal number at byte offsets `range` of `text`, read in place (no allocation
    /// for native strings, which decoded ones are).
    private static func number(_ text: String, _ range: Range<Int>) -> Int? {
        func parse(_ bytes: some RandomAccessCollection<UInt8>) -> Int? {
            guard bytes.count >= range.upperBound else { return nil }
            var value = 0
            for offset in range {
                let byte = bytes[bytes.index(bytes.startIndex, offsetBy: offset)]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        if let value = text.utf8.withContiguousStorageIfAvailable({ parse($0) }) { return value }
        return parse(Array(text.utf8))
    }
}
