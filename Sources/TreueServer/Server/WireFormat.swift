import NIOCore
import TreueCore

/// How conversation outputs look on the wire: plain text for people, or exactly one JSON
/// object per line (keys sorted, as `ConversationOutput.writeJSON(to:)` writes them).
public struct WireFormat {
    public private(set) var mode: OutputMode = .text
    /// Reused for every JSON output of the session: its storage is allocated at the first
    /// JSON output (none for a text-mode or idle connection) and kept.
    private var json = JSONLineWriter(capacity: 0)

    public init() {}

    /// Appends one output, LF-terminated; a `.mode` output switches the format for it and
    /// everything after. JSON goes from the writer's bytes to the buffer, with no string
    /// made in between.
    public mutating func render(_ output: ConversationOutput, into buffer: inout ByteBuffer) {
        if case let .mode(newMode) = output { mode = newMode }
        switch mode {
        case .text:
            buffer.writeString(Self.plain(output))
            buffer.writeInteger(UInt8(10))
        case .json:
            json.removeAll()
            output.writeJSON(to: &json)
            buffer.writeBytes(json.bytes)
        }
    }

    /// One output as a string, LF-terminated (see `render(_:into:)`).
    public mutating func render(_ output: ConversationOutput) -> String {
        var buffer = ByteBufferAllocator().buffer(capacity: 256)
        render(output, into: &buffer)
        return String(buffer: buffer)
    }

    static func plain(_ output: ConversationOutput) -> String {
        switch output {
        case let .mode(mode): return mode == .text ? "OK, plain text mode." : "OK"
        case let .greeting(text, _): return text
        case let .reply(reply):
            guard !reply.suggestions.isEmpty else { return reply.text }
            let numbered = reply.suggestions.enumerated().map { "  \($0.offset + 1)) \($0.element)" }
            return ([reply.text] + numbered).joined(separator: "\n")
        case let .prompt(text, _): return text
        case let .info(text): return text
        case let .error(_, text): return "! " + text
        case let .bye(text): return text
        case let .proactive(_, text, suggestions):
            guard !suggestions.isEmpty else { return text }
            let numbered = suggestions.enumerated().map { "  \($0.offset + 1)) \($0.element)" }
            return ([text] + numbered).joined(separator: "\n")
        case let .queued(_, _, text): return text
        case let .agent(name, text): return "\(name): \(text)"
        }
    }
}
