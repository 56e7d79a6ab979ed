import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The HTTP listener behind `--metrics-port`: Prometheus scrapes `/metrics`, load
/// balancers probe `/healthz`. It is a service of its own so that it outlives the chat
/// server's drain: a probe during the drain sees 503, not a refused connection.
public final class MetricsListener: Service, Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let logger: Logger

    /// Binds at once, so a port in use fails the start, not a later scrape.
    public init(host: String, port: Int, metrics: PrometheusMetrics, health: HealthCheck, logger: Logger) async throws {
        self.logger = logger
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.group = group
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(metrics: metrics, health: health))
                    }
                }
            }
        do {
            channel = try await bootstrap.bind(host: host, port: port).get()
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// The port actually bound (with `--metrics-port 0`).
    public var port: Int { channel.localAddress?.port ?? 0 }

    public func run() async throws {
        logger.notice("metrics listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
        try? await gracefulShutdown()
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}
