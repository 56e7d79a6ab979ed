import NIOCore

/// Splits the byte stream at LF (a CR before it is dropped) with a maximum line length.
/// Unlike failing the channel, an over-long line is reported once and its remainder
/// skipped, so the customer can go on chatting.
public struct LineFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = LineFrame

    public let maxLineBytes: Int
    private var discarding = false
    /// Where the LF search continues, so a slowly arriving line is not rescanned.
    private var scanned = 0

    public init(maxLineBytes: Int) {
        self.maxLineBytes = maxLineBytes
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let view = buffer.readableBytesView
        if let newline = view[(view.startIndex + scanned)...].firstIndex(of: 10) {
            let length = newline - view.startIndex
            scanned = 0
            if discarding {
                discarding = false
                buffer.moveReaderIndex(forwardBy: length + 1)
                return .continue
            }
            var line = buffer.readSlice(length: length)!
            buffer.moveReaderIndex(forwardBy: 1)
            if line.readableBytesView.last == 13 { line.moveWriterIndex(to: line.writerIndex - 1) }
            if line.readableBytes > maxLineBytes {
                context.fireChannelRead(wrapInboundOut(.tooLong(limit: maxLineBytes)))
            } else {
                context.fireChannelRead(wrapInboundOut(.line(line)))
            }
            return .continue
        }
        if buffer.readableBytes > maxLineBytes {
            if !discarding { context.fireChannelRead(wrapInboundOut(.tooLong(limit: maxLineBytes))) }
            discarding = true
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            scanned = 0
            return .needMoreData
        }
        scanned = buffer.readableBytes
        return .needMoreData
    }

    /// At end of input a last line without LF still counts (`printf 'hi' | nc …`).
    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if !discarding, buffer.readableBytes > 0 {
            var line = buffer.readSlice(length: buffer.readableBytes)!
            if line.readableBytesView.last == 13 { line.moveWriterIndex(to: line.writerIndex - 1) }
            context.fireChannelRead(wrapInboundOut(.line(line)))
        }
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        scanned = 0
        return .needMoreData
    }
}
