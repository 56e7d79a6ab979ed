/// The figures `treue review` reports, computed by `ReviewAggregator`. Encoded as JSON
/// (sorted keys) it is the `--format json` output; rates are fractions (0…1) and are left
/// out when their denominator is zero.
public struct ReviewReport: Codable, Sendable, Equatable {
    public struct Count: Codable, Sendable, Equatable {
        public var name: String
        public var count: Int

        public init(name: String, count: Int) {
            self.name = name
            self.count = count
        }
    }

    public struct PhaseIntents: Codable, Sendable, Equatable {
        public var phase: String
        /// Replies with an intent in this phase.
        public var matched: Int
        /// Fallback replies in this phase.
        public var fallbacks: Int
        /// Most frequent first.
        public var intents: [Count]
    }

    /// Customer messages that fell back, grouped by normalized text.
    public struct UnmatchedGroup: Codable, Sendable, Equatable {
        /// Lower-cased, whitespace collapsed, every digit replaced by `#`.
        public var normalized: String
        public var count: Int
        /// The first message seen in this group, as written (after redaction).
        public var example: String
    }

    public struct ScoreStats: Codable, Sendable, Equatable {
        public var count: Int
        public var mean: Double?
        /// How many scores of 1, 2, 3, 4, 5 (index 0 is score 1).
        public var distribution: [Int]

