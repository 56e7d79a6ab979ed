import NIOCore
import TreueCore

/// Turns raw lines into text: invalid UTF-8 and control characters (NUL, ESC, …; tab
/// is allowed and becomes a space) are refused with a reason, never passed on.
public final class LineValidationHandler: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = LineFrame
    public typealias InboundOut = ChatInput

    public init() {}

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .tooLong(limit):
            context.fireChannelRead(wrapInboundOut(.rejected(.lineTooLong, detail: "line over \(limit) bytes")))
        case let .line(buffer):
            context.fireChannelRead(wrapInboundOut(Self.validate(buffer)))
        }
    }

    public static func validate(_ buffer: ByteBuffer) -> ChatInput {
        let bytes = buffer.readableBytesView
        var hasTab = false
        for byte in bytes {
            if byte == 9 { hasTab = true; continue }
            if byte < 32 || byte == 127 {
                return .rejected(.controlCharacters, detail: "control byte 0x\(String(byte, radix: 16))")
            }
        }
        guard var text = String(validating: bytes, as: UTF8.self) else {
            return .rejected(.invalidUTF8, detail: "invalid UTF-8")
        }
        // C1 controls and bidirectional overrides are invisible and have no place in chat.
        if text.unicodeScalars.contains(where: { (0x80...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) }) {
            return .rejected(.controlCharacters, detail: "invisible control character")
        }
        if hasTab { text = text.replacingTabs() }
        return .line(text)
    }
}

private extension String {
    func replacingTabs() -> String { String(map { $0 == "\t" ? " " : $0 }) }
}
