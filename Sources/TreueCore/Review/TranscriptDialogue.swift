import Foundation

/// One session's records gathered from the transcript files and shown as a readable
/// dialogue: customer and bot lines with timestamps, intents and phases, and the events
/// between them (phase changes, slot questions, handoffs, ratings, feedback, errors).
public struct TranscriptDialogue: Sendable {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case sessionNotFound(String)

        public var description: String {
            switch self {
            case let .sessionNotFound(id): "no records of session '\(id)' in the transcripts"
            }
        }
    }

    public let session: String
    /// In sequence order.
    public let records: [TranscriptRecord]
    public let input: TranscriptReader.Statistics

    public init(session: String, records: [TranscriptRecord], input: TranscriptReader.Statistics = .init()) {
        self.session = session
        self.records = records.enumerated()
            .sorted { ($0.element.seq, $0.offset) < ($1.element.seq, $1.offset) }
            .map(\.element)
        self.input = input
    }

    /// Scans every file `reader` covers; only lines that mention the id are decoded.
    public static func load(session: String, reader: TranscriptReader) throws -> TranscriptDialogue {
        var records: [TranscriptRecord] = []
        let statistics = try reader.forEach(containing: "\"\(session)\"") { record in
            if record.session == session { records.append(record) }
        }
        guard !records.isEmpty else { throw Failure.sessionNotFound(session) }
        return TranscriptDialogue(session: session, records: records, input: statistics)
    }

    public func render() -> String {
        var lines: [String] = []
        var header = "Session \(session)"
        if let instance = records.first(where: { $0.instance != nil })?.instance { header += " (instance \(instance))" }
        lines.append(header)
        var day: Substring = ""
        for record in records {
            let recordDay = record.ts.prefix(10)
            if recordDay != day {
                day = recordDay
                lines.append("")
                lines.append("\(day)")
            }
            let time = record.ts.count > 11 ? String(record.ts.dropFirst(11).prefix(12)) : record.ts
            let (who, text) = describe(record)
            let prefix = "  \(time.padding(toLength: 12, withPad: " ", startingAt: 0))  \(who)"
            let textLines = text.split(separator: "\n", omittingEmptySubsequences: false)
            lines.append(prefix + (textLines.first.map { " " + $0 } ?? ""))
            let indent = String(repeating: " ", count: prefix.count + 1)
            for continuation in textLines.dropFirst() { lines.append(indent + continuation) }
        }
        if input.malformed + input.torn > 0 {
            lines.append("")
            lines.append("(\(input.malformed) malformed and \(input.torn) torn line(s) mentioning this session were skipped)")
        }
        // Stored text is the customer's and the CRM's: nothing in it may act on the terminal.
        return lines.map { TerminalText.visible($0) }.joined(separator: "\n") + "\n"
    }

    /// Who speaks, and what: customer and bot lines, or `--` for events.
    private func describe(_ record: TranscriptRecord) -> (String, String) {
        func tags(_ parts: [String?]) -> String { "[" + parts.compactMap { $0 }.joined(separator: ", ") + "]" }
        switch record.type {
        case .sessionOpen:
            return ("--", "session opened " + tags([record.phase.map { "phase \($0)" }, record.lang]))
        case .sessionClose:
            return ("--", "session closed (\(record.reason ?? "no reason"))")
        case .message:
            return ("customer:", record.text ?? "")
        case .command:
            return ("customer:", "/\(record.name ?? "?")")
        case .reply:
            var text = tags([record.intent ?? "no intent", record.phase.map { "phase \($0)" }, record.lang]) + " " + (record.text ?? "")
            if let captures = record.captures, !captures.isEmpty {
                text += "\n  captures: " + captures.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            }
            if let suggestions = record.suggestions, !suggestions.isEmpty {
                text += "\n  suggestions: " + suggestions.joined(separator: " | ")
            }
            return ("bot:", text)
        case .phaseChange:
            return ("--", "phase \(record.from ?? "?") → \(record.to ?? "?")" + (record.reason.map { " (\($0))" } ?? ""))
        case .slotPrompt:
            return ("--", "asks for slot '\(record.slot ?? "?")' of \(record.intent ?? "?")")
        case .fallback:
            return ("--", "fallback #\(record.count ?? 0) in phase \(record.phase ?? "?")")
        case .handoff:
            return ("--", "handoff, ticket \(record.ticket ?? "?") (\(record.reason ?? "?")" + (record.intent.map { ", intent \($0)" } ?? "") + ")")
        case .rating:
            let verdict = record.helpful == true ? "helpful" : record.helpful == false ? "not helpful" : "?"
            return ("--", "rated \(verdict): \(record.intent ?? "no intent")")
        case .feedback:
            return ("--", "satisfaction \(record.score.map(String.init) ?? "?")/5" + (record.comment.map { ": \($0)" } ?? ""))
        case .login:
            var parts = ["customer \(record.customer ?? "?")", record.verified == true ? "verified" : "unverified"]
            if let phase = record.phase { parts.append("phase \(phase)") }
            if let tier = record.tier { parts.append("tier \(tier)") }
            if let segment = record.segment { parts.append("segment \(segment)") }
            return ("--", "login: " + parts.joined(separator: ", "))
        case .error:
            return ("--", "error \(record.code ?? "?")" + (record.detail.map { ": \($0)" } ?? ""))
        case .patternLimit:
            return ("--", "pattern hit its match limit: \(record.pattern ?? "?") of \(record.intent ?? "?")")
        case .clarify:
            return ("--", "asked which one: " + (record.options ?? []).joined(separator: " or "))
        case .orderLookup:
            let status = record.status.map { ", status \($0)" } ?? ""
            let latency = record.latencyMs.map { ", \($0) ms" } ?? ""
            return ("--", "order lookup \(record.order ?? "?"): \(record.outcome ?? "?")\(status)\(latency)")
        case .proactive:
            var text = "[proactive \(record.rule ?? "?")] " + (record.text ?? "")
            if let suggestions = record.suggestions, !suggestions.isEmpty { text += "\n  suggestions: " + suggestions.joined(separator: " | ") }
            return ("bot:", text)
        case .queued:
            return ("--", "queued for an agent, ticket \(record.ticket ?? "?"), position \(record.position.map(String.init) ?? "?")")
        case .agentJoined:
            return ("--", "agent \(record.agent ?? "?") joined (ticket \(record.ticket ?? "?"))")
        case .agentMessage:
            return ("agent:", record.text ?? "")
        case .handoffMessage:
            return ("customer:", record.text ?? "")
        case .note:
            return ("--", "note by \(record.agent ?? "?"): \(record.text ?? "")")
        case .backToBot:
            return ("--", "agent \(record.agent ?? "?") returned the customer to the bot")
        case .handoffClosed:
            return ("--", "agent \(record.agent ?? "?") closed the conversation")
        case .leftWaiting:
            return ("--", "the customer left while waiting (ticket \(record.ticket ?? "?"))")
        case .callback:
            return ("--", "callback contact left for ticket \(record.ticket ?? "?") (\(record.reason ?? "?"))")
        }
    }
}
