import Logging
import ServiceLifecycle

/// The chat server as a service: serves until a graceful shutdown (SIGTERM, SIGINT), then
/// reports draining to `/healthz`, says goodbye to every customer, waits for their last
/// records (up to the drain timeout) and stops.
public struct ChatServerService: Service {
    let server: ChatServer
    let health: HealthCheck?
    /// Runs once the service group handles the stop signals, so whoever reads "listening"
    /// can stop the server cleanly from then on.
    let onStart: @Sendable () -> Void

    public init(server: ChatServer, health: HealthCheck?, onStart: @escaping @Sendable () -> Void) {
        self.server = server
        self.health = health
        self.onStart = onStart
    }

    public func run() async throws {
        onStart()
        // Cancellation (a second signal, or a failed sibling) drains as well.
        try? await gracefulShutdown()
        health?.startDraining()
        let logger = server.services.logger
        logger.notice("draining", metadata: ["connections": "\(server.openConnections)"])
        await server.shutdown()
        logger.notice("stopped")
    }
}
