import Logging
import TreueCore

/// What every connection shares: the knowledge base, identity rules, the transcript
/// writer, redaction, logging, metrics and the limits.
public final class ChatServices: Sendable {
    public let store: KnowledgeBaseStore
    public let identityStore: IdentityStore
    public let writer: TranscriptWriter
    public let configuration: ServerConfiguration
    public let logger: Logger
    /// Where order facts come from (`--orders`, `--orders-url`); nil answers order
    /// questions generally.
    public let orders: (any OrderSource)?
    public let metrics: ServerMetrics
    /// The handoff queue shared with the agent listener; nil without `--agent-port`.
    public let handoff: HandoffRegistry?
    let scratches = MatcherScratchCache()
    /// Connections whose lines wait behind their quota, served in rounds per event loop.
    let backlogRounds = BacklogRoundsByLoop()
    let redaction: RedactorCache
    let clock = TranscriptClock()
    let transcripts: TranscriptTickBuffer
    let volumes: AddressVolumeBudgets
    let diskGuard: DiskSpaceGuard

    public init(store: KnowledgeBaseStore, identity: IdentityStore, writer: TranscriptWriter, redactor: Redactor,
                configuration: ServerConfiguration, logger: Logger, orders: (any OrderSource)? = nil,
                metrics: ServerMetrics = .disabled, handoff: HandoffRegistry? = nil) {
        self.handoff = handoff
        self.orders = orders
        self.store = store
        self.identityStore = identity
        self.metrics = metrics
        self.writer = writer
        self.configuration = configuration
        self.logger = logger
        redaction = RedactorCache(redactor: redactor)
        transcripts = TranscriptTickBuffer(writer: writer)
        volumes = AddressVolumeBudgets(bytesPerMinute: max(configuration.bytesPerAddressMinute, configuration.maxLineBytes + 1))
        diskGuard = DiskSpaceGuard(directory: writer.configuration.directory, minimumFreeBytes: configuration.minimumFreeTranscriptBytes)
    }

    /// The login rules and customer directory in service now.
    public var identity: IdentityPolicy { identityStore.identity }
}
