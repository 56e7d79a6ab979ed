import CoreMetrics
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOExtras
import NIOPosix
import TreueCore

/// The TCP chat server: a pipeline of small handlers per connection in front of the
/// conversation core, with connection limits and a graceful drain.
public final class ChatServer: Sendable {
    public let services: ChatServices
    private let group: MultiThreadedEventLoopGroup
    /// Dropped before the event loops stop: its deinit completes a promise on one of them.
    private let quiesce: NIOLockedValueBox<ServerQuiescingHelper?>
    private let gate: ConnectionGate
    private let channel: any Channel

    /// Binds and starts accepting.
    public init(services: ChatServices) async throws {
        let configuration = services.configuration
        self.services = services
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.threads))
        let quiesce = ServerQuiescingHelper(group: group)
        self.quiesce = NIOLockedValueBox(quiesce)
        let gate = ConnectionGate(maxConnections: configuration.maxConnections, maxPerAddress: configuration.maxConnectionsPerAddress)
        self.gate = gate
        let trusted = configuration.trustedProxies.compactMap(AddressBlock.init)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiesce.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.socketOption(.so_keepalive), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 4)
            // A client that half-closes after its last line (`nc -N`) still gets the
            // answers: the session handler closes once they are written.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 16 * 1024, high: 64 * 1024))
            // Linux would grow a send buffer to megabytes for a client that never reads;
            // a small one makes backpressure reach the read side in time.
            .childChannelOption(.socketOption(.so_sndbuf), value: 64 * 1024)
            // Idle connections hold no large receive buffer.
            .childChannelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 256, maximum: 16 * 1024))
            .childChannelInitializer { channel in
                Self.initialize(channel, services: services, gate: gate, trusted: trusted)
            }
        channel = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
    }

    static func initialize(_ channel: any Channel, services: ChatServices, gate: ConnectionGate, trusted: [AddressBlock]) -> EventLoopFuture<Void> {
        let configuration = services.configuration
        let peer = channel.remoteAddress
        let fromTrustedProxy = configuration.proxyProtocol && peer.map { address in trusted.contains { $0.contains(address) } } == true
        return channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            if fromTrustedProxy {
                // Admitted once the header names the client; until then only this handler runs.
                try pipeline.addHandler(ProxyProtocolHandler(mode: .required, logger: services.logger, metrics: services.metrics) { context, header in
                    let client = header.source?.ipAddress ?? peer?.ipAddress ?? "unknown"
                    guard admit(channel, address: client, services: services, gate: gate) else { return false }
                    do {
                        try addChatHandlers(to: context.pipeline.syncOperations, after: context.handler, services: services, client: client)
                        return true
                    } catch {
                        channel.close(promise: nil)
                        return false
                    }
                })
                return
            }
            let client = peer?.ipAddress ?? "unknown"
            guard admit(channel, address: client, services: services, gate: gate) else { return }
            if configuration.proxyProtocol {
                try pipeline.addHandler(ProxyProtocolHandler(mode: .refused, logger: services.logger, metrics: services.metrics) { _, _ in false })
            }
            try addChatHandlers(to: pipeline, after: nil, services: services, client: client)
        }
    }

    static func addChatHandlers(to pipeline: ChannelPipeline.SynchronousOperations, after handler: (any ChannelHandler)?,
                                services: ChatServices, client: String) throws {
        let handlers: [any ChannelHandler] = [
            ByteToMessageHandler(LineFrameDecoder(maxLineBytes: services.configuration.maxLineBytes)),
            LineValidationHandler(),
            ChatSessionHandler(services: services, client: client),
        ]
        if let handler {
            try pipeline.addHandlers(handlers, position: .after(handler))
        } else {
            try pipeline.addHandlers(handlers)
        }
    }

    /// Counts the connection against the limits for `address` (the client's, from the
    /// socket or a PROXY header), or refuses it politely and closes.
    static func admit(_ channel: any Channel, address: String, services: ChatServices, gate: ConnectionGate) -> Bool {
        let disk = services.diskGuard.admit()
        if disk.changed {
            if disk.room {
                services.logger.notice("transcript disk has room again; accepting new sessions")
            } else {
                services.logger.error("transcript disk below the free-space threshold; refusing new sessions",
                                      metadata: ["minimum_free_bytes": "\(services.diskGuard.minimumFreeBytes)"])
            }
        }
        guard disk.room else {
            // Running sessions keep the room that is left; a newcomer is told politely.
            var buffer = channel.allocator.buffer(capacity: 160)
            buffer.writeString(ErrorCode.unavailable.newSessionText + "\n")
            channel.writeAndFlush(buffer).whenComplete { _ in channel.close(promise: nil) }
            return false
        }
        let verdict = gate.admit(address: address)
        guard verdict != .admitted else {
            services.metrics.connectionsAccepted.increment()
            services.metrics.connectionsOpen.increment()
            channel.closeFuture.whenComplete { _ in
                gate.release(address: address)
                services.metrics.connectionsOpen.decrement()
            }
            return true
        }
        services.metrics.refused(verdict == .serverFull ? .serverFull : .addressFull)
        services.logger.warning("connection refused", metadata: ["reason": "\(verdict)", "open": "\(gate.openConnections)"])
        var buffer = channel.allocator.buffer(capacity: 128)
        buffer.writeString(ErrorCode.serverBusy.customerText + "\n")
        channel.writeAndFlush(buffer).whenComplete { _ in channel.close(promise: nil) }
        return false
    }

    /// The port actually bound (useful with port 0 in tests).
    public var port: Int { channel.localAddress?.port ?? services.configuration.port }

    public var openConnections: Int { gate.openConnections }

    /// Stops accepting, says goodbye to every customer, waits until their records are
    /// stored and the connections are closed (or the drain timeout passes), then stops.
    public func shutdown() async {
        let promise = group.next().makePromise(of: Void.self)
        quiesce.withLockedValue { $0?.initiateShutdown(promise: promise) }
        let timeout = services.configuration.drainTimeout
        let deadline = group.next().scheduleTask(in: timeout) { promise.succeed(()) }
        _ = try? await promise.futureResult.get()
        deadline.cancel()
        quiesce.withLockedValue { $0 = nil }
        // A customer who left during the drain has records in its loop's round buffer,
        // handed to the writer by a task already queued on that loop: let those run first.
        for loop in group.makeIterator() { try? await loop.submit {}.get() }
        services.writer.close()
        try? await group.shutdownGracefully()
    }

    /// Waits until the listening socket closes.
    public func waitUntilClosed() async {
        _ = try? await channel.closeFuture.get()
    }
}
