import NIOCore

/// Everything an operator sets for `treue serve`.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 4242
    public var maxConnections = 4096
    public var maxConnectionsPerAddress = 256
    public var maxLineBytes = 4096
    /// No complete line for this long closes the connection with a goodbye (also catches
    /// slowloris clients that trickle bytes but never finish a line).
    public var idleTimeout: TimeAmount = .seconds(300)
    public var linesPerSecond: Double = 5
    public var burst = 20
    /// Refused lines in a row after which a flooding client is disconnected.
    public var floodDisconnectAfter = 40
    /// Replies waiting for their transcript write before the server stops reading more
    /// input from this connection.
    public var maxPendingReplies = 16
    public var threads = System.coreCount
    public var instance: String?
    public var drainTimeout: TimeAmount = .seconds(10)
    /// How long an order source may take (`--orders-timeout`); the session answers "cannot
    /// look it up right now" a little after this even if the source never returns.
    public var lookupTimeout: TimeAmount = .seconds(2)

    public init() {}
}
