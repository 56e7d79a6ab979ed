import NIOCore
import NIOWebSocket

/// Turns WebSocket messages into the line byte stream the chat pipeline reads, and the
/// pipeline's output lines back into messages, so a browser gets exactly the line
/// semantics of a TCP client. A text message is one line (a trailing LF is added when
/// missing); with the `binary` subprotocol (what websockify spoke, and the widget asks
/// for) binary messages carry the raw byte stream both ways. Messages arrive whole and
/// bounded (`NIOWebSocketFrameAggregator` before this handler, the decoder's maximum
/// frame size before that); the line decoder after it bounds each line as for TCP.
final class WebSocketLineAdapter: ChannelDuplexHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = WebSocketFrame

    /// Binary messages out (the raw stream) instead of one text message per line.
    let binary: Bool
    private var closeSent = false

    init(binary: Bool) {
        self.binary = binary
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            var payload = frame.unmaskedData
            if payload.readableBytesView.last != 10 { payload.writeInteger(UInt8(10)) }
            context.fireChannelRead(wrapInboundOut(payload))
        case .binary:
            context.fireChannelRead(wrapInboundOut(frame.unmaskedData))
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .pong:
            break
        case .connectionClose:
            // The browser leaves: answer its close (RFC 6455) and close the connection.
            sendClose(context: context, code: .normalClosure).whenComplete { _ in context.close(promise: nil) }
        default:
            sendClose(context: context, code: .protocolError).whenComplete { _ in context.close(promise: nil) }
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var buffer = unwrapOutboundIn(data)
        if binary {
            context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .binary, data: buffer)), promise: promise)
            return
        }
        // One text message per line, without its LF.
        var last: EventLoopFuture<Void>?
        while let newline = buffer.readableBytesView.firstIndex(of: 10) {
            let line = buffer.readSlice(length: newline - buffer.readerIndex)!
            buffer.moveReaderIndex(forwardBy: 1)
            last = context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: line)))
        }
        if buffer.readableBytes > 0 {
            last = context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: buffer)))
        }
        if let promise {
            if let last { last.cascade(to: promise) } else { promise.succeed(()) }
        }
    }

    /// A close from the chat side (goodbye, flood, shutdown) first says so in WebSocket terms.
    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .all, !closeSent, context.channel.isActive else {
            context.close(mode: mode, promise: promise)
            return
        }
        sendClose(context: context, code: .normalClosure).whenComplete { _ in context.close(mode: mode, promise: promise) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Oversized or malformed frames: NIO has already answered with a close frame.
        context.close(promise: nil)
    }

    private func sendClose(context: ChannelHandlerContext, code: WebSocketErrorCode) -> EventLoopFuture<Void> {
        guard !closeSent else { return context.eventLoop.makeSucceededVoidFuture() }
        closeSent = true
        var data = context.channel.allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: code)
        return context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)))
    }
}
