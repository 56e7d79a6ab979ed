import CoreMetrics
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOPosix
import NIOWebSocket
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
    private let webSocketChannel: (any Channel)?

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
        if let webSocketPort = configuration.webSocketPort {
            let web = ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 1024)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(quiesce.makeServerChannelHandler(channel: channel))
                    }
                }
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelOption(.maxMessagesPerRead, value: 4)
                .childChannelOption(.writeBufferWaterMark, value: .init(low: 16 * 1024, high: 64 * 1024))
                .childChannelOption(.socketOption(.so_sndbuf), value: 64 * 1024)
                .childChannelInitializer { channel in
                    Self.initializeWebSocket(channel, services: services, gate: gate)
                }
            do {
                webSocketChannel = try await web.bind(host: configuration.host, port: webSocketPort).get()
            } catch {
                try? await channel.close()
                throw error
            }
        } else {
            webSocketChannel = nil
        }
    }

    /// A browser: HTTP first (the widget's files, or the upgrade to a WebSocket from an
    /// allowed origin), then the same line pipeline as TCP behind `WebSocketLineAdapter`.
    /// Admission counts the connection from the accept on, so unfinished HTTP requests
    /// count against the limits too; a refused browser is told after the upgrade, in a
    /// message it can show.
    static func initializeWebSocket(_ channel: any Channel, services: ChatServices, gate: ConnectionGate) -> EventLoopFuture<Void> {
        let configuration = services.configuration
        let peerAddress = channel.remoteAddress?.ipAddress ?? "unknown"
        // Behind a trusted proxy (nginx, HAProxy in HTTP mode) the browser's address is the
        // last entry of X-Forwarded-For, so admission waits for the upgrade request.
        let trusted = configuration.trustedProxies.compactMap(AddressBlock.init)
        let fromTrustedProxy = channel.remoteAddress.map { peer in trusted.contains { $0.contains(peer) } } ?? false
        let earlyRefusal = fromTrustedProxy ? nil : admission(channel, address: peerAddress, services: services, gate: gate)
        let port = channel.localAddress?.port ?? configuration.webSocketPort ?? 0
        let origins = configuration.webSocketOrigins.isEmpty ? OriginPolicy.ownPages(port: port) : OriginPolicy(allowed: configuration.webSocketOrigins)
        let maxMessage = configuration.webSocketMaxMessageBytes
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: maxMessage,
            shouldUpgrade: { channel, head in
                guard origins.allows(head.headers.first(name: "origin")) else {
                    // Shown visibly: the header is the client's, the log is read in a terminal.
                    let origin = TerminalText.visible(String(head.headers.first(name: "origin")?.prefix(100) ?? ""))
                    services.logger.warning("websocket origin refused", metadata: ["origin": "\(origin)"])
                    return channel.eventLoop.makeSucceededFuture(nil)
                }
                var headers = HTTPHeaders()
                let protocols = head.headers[canonicalForm: "sec-websocket-protocol"].map { $0.lowercased() }
                if protocols.contains("binary") { headers.add(name: "Sec-WebSocket-Protocol", value: "binary") }
                return channel.eventLoop.makeSucceededFuture(headers)
            },
            upgradePipelineHandler: { channel, head in
                let binary = head.headers[canonicalForm: "sec-websocket-protocol"].contains { $0.lowercased() == "binary" }
                var address = peerAddress
                var refusal = earlyRefusal
                if fromTrustedProxy {
                    address = forwardedClient(head.headers) ?? peerAddress
                    refusal = admission(channel, address: address, services: services, gate: gate)
                }
                return channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(NIOWebSocketFrameAggregator(minNonFinalFragmentSize: 1, maxAccumulatedFrameCount: 64,
                                                                        maxAccumulatedFrameSize: maxMessage))
                    try pipeline.addHandler(WebSocketLineAdapter(binary: binary))
                    if let refusal {
                        refuse(channel, saying: refusal)
                    } else {
                        try addChatHandlers(to: pipeline, after: nil, services: services, client: address)
                    }
                }
            }
        )
        let page = WebPageHandler(webRoot: configuration.webRoot)
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                withServerUpgrade: (upgraders: [upgrader], completionHandler: { context in
                    context.pipeline.syncOperations.removeHandler(page, promise: nil)
                }))
            try channel.pipeline.syncOperations.addHandler(page)
        }
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
            LineFramingHandler(maxLineBytes: services.configuration.maxLineBytes, linesPerTurn: services.configuration.linesPerTurn,
                               rounds: services.backlogRounds),
            LineValidationHandler(),
            ChatSessionHandler(services: services, client: client),
        ]
        if let handler {
            try pipeline.addHandlers(handlers, position: .after(handler))
        } else {
            try pipeline.addHandlers(handlers)
        }
    }

    /// The client a trusted proxy names: the last X-Forwarded-For entry (the one the
    /// trusted proxy itself added), if it is an IP address.
    static func forwardedClient(_ headers: HTTPHeaders) -> String? {
        guard let last = headers[canonicalForm: "x-forwarded-for"].last else { return nil }
        let text = String(last)  // canonicalForm splits at commas and trims
        return AddressBlock(text) != nil && !text.contains("/") ? text : nil
    }

    /// Counts the connection against the limits for `address` (the client's, from the
    /// socket or a PROXY header), or refuses it politely and closes.
    static func admit(_ channel: any Channel, address: String, services: ChatServices, gate: ConnectionGate) -> Bool {
        guard let refusal = admission(channel, address: address, services: services, gate: gate) else { return true }
        refuse(channel, saying: refusal)
        return false
    }

    /// Says one line and closes.
    static func refuse(_ channel: any Channel, saying text: String) {
        var buffer = channel.allocator.buffer(capacity: 160)
        buffer.writeString(text + "\n")
        channel.writeAndFlush(buffer).whenComplete { _ in channel.close(promise: nil) }
    }

    /// Nil when the connection may have a session (it is then counted until it closes);
    /// otherwise what to tell the newcomer. Writes nothing, so a WebSocket can say it
    /// after the upgrade.
    static func admission(_ channel: any Channel, address: String, services: ChatServices, gate: ConnectionGate) -> String? {
        let disk = services.diskGuard.admit()
        if disk.changed {
            if disk.room {
                services.logger.notice("transcript disk has room again; accepting new sessions")
            } else {
                services.logger.error("transcript disk below the free-space threshold; refusing new sessions",
                                      metadata: ["minimum_free_bytes": "\(services.diskGuard.minimumFreeBytes)"])
            }
        }
        // Running sessions keep the room that is left; a newcomer is told politely.
        guard disk.room else { return ErrorCode.unavailable.newSessionText }
        let verdict = gate.admit(address: address)
        guard verdict != .admitted else {
            services.metrics.connectionsAccepted.increment()
            services.metrics.connectionsOpen.increment()
            channel.closeFuture.whenComplete { _ in
                gate.release(address: address)
                services.metrics.connectionsOpen.decrement()
            }
            return nil
        }
        services.metrics.refused(verdict == .serverFull ? .serverFull : .addressFull)
        services.logger.warning("connection refused", metadata: ["reason": "\(verdict)", "open": "\(gate.openConnections)"])
        return services.store.knowledgeBase.errorTextInEveryLanguage(.serverBusy)
    }

    /// The port actually bound (useful with port 0 in tests).
    public var port: Int { channel.localAddress?.port ?? services.configuration.port }

    public var openConnections: Int { gate.openConnections }

    /// The WebSocket port actually bound, when the listener is on.
    public var webSocketPort: Int? { webSocketChannel.map { $0.localAddress?.port ?? 0 } }

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
