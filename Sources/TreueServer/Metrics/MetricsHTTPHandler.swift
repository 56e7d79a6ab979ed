import NIOCore
import NIOHTTP1

/// Answers `GET /metrics` (the Prometheus text format) and `GET /healthz` (200 serving,
/// 503 draining or transcripts not writable); anything else is 404, other methods 405.
final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let metrics: PrometheusMetrics
    private let health: HealthCheck
    private var request: HTTPRequestHead?

    init(metrics: PrometheusMetrics, health: HealthCheck) {
        self.metrics = metrics
        self.health = health
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head): request = head
        case .body: break
        case .end:
            guard let head = request else { return }
            request = nil
            respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        let status: HTTPResponseStatus
        let contentType: String
        var body = context.channel.allocator.buffer(capacity: 256)
        switch (head.method, path) {
        case (.GET, "/metrics"), (.HEAD, "/metrics"):
            status = .ok
            contentType = "text/plain; version=0.0.4; charset=utf-8"
            body.writeBytes(metrics.exposition())
        case (.GET, "/healthz"), (.HEAD, "/healthz"):
            let health = health.status
            status = health.isHealthy ? .ok : .serviceUnavailable
            contentType = "text/plain; charset=utf-8"
            body.writeString(health.text + "\n")
        case (_, "/metrics"), (_, "/healthz"):
            status = .methodNotAllowed
            contentType = "text/plain; charset=utf-8"
            body.writeString("use GET\n")
        default:
            status = .notFound
            contentType = "text/plain; charset=utf-8"
            body.writeString("not found: try /metrics or /healthz\n")
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(name: "Cache-Control", value: "no-store")
        if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
        var response = HTTPResponseHead(version: head.version, status: status, headers: headers)
        response.headers = headers
        context.write(wrapOutboundOut(.head(response)), promise: nil)
        if head.method != .HEAD { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        let keepAlive = head.isKeepAlive
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { channel.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
