import CoreMetrics
import Metrics
import NIOConcurrencyHelpers
import TreueCore

/// Every metric the server reports, made once through swift-metrics from the factory it is
/// given (the Prometheus one behind `--metrics-port`, a no-op one otherwise). Names follow
/// the Prometheus conventions; label values come from short fixed lists or from the
/// knowledge base's languages, never from a session or a customer's text.
/// docs/operations.md explains each one.
public final class ServerMetrics: Sendable {
    /// Why a connection was refused (the `reason` label).
    public enum Refusal: String, Sendable, CaseIterable {
        case serverFull = "server_full"
        case addressFull = "address_full"
        case proxyHeader = "proxy_header"
    }

    /// What became of a customer message (the `outcome` label).
    public enum Outcome: String, Sendable, CaseIterable {
        case matched, fallback, handoff, prompt, other
        /// Asked which of two intents was meant.
        case clarify
        /// Recognised as another company's or domain's business and declined.
        case outOfScope = "out_of_scope"
    }

    public enum ReloadResult: String, Sendable, CaseIterable {
        /// Swapped in; failed its checks (the old one kept); refused by the reload gate
        /// (`--reload-gate`: the replay of recent transcripts lost or switched too many answers).
        case success, failure, refused
    }

    /// Metric names, once, for the code and the tests.
    public enum Name {
        public static let connectionsOpen = "treue_connections_open"
        public static let connectionsAccepted = "treue_connections_accepted_total"
        public static let connectionsRefused = "treue_connections_refused_total"
        public static let messages = "treue_messages_total"
        public static let replyDuration = "treue_reply_duration_seconds"
        public static let matchDuration = "treue_match_duration_seconds"
        public static let fsyncDuration = "treue_transcript_fsync_duration_seconds"
        public static let groupCommitRecords = "treue_transcript_group_commit_records"
        public static let transcriptBytes = "treue_transcript_written_bytes_total"
        public static let transcriptWriteFailures = "treue_transcript_write_failures_total"
        public static let rateLimitedLines = "treue_rate_limited_lines_total"
        public static let floodDisconnects = "treue_flood_disconnects_total"
        public static let idleDisconnects = "treue_idle_disconnects_total"
        public static let reloads = "treue_knowledge_base_reloads_total"
        public static let intents = "treue_knowledge_base_intents"
        public static let agentsOnline = "treue_agents_online"
        public static let handoffTickets = "treue_handoff_tickets"
    }

    let connectionsOpen: Meter
    let connectionsAccepted: Counter
    private let refusals: [Refusal: Counter]
    let replyDuration: Timer
    let matchDuration: Timer
    let fsyncDuration: Timer
    let groupCommitRecords: Recorder
    let transcriptBytes: Counter
    let transcriptWriteFailures: Counter
    let rateLimitedLines: Counter
    let floodDisconnects: Counter
    let idleDisconnects: Counter
    private let reloads: [ReloadResult: Counter]
    let intents: Gauge
    let agentsOnline: Gauge
    /// Tickets by state (`waiting` for an agent, `taken` by one).
    let ticketsWaiting: Gauge
    let ticketsTaken: Gauge
    private let factory: any MetricsFactory
    /// Message counters by outcome and language, made on first use: languages come from the
    /// knowledge base, so there are few, and a reload may add one.
    private let messageCounters = NIOLockedValueBox([String: [Outcome: Counter]]())
    /// False with the no-op factory, so the hot path skips even reading the clock.
    public let isEnabled: Bool

    public init(factory: any MetricsFactory) {
        self.factory = factory
        isEnabled = !(factory is NOOPMetricsHandler)
        connectionsOpen = Meter(label: Name.connectionsOpen, factory: factory)
        connectionsAccepted = Counter(label: Name.connectionsAccepted, factory: factory)
        refusals = Dictionary(uniqueKeysWithValues: Refusal.allCases.map {
            ($0, Counter(label: Name.connectionsRefused, dimensions: [("reason", $0.rawValue)], factory: factory))
        })
        replyDuration = Timer(label: Name.replyDuration, factory: factory)
        matchDuration = Timer(label: Name.matchDuration, factory: factory)
        fsyncDuration = Timer(label: Name.fsyncDuration, factory: factory)
        groupCommitRecords = Recorder(label: Name.groupCommitRecords, factory: factory)
        transcriptBytes = Counter(label: Name.transcriptBytes, factory: factory)
        transcriptWriteFailures = Counter(label: Name.transcriptWriteFailures, factory: factory)
        rateLimitedLines = Counter(label: Name.rateLimitedLines, factory: factory)
        floodDisconnects = Counter(label: Name.floodDisconnects, factory: factory)
        idleDisconnects = Counter(label: Name.idleDisconnects, factory: factory)
        reloads = Dictionary(uniqueKeysWithValues: ReloadResult.allCases.map {
            ($0, Counter(label: Name.reloads, dimensions: [("result", $0.rawValue)], factory: factory))
        })
        intents = Gauge(label: Name.intents, factory: factory)
        agentsOnline = Gauge(label: Name.agentsOnline, factory: factory)
        ticketsWaiting = Gauge(label: Name.handoffTickets, dimensions: [("state", "waiting")], factory: factory)
        ticketsTaken = Gauge(label: Name.handoffTickets, dimensions: [("state", "taken")], factory: factory)
    }

    /// Metrics that go nowhere: the default without `--metrics-port`, and in tests that
    /// don't look.
    public static let disabled = ServerMetrics(factory: NOOPMetricsHandler.instance)

    func refused(_ reason: Refusal) { refusals[reason]?.increment() }

    func reloaded(_ result: ReloadResult) { reloads[result]?.increment() }

    /// Counts a customer message by what the step did with it (commands are not counted).
    func count(_ step: ConversationStep) {
        guard isEnabled, step.events.contains(where: { if case .message = $0 { true } else { false } }) else { return }
        var outcome = Outcome.other
        var language = "unknown"
        for event in step.events {
            switch event {
            case .handoff: outcome = .handoff
            case .clarify where outcome != .handoff: outcome = .clarify
            case .fallback where outcome != .handoff && outcome != .outOfScope: outcome = .fallback
            case let .reply(reply):
                if language == "unknown" { language = reply.language }
                if reply.stage == "out_of_scope", outcome != .handoff { outcome = .outOfScope }
                if reply.intent != nil, outcome == .other || outcome == .prompt { outcome = .matched }
            case .slotPrompt where outcome == .other: outcome = .prompt
            default: break
            }
        }
        message(outcome, language: language)
    }

    func message(_ outcome: Outcome, language: String) {
        guard isEnabled else { return }
        let counter = messageCounters.withLockedValue { byLanguage -> Counter in
            if let counter = byLanguage[language]?[outcome] { return counter }
            // Only short language codes become label values; anything else is "other".
            let label = language.count <= 8 && language.allSatisfy({ $0.isLetter || $0 == "-" }) ? language : "other"
            let counter = Counter(label: Name.messages, dimensions: [("outcome", outcome.rawValue), ("lang", label)], factory: factory)
            byLanguage[language, default: [:]][outcome] = counter
            return counter
        }
        counter.increment()
    }
}
