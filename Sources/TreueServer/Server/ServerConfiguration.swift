import Logging
import NIOCore

/// Every setting of `treue serve`, each with its default, here and nowhere else: the
/// command-line flags, the `--config` file, the help text and the docs all start from
/// `ServerConfiguration()`.
public struct ServerConfiguration: Sendable {
    // Where it listens.
    public var host = "127.0.0.1"
    public var port = 4242

    // What it answers from.
    public var intents = "Intents"
    public var customers = "Customers/demo.csv"
    /// PCRE2 match limit per pattern and message.
    public var matchLimit: UInt32 = 100_000
    public var loginSecretFile: String?
    /// Order export (CSV) to answer order questions from (`--orders`); nil: general answers.
    public var orders: String?
    /// The shop's live order service (`--orders-url`): GET URL+NUMBER with a bearer token
    /// from `ordersTokenFile` or TREUE_ORDERS_TOKEN.
    public var ordersURL: String?
    public var ordersTokenFile: String?
    /// Order-service lookups in flight at once (`--orders-max-in-flight`).
    public var ordersMaxInFlight = 64
    /// How long an order-service answer is reused (`--orders-cache`; zero: never).
    public var ordersCache: TimeAmount = .seconds(30)
    /// How long an order source may take (`--orders-timeout`); the session answers "cannot
    /// look it up right now" a little after this even if the source never returns.
    public var lookupTimeout: TimeAmount = .seconds(2)

    /// `--reload-gate`: a reload replays the last `reloadGateDays` days of transcripts
    /// through the new knowledge base and keeps the old one when more than
    /// `reloadMaxLost` answers are lost or `reloadMaxSwitched` switch intent.
    public var reloadGate = false
    public var reloadGateDays = 7
    public var reloadMaxLost = 0
    public var reloadMaxSwitched = 0

    // Transcripts.
    public var transcripts = "Transcripts"
    public var instance: String?
    public var fsync: TranscriptSyncPolicy = .always
    /// Day files older than this many days are deleted (this instance's only); nil keeps all.
    public var retainDays: Int?
    public var groupReadable = false
    public var redactionRules: String?

    // Limits.
    public var maxConnections = 4096
    public var maxConnectionsPerAddress = 256
    public var maxLineBytes = 4096
    /// No complete line for this long closes the connection with a goodbye (also catches
    /// slowloris clients that trickle bytes but never finish a line).
    public var idleTimeout: TimeAmount = .seconds(300)
    public var linesPerSecond: Double = 5
    public var burst = 20
    /// Bytes of lines one connection may send a minute (a token bucket, so a short burst
    /// up to this many is fine); more are refused like a flood.
    public var bytesPerConnectionMinute = 32 * 1024
    /// Bytes of lines all connections from one address may send a minute together.
    public var bytesPerAddressMinute = 1024 * 1024
    /// Below this much free space on the transcript file system new sessions are refused
    /// politely; sessions already open go on. 0 turns the guard off.
    public var minimumFreeTranscriptBytes: Int64 = 64 * 1024 * 1024
    /// The native WebSocket listener for the web widget on this port (nil: off), on `host`.
    public var webSocketPort: Int?
    /// Pages allowed to open a chat WebSocket (`https://shop.example`); empty: the
    /// listener's own pages only (`http://127.0.0.1:PORT`, `http://localhost:PORT`).
    public var webSocketOrigins: [String] = []
    /// Largest WebSocket message (all fragments together) a browser may send.
    public var webSocketMaxMessageBytes = 16 * 1024
    /// A flat folder of files (the widget and its demo page) served on the WebSocket port.
    public var webRoot: String?
    /// Refused lines in a row after which a flooding client is disconnected.
    public var floodDisconnectAfter = 40
    /// Replies waiting for their transcript write before the server stops reading more
    /// input from this connection.
    public var maxPendingReplies = 16
    /// Lines of one connection handed to its session per turn of the event loop; more wait
    /// unread for later turns, so a client that pipelines thousands of lines in one write
    /// cannot hold up the other customers on its loop (`LineFramingHandler`).
    public var linesPerTurn = 16

    // Service agents (SPEC 4a).
    /// The agent listener's port; nil (the default) opens none.
    public var agentPort: Int?
    public var agentHost = "127.0.0.1"
    /// Agent secrets, one per line (or TREUE_AGENT_SECRET); required with `agentPort`.
    public var agentSecretFile: String?
    /// CSV `id,name`: the agents' display names.
    public var agents: String?

    // Process.
    public var threads = System.coreCount
    public var logLevel: Logger.Level = .info
    /// How long a drain (SIGTERM/SIGINT) waits for customers' last records before closing.
    public var drainTimeout: TimeAmount = .seconds(10)

    // Operations.
    /// The Prometheus and health listener; nil (the default) opens none.
    public var metricsPort: Int?
    public var metricsHost = "127.0.0.1"
    /// Expect a PROXY protocol (v1 or v2) header from the trusted proxies.
    public var proxyProtocol = false
    /// Addresses or CIDR blocks whose PROXY header is believed.
    public var trustedProxies: [String] = []

    public init() {}

    /// The defaults, for help texts that show them.
    public static let defaults = ServerConfiguration()
}

extension TimeAmount {
    /// Whole seconds, for settings shown to operators in seconds.
    public var wholeSeconds: Int64 { nanoseconds / 1_000_000_000 }
}
