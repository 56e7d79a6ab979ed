import Foundation
import NIOCore
import TreueCore

/// How conversation outputs look on the wire: plain text for people, or exactly one JSON
/// object per line (`type` first among equals: keys are sorted for stable output).
public struct WireFormat {
    public private(set) var mode: OutputMode = .text
    private let encoder: JSONEncoder

    public init() {
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    /// Appends one output, LF-terminated; a `.mode` output switches the format for it and
    /// everything after. The encoder's bytes go to the buffer as they are, with no string
    /// made in between.
    public mutating func render(_ output: ConversationOutput, into buffer: inout ByteBuffer) {
        if case let .mode(newMode) = output { mode = newMode }
        switch mode {
        case .text: buffer.writeString(Self.plain(output))
        case .json: buffer.writeBytes(json(output))
        }
        buffer.writeInteger(UInt8(10))
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
        }
    }

    private struct Record: Encodable {
        let type: String
        var text: String?
        var mode: String?
        var session: String?
        var intent: String??
        var phase: String?
        var lang: String?
        var suggestions: [String]?
        var code: String?
        var kind: String?

        enum CodingKeys: String, CodingKey { case type, text, mode, session, intent, phase, lang, suggestions, code, kind }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
            try container.encodeIfPresent(text, forKey: .text)
            try container.encodeIfPresent(mode, forKey: .mode)
            try container.encodeIfPresent(session, forKey: .session)
            // A reply always carries `intent`, null for the fallback.
            switch intent {
            case let .some(.some(id)): try container.encode(id, forKey: .intent)
            case .some(.none): try container.encodeNil(forKey: .intent)
            case .none: break
            }
            try container.encodeIfPresent(phase, forKey: .phase)
            try container.encodeIfPresent(lang, forKey: .lang)
            // Strings one by one: an array goes through the encoder's slower generic path.
            if let suggestions {
                var nested = container.nestedUnkeyedContainer(forKey: .suggestions)
                for suggestion in suggestions { try nested.encode(suggestion) }
            }
            try container.encodeIfPresent(code, forKey: .code)
            try container.encodeIfPresent(kind, forKey: .kind)
        }
    }

    private func json(_ output: ConversationOutput) -> Data {
        var record: Record
        switch output {
        case let .mode(mode): record = Record(type: "mode", mode: mode.rawValue)
        case let .greeting(text, session): record = Record(type: "greeting", text: text, session: session)
        case let .reply(reply):
            record = Record(type: "reply", text: reply.text, intent: .some(reply.intent), phase: reply.phase, lang: reply.language,
                            suggestions: reply.suggestions)
        case let .prompt(text, kind): record = Record(type: "prompt", text: text, kind: kind.rawValue)
        case let .info(text): record = Record(type: "info", text: text)
        case let .error(code, text): record = Record(type: "error", text: text, code: code.rawValue)
        case let .bye(text): record = Record(type: "bye", text: text)
        }
        guard let data = try? encoder.encode(record) else { return Data(#"{"type":"error","code":"unavailable","text":"encoding failed"}"#.utf8) }
        return data
    }
}
