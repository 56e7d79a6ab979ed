import Logging
import NIOCore

/// The first handler of a connection when `--proxy-protocol` is on.
///
/// From a trusted proxy (`.required`) it reads the PROXY header (v1 or v2), then admits the
/// connection under the client address the header names and hands the rest of the stream
/// to the chat pipeline. From anyone else (`.refused`) the chat is already running; a
/// stream that starts like a PROXY header is someone pretending to be a proxy and is closed.
/// Either way a bad or missing header closes the connection with one log line.
final class ProxyProtocolHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    enum Mode { case required, refused }

    /// How long a trusted proxy has to send the header.
    static let headerTimeout: TimeAmount = .seconds(5)

    private let mode: Mode
    private let onHeader: (ChannelHandlerContext, ProxyHeader) -> Bool
    private let logger: Logger
    private let metrics: ServerMetrics
    private var buffered: ByteBuffer?
    private var timeout: Scheduled<Void>?
    private var done = false

    /// `onHeader` admits the connection and adds the chat handlers after this one; it
    /// returns false when the connection was refused (and is being closed).
    init(mode: Mode, logger: Logger, metrics: ServerMetrics, onHeader: @escaping (ChannelHandlerContext, ProxyHeader) -> Bool) {
        self.mode = mode
        self.logger = logger
        self.metrics = metrics
        self.onHeader = onHeader
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard mode == .required else { return }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timeout = context.eventLoop.scheduleTask(in: Self.headerTimeout) {
            let (handler, context) = loopBound.value
            handler.refuse(context: context, reason: "no PROXY header within \(Self.headerTimeout.wholeSeconds) s")
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return }
        var incoming = unwrapInboundIn(data)
        if buffered == nil { buffered = incoming } else { buffered!.writeBuffer(&incoming) }
        let bytes = buffered!.readableBytesView
        switch mode {
        case .refused:
            if ProxyHeader.looksLikeHeader(bytes) {
                // Could still be the start of one: wait until 12 bytes decide it.
                if bytes.count >= 12 || bytes.contains(0x0A) {
                    refuse(context: context, reason: "PROXY header from an address that is not a --trusted-proxy")
                }
                return
            }
            passOn(context: context)
        case .required:
            switch ProxyHeader.parse(bytes) {
            case .needMoreData:
                return
            case let .invalid(reason):
                refuse(context: context, reason: reason)
            case let .header(header):
                buffered!.moveReaderIndex(forwardBy: header.length)
                timeout?.cancel()
                guard onHeader(context, header) else {
                    done = true
                    return
                }
                passOn(context: context)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        timeout?.cancel()
        context.fireChannelInactive()
    }

    /// Hands what came after the header to the chat handlers and leaves the pipeline.
    private func passOn(context: ChannelHandlerContext) {
        done = true
        timeout?.cancel()
        if let rest = buffered, rest.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(rest)) }
        buffered = nil
        context.pipeline.syncOperations.removeHandler(self, promise: nil)
    }

    private func refuse(context: ChannelHandlerContext, reason: String) {
        guard !done else { return }
        done = true
        timeout?.cancel()
        metrics.refused(.proxyHeader)
        logger.warning("connection closed: \(reason)", metadata: ["peer": "\(context.channel.remoteAddress?.ipAddress ?? "unknown")"])
        context.close(promise: nil)
    }
}
