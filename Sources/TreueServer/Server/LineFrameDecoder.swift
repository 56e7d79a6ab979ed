import NIOCore

/// Splits the byte stream at LF (a CR before it is dropped) with a maximum line length.
/// Unlike failing the channel, an over-long line is reported once and its remainder
/// skipped, so the customer can go on chatting.
///
/// One frame per call (`NIOSingleStepByteToMessageDecoder`), so a caller can stop after
/// any line: `LineFramingHandler` hands on a bounded number per event-loop turn. Inside
/// `ByteToMessageHandler` (the terminal clients) it cuts everything at once as before.
public struct LineFrameDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = LineFrame

    public let maxLineBytes: Int
    private var discarding = false
    /// Where the LF search continues, so a slowly arriving line is not rescanned.
    private var scanned = 0

    public init(maxLineBytes: Int) {
        self.maxLineBytes = maxLineBytes
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> LineFrame? {
        nextFrame(in: &buffer)
    }

    /// At end of input a last line without LF still counts (`printf 'hi' | nc …`).
    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> LineFrame? {
        lastFrame(in: &buffer)
    }

    /// The next line, or nil until more bytes come.
    public mutating func nextFrame(in buffer: inout ByteBuffer) -> LineFrame? {
        while true {
            let view = buffer.readableBytesView
            if let newline = view[(view.startIndex + scanned)...].firstIndex(of: 10) {
                let length = newline - view.startIndex
                scanned = 0
                if discarding {
                    // The end of an over-long line (already reported): skip it, look for the next.
                    discarding = false
                    buffer.moveReaderIndex(forwardBy: length + 1)
                    continue
                }
                var line = buffer.readSlice(length: length)!
                buffer.moveReaderIndex(forwardBy: 1)
                if line.readableBytesView.last == 13 { line.moveWriterIndex(to: line.writerIndex - 1) }
                return line.readableBytes > maxLineBytes ? .tooLong(limit: maxLineBytes) : .line(line)
            }
            if buffer.readableBytes > maxLineBytes {
                let report = !discarding
                discarding = true
                buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
                scanned = 0
                return report ? .tooLong(limit: maxLineBytes) : nil
            }
            scanned = buffer.readableBytes
            return nil
        }
    }

    /// The next line at end of input, where bytes without an LF make the last one.
    public mutating func lastFrame(in buffer: inout ByteBuffer) -> LineFrame? {
        if let frame = nextFrame(in: &buffer) { return frame }
        defer {
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            scanned = 0
        }
        guard !discarding, buffer.readableBytes > 0 else { return nil }
        var line = buffer.readSlice(length: buffer.readableBytes)!
        if line.readableBytesView.last == 13 { line.moveWriterIndex(to: line.writerIndex - 1) }
        return .line(line)
    }
}
