import Foundation
import Logging
import TreueCore

/// `treue serve --reload-gate`: before a reloaded knowledge base goes into service, the
/// server's own transcripts of the last `days` days are replayed through it and through the
/// one in service (`TranscriptReplayer`); more lost or switched answers than `gate` allows
/// keep the one in service. Runs on a thread of its own (see `ReloadService`), never on an
/// event loop.
public struct ReloadGate: Sendable {
    /// What the replay decided.
    public struct Judgement: Sendable {
        public var report: ReplayReport
        public var verdict: ReplayGate.Verdict
        public var duration: Duration
        /// The replay could not run (the transcripts were unreadable): the reload is refused.
        public var failure: String?

        public var passed: Bool { failure == nil && verdict.passed }
    }

    /// The transcript folder (all day files in it, whichever instance wrote them).
    public let transcripts: String
    public let days: Int
    public let gate: ReplayGate

    public init(transcripts: String, days: Int, gate: ReplayGate) {
        self.transcripts = transcripts
        self.days = days
        self.gate = gate
    }

    /// Replays the window ending `now` through `current` and `candidate`; `shouldStop`
    /// (asked every 16,384 records) ends it early, which refuses the reload.
    public func judge(current: KnowledgeBase, candidate: KnowledgeBase, now: Date = Date(),
                      shouldStop: (() -> Bool)? = nil) -> Judgement {
        let start = ContinuousClock.now
        let since = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
            .format(now.addingTimeInterval(-Double(days) * 86_400))
        var report = ReplayReport()
        var failure: String?
        do {
            let range = try TranscriptReader.TimeRange(since: since, until: nil)
            report = try TranscriptReplayer.replay(TranscriptReader(paths: [transcripts], range: range), baseline: current,
                                                   edited: candidate, examplesPerTransition: 2, shouldStop: shouldStop)
        } catch let error as TranscriptReplayer.Failure {
            failure = error.description
        } catch {
            failure = "\(error)"
        }
        let verdict = gate.verdict(for: report)
        report.gate = verdict
        return Judgement(report: report, verdict: verdict, duration: ContinuousClock.now - start, failure: failure)
    }

    /// The log fields of a judgement: counts, limits, and a couple of examples of what was
    /// exceeded. Texts are as stored (redacted), with digits masked and clipped, and no
    /// session id: the log is read by more people than the transcripts.
    public func metadata(_ judgement: Judgement) -> Logger.Metadata {
        let report = judgement.report
        var fields: Logger.Metadata = [
            "replayed": "\(report.messages)",
            "days": "\(days)",
            "lost": "\(report.lost.count)",
            "switched": "\(report.switched.count)",
            "newly_answered": "\(report.newlyAnswered.count)",
            "replay_ms": "\(judgement.duration.components.seconds * 1000 + judgement.duration.components.attoseconds / 1_000_000_000_000_000)",
        ]
        if let maxLost = gate.maxLost { fields["max_lost"] = "\(maxLost)" }
        if let maxSwitched = gate.maxSwitched { fields["max_switched"] = "\(maxSwitched)" }
        if let failure = judgement.failure { fields["failure"] = "\(failure)" }
        let exceeded = judgement.verdict.violations.map(\.measure)
        var examples: [String] = []
        for (measure, change) in [("lost", report.lost), ("switched", report.switched)] where !change.transitions.isEmpty {
            guard exceeded.isEmpty || exceeded.contains(measure) else { continue }
            for transition in change.transitions.prefix(2) {
                guard let example = transition.examples.first else { continue }
                examples.append("\(transition.from) → \(transition.to): '\(Self.masked(example.text))'")
            }
        }
        if !examples.isEmpty { fields["examples"] = "\(examples.prefix(3).joined(separator: "; "))" }
        return fields
    }

    /// Digits become `#` (order numbers, postcodes), at most 80 characters.
    static func masked(_ text: String) -> String {
        let digitless = String(text.map { $0.isNumber ? "#" : $0 })
        let flat = TerminalText.visible(digitless.replacingOccurrences(of: "\n", with: " "))
        return flat.count <= 80 ? flat : String(flat.prefix(79)) + "…"
    }
}
