import Logging
import TreueCore

/// What every connection shares: the knowledge base, identity rules, the transcript
/// writer, redaction, logging and the limits.
public final class ChatServices: Sendable {
    public let store: KnowledgeBaseStore
    public let identity: IdentityPolicy
    public let writer: TranscriptWriter
    public let configuration: ServerConfiguration
    public let logger: Logger
    /// Where order facts come from (`--orders`, `--orders-url`); nil answers order
    /// questions generally.
    public let orders: (any OrderSource)?
    let scratches = MatcherScratchCache()
    let redaction: RedactorCache
    let clock = TranscriptClock()
    let transcripts: TranscriptTickBuffer

    public init(store: KnowledgeBaseStore, identity: IdentityPolicy, writer: TranscriptWriter, redactor: Redactor,
                configuration: ServerConfiguration, logger: Logger, orders: (any OrderSource)? = nil) {
        self.orders = orders
        self.store = store
        self.identity = identity
        self.writer = writer
        self.configuration = configuration
        self.logger = logger
        redaction = RedactorCache(redactor: redactor)
        transcripts = TranscriptTickBuffer(writer: writer)
    }
}
