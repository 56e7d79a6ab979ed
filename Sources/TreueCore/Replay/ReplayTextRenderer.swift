import Foundation

/// A replay as plain text for a terminal or a CI log: the outcome totals under both
/// knowledge bases, then each kind of change with its most frequent transitions and their
/// examples, the changes by phase and language, and the gate's verdict.
public struct ReplayTextRenderer: Sendable {
    /// Transitions listed per kind of change.
    public var rows: Int

    public init(rows: Int = 10) {
        self.rows = rows
    }

    public func render(_ report: ReplayReport) -> String {
        var out: [String] = []
        out.append("Replay of \(report.messages) customer message(s): \(report.baseline ?? "baseline") → \(report.edited ?? "edited")")
        let period = [report.firstTimestamp, report.lastTimestamp].compactMap { $0 }
        out.append(period.isEmpty ? "no records in the period" : "period \(period.first ?? "") … \(period.last ?? "") (UTC)")
        let input = report.input
        out.append("\(input.files) file(s), \(ReviewTextRenderer.bytes(input.bytes)), \(input.records) record(s); skipped: "
                   + "\(input.malformed) malformed line(s), \(input.torn) torn last line(s), \(input.outOfRange) out of range")
        out.append("\(report.followUps) follow-up(s) not replayed (answers to the bot's own question: a slot value, a postcode, a choice)")
        out.append("")
        out += table([
            ["", "baseline", "edited"],
            ["answered", "\(report.before.answered)", "\(report.after.answered)"],
            ["clarifying question", "\(report.before.clarify)", "\(report.after.clarify)"],
            ["fallback", "\(report.before.fallback)", "\(report.after.fallback)"],
            ["out of scope", "\(report.before.outOfScope)", "\(report.after.outOfScope)"],
        ], numeric: [1, 2])
        out.append("unchanged: \(report.unchanged)")

        for kind in ReplayChangeKind.allCases {
            let change = report[kind]
            let title = "\(Self.title(kind)): \(change.count)"
            section(title + Self.feedbackSummary(change.feedback, count: change.count), into: &out)
            out.append("  " + Self.meaning(kind))
            if change.transitions.isEmpty { out.append("  none") }
            for transition in change.transitions.prefix(rows) {
                var line = String(format: "%7d  ", transition.count) + "\(transition.from) → \(transition.to)"
                let feedback = transition.feedback
                var notes: [String] = []
                if feedback.thumbsDown > 0 { notes.append("\(feedback.thumbsDown) thumbs-down") }
                if feedback.lowRating > 0 { notes.append("\(feedback.lowRating) rated 1–\(TranscriptReplayer.lowRating)") }
                if feedback.thumbsUp > 0 { notes.append("\(feedback.thumbsUp) thumbs-up") }
                if !notes.isEmpty { line += " (" + notes.joined(separator: ", ") + ")" }
                out.append(line)
                for example in transition.examples {
                    var marks: [String] = []
                    if example.thumbsDown { marks.append("thumbs-down") }
                    if example.thumbsUp { marks.append("thumbs-up") }
                    if let rating = example.rating { marks.append("rated \(rating)") }
                    out.append("           [\(example.lang), \(example.phase)] \"\(ReviewTextRenderer.clip(example.text, 70))\" "
                               + "(session \(example.session)" + (marks.isEmpty ? "" : ", " + marks.joined(separator: ", ")) + ")")
                }
            }
            if change.transitions.count > rows { out.append("  … and \(change.transitions.count - rows) more transition(s) (--top, --format json)") }
        }

        section("By phase and language (at the turn)", into: &out)
        if report.slices.isEmpty { out.append("  none") }
        out += table(report.slices.isEmpty ? [] : [["  Phase", "Lang", "Messages", "Newly answered", "Lost", "Switched", "Question changed"]]
            + report.slices.prefix(rows * 2).map {
                ["  \($0.phase)", $0.lang, "\($0.messages)", "\($0.newlyAnswered)", "\($0.lost)", "\($0.switched)", "\($0.questionChanged)"]
            }, numeric: [2, 3, 4, 5, 6])

        if let gate = report.gate {
            out.append("")
            out.append("Gate: \(gate)")
        }
        // Messages come from customers: nothing in them may act on the terminal.
        return out.map { TerminalText.visible($0) }.joined(separator: "\n") + "\n"
    }

    static func title(_ kind: ReplayChangeKind) -> String {
        switch kind {
        case .newlyAnswered: "Newly answered"
        case .lost: "Lost"
        case .switched: "Switched"
        case .questionChanged: "Question changed"
        }
    }

    static func meaning(_ kind: ReplayChangeKind) -> String {
        switch kind {
        case .newlyAnswered: "no answer before (fallback or out of scope), an intent or a clarifying question now"
        case .lost: "an intent or a clarifying question before, no answer now"
        case .switched: "now an intent (or question) with none of the intents of before"
        case .questionChanged: "a clarifying question added, dropped or changed; the earlier intent is still offered"
        }
    }

    private static func feedbackSummary(_ feedback: ReplayReport.Feedback, count: Int) -> String {
        guard count > 0 else { return "" }
        return "; \(feedback.negative) had negative feedback before (\(feedback.thumbsDown) thumbs-down, "
            + "\(feedback.lowRating) rated 1–\(TranscriptReplayer.lowRating))"
    }

    private func section(_ title: String, into out: inout [String]) { TextTable.section(title, into: &out) }

    private func table(_ rows: [[String]], numeric: Set<Int> = []) -> [String] { TextTable.rows(rows, numeric: numeric) }
}
