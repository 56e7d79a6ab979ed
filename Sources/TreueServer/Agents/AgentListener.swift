import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The service agents' listener behind `--agent-port` (SPEC 4a): the line rules of the
/// customer side, then `AgentSessionHandler`. It runs on an event loop of its own, so
/// agents and customers always meet through the `HandoffRegistry`.
public final class AgentListener: Service, Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let logger: Logger

    public init(host: String, port: Int, agents: AgentServices) async throws {
        logger = agents.logger
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.group = group
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try Self.addHandlers(to: channel.pipeline.syncOperations, agents: agents)
                }
            }
        do {
            channel = try await bootstrap.bind(host: host, port: port).get()
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    static func addHandlers(to pipeline: ChannelPipeline.SynchronousOperations, agents: AgentServices) throws {
        try pipeline.addHandlers([
            LineFramingHandler(maxLineBytes: agents.maxLineBytes, linesPerTurn: agents.linesPerTurn, rounds: agents.backlogRounds),
            LineValidationHandler(),
            AgentSessionHandler(agents: agents),
        ])
    }

    /// The port actually bound (with `--agent-port 0`).
    public var port: Int { channel.localAddress?.port ?? 0 }

    public func run() async throws {
        logger.notice("agent listener open", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
        try? await gracefulShutdown()
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}