        public init(distribution: [Int]) {
            self.distribution = distribution
            count = distribution.reduce(0, +)
            let sum = distribution.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element }
            mean = count == 0 ? nil : Double(sum) / Double(count)
        }
    }

    public struct ScoreGroup: Codable, Sendable, Equatable {
        public var name: String
        public var scores: ScoreStats
    }

    public struct Satisfaction: Codable, Sendable, Equatable {
        public var overall: ScoreStats
        /// Phase the session was in when the score was given.
        public var byPhase: [ScoreGroup]
        /// Last intent answered before the score; `(none)` when nothing was answered.
        public var byIntent: [ScoreGroup]
        /// From the session's login record; `(anonymous)` without login, `(unknown)` when
        /// the customer directory has no such field.
        public var byTier: [ScoreGroup]
        public var bySegment: [ScoreGroup]
    }

    public struct Helpfulness: Codable, Sendable, Equatable {
        public var intent: String
        public var up: Int
        public var down: Int
    }

    /// An intent whose replies showed more than one answer variant, with each variant's
    /// record: authors keep the ones that help.
    public struct IntentVariants: Codable, Sendable, Equatable {
        public var intent: String
        /// In the order the YAML lists them (phase, language, position).
        public var variants: [VariantStats]
    }

    public struct VariantStats: Codable, Sendable, Equatable {
        /// `PHASE/LANGUAGE/N`: the N-th answer (from 1) under `answers: PHASE: LANGUAGE:`.
        public var variant: String
        public var shown: Int
        /// `/rate up` and `/rate down` right after this variant.
        public var up: Int
        public var down: Int
        /// Session scores (`/feedback`) of sessions that were shown this variant.
        public var satisfaction: ScoreStats
    }

    public struct PhaseMovement: Codable, Sendable, Equatable {
        public var from: String
        public var to: String
        public var count: Int
    }

    public struct DayVolume: Codable, Sendable, Equatable {
        /// `YYYY-MM-DD` (UTC).
        public var day: String
        /// Sessions opened that day.
        public var sessions: Int
        public var messages: Int
    }

    /// Order lookups with one outcome: `found`, `not_found`, `refused`, `unavailable`, `locked`.
    public struct LookupOutcome: Codable, Sendable, Equatable {
        public var outcome: String
        public var count: Int
        /// Nil when no lookup of this outcome recorded a latency (`locked` asks no source).
        public var latency: LatencyStats?
    }

    /// Milliseconds the order source took.
    public struct LatencyStats: Codable, Sendable, Equatable {
        public var count: Int
        public var p50: Int
        public var p95: Int
        public var max: Int

        /// From latency → count; nil when empty.
        init?(_ histogram: [Int: Int]) {
            let sorted = histogram.sorted { $0.key < $1.key }
            let total = sorted.reduce(0) { $0 + $1.value }
            guard total > 0, let last = sorted.last?.key else { return nil }
            func percentile(_ fraction: Double) -> Int {
                let rank = Swift.max(1, Int((fraction * Double(total)).rounded(.up)))
                var seen = 0
                for (latency, count) in sorted {
                    seen += count
                    if seen >= rank { return latency }
                }
                return last
            }
            count = total
            p50 = percentile(0.5)
            p95 = percentile(0.95)
            max = last
        }
    }

    /// One proactive welcome rule: how often it spoke, how often the customer then asked
    /// one of its suggested intents in the same session, and the satisfaction given after.
    public struct ProactiveRuleStats: Codable, Sendable, Equatable {
        public var rule: String
        public var shown: Int
        public var actedOn: Int
        public var actedRate: Double?
        public var satisfaction: ScoreStats
    }

    /// First and last record timestamps seen.
    public var firstTimestamp: String?
    public var lastTimestamp: String?
    public var input: TranscriptReader.Statistics

    public var sessions: Int
    public var messages: Int
    /// Bot replies of every kind (answers, fallbacks, handoff notices).
    public var replies: Int
    /// Customer messages the bot answered (a reply or a slot question).
    public var answeredMessages: Int
    /// Of those, answered with an intent (a slot question counts: the intent was recognized).
    public var matchedMessages: Int
    public var matchRate: Double?
    public var fallbacks: Int
    public var commands: Int
    public var errors: [Count]

    public var intentsByPhase: [PhaseIntents]
    /// Ranked by count, then text; at most the aggregator's limit.
    public var unmatched: [UnmatchedGroup]
    /// Unmatched messages in total, and distinct normalized texts.
    public var unmatchedMessages: Int
    public var unmatchedDistinct: Int

    public var satisfaction: Satisfaction
    public var helpfulness: [Helpfulness]
    /// Most shown intents first.
    public var answerVariants: [IntentVariants]

    public var handoffs: Int
    public var handoffReasons: [Count]
    public var sessionsWithHandoff: Int
    public var handoffRate: Double?
    /// Sessions ending without a handoff, over all sessions.
    public var containmentRate: Double?

    /// Most frequent first.
    public var phaseMovements: [PhaseMovement]
    /// Chronological.
    public var days: [DayVolume]
    /// Customer messages per UTC hour, index 0 is 00:00–00:59.
    public var messagesByHour: [Int]

    /// By outcome, most frequent first.
    public var orderLookups: [LookupOutcome]
    /// Most shown first.
    public var proactiveRules: [ProactiveRuleStats]
    /// With `--orders PATH`: repurchases after a chat beside customers who did not chat.
    public var repurchase: RepurchaseReport?
    /// Handoffs to service agents (docs/handoff.md).
    public var agents = AgentHandoffStats()
    /// Gap messages grouped by meaning, with their nearest intent (when a knowledge base was given).
    public var gaps: GapReport?

    /// The service team's numbers: queue waits, customers who gave up, first replies,
    /// conversations per agent, and satisfaction with and without a person.
    public struct AgentHandoffStats: Codable, Sendable, Equatable {
        /// Customers put in the queue (a requeue after an agent left counts again).
        public var queued = 0
        /// Seconds from the queue to an agent joining.
        public var waitP50: Int?
        public var waitP90: Int?
        public var leftWhileWaiting = 0
        /// Seconds from an agent joining to their first line.
        public var firstReplyP50: Int?
        public var firstReplyP90: Int?
        /// Conversations taken per agent id, most first.
        public var conversationsPerAgent: [Count] = []
        public var callbacksLeft = 0
        /// Scores given in sessions an agent joined, and in sessions the bot handled alone.
        public var satisfactionAfterAgent = ScoreStats(distribution: [0, 0, 0, 0, 0])
        public var satisfactionBotOnly = ScoreStats(distribution: [0, 0, 0, 0, 0])

        public init() {}

        enum CodingKeys: String, CodingKey {
            case queued, leftWhileWaiting = "left_while_waiting", conversationsPerAgent = "conversations_per_agent"
            case waitP50 = "wait_p50_s", waitP90 = "wait_p90_s", firstReplyP50 = "first_reply_p50_s", firstReplyP90 = "first_reply_p90_s"
            case callbacksLeft = "callbacks_left", satisfactionAfterAgent = "satisfaction_after_agent", satisfactionBotOnly = "satisfaction_bot_only"
        }

        /// The value below which `fraction` of the samples lie (nearest rank).
        static func percentile(_ samples: [Int], _ fraction: Double) -> Int? {
            guard !samples.isEmpty else { return nil }
            let sorted = samples.sorted()
            let rank = Int((fraction * Double(sorted.count)).rounded(.up))
            return sorted[min(sorted.count - 1, max(0, rank - 1))]
        }
    }
}
