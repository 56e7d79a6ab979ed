import Logging
import TreueCore

/// What every agent connection shares: the handoff registry, the agent-token verifier,
/// display names and the line limits.
public final class AgentServices: Sendable {
    public let registry: HandoffRegistry
    let verifier: LoginTokenVerifier
    let names: [String: String]
    let logger: Logger
    let linesPerSecond: Double
    let burst: Int
    let floodDisconnectAfter: Int
    let maxLineBytes: Int
    let linesPerTurn: Int
    /// The backlog rounds of the agents' connections, one per event loop.
    let backlogRounds = BacklogRoundsByLoop()

    public init(registry: HandoffRegistry, secrets: [String], names: [String: String], configuration: ServerConfiguration, logger: Logger) {
        self.registry = registry
        verifier = LoginTokenVerifier(secrets: secrets)
        self.names = names
        var logger = logger
        logger[metadataKey: "listener"] = "agents"
        self.logger = logger
        linesPerSecond = configuration.linesPerSecond
        burst = configuration.burst
        floodDisconnectAfter = configuration.floodDisconnectAfter
        maxLineBytes = configuration.maxLineBytes
        linesPerTurn = configuration.linesPerTurn
    }
}
