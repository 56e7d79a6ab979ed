import ArgumentParser
import Foundation
import PCRE2Swift
import TreueCore
import TreueServer
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay past customer messages through an edited knowledge base beside the current one, and report what changes.",
        discussion: """
            Every customer message of the period (redacted, as stored) is understood by the baseline (--baseline, \
            default Intents) and by the edited knowledge base (--intents). Reported: newly answered (no answer before), \
            lost (no answer now), switched (none of the same intents), question changed (a clarifying question added \
            or dropped), each with its transitions, the thumbs-down and low ratings customers gave before, and examples. \
            Answers to the bot's own questions (slot values, postcodes, the choice after a clarifying question) are not \
            replayed. Streams in bounded memory; on a terminal a progress line goes to stderr.
            Exit status: 0 done (and within the gate), \(ReplayGate.exitCode) the gate (--max-lost, --max-switched) is \
            exceeded, 1 the replay could not run, 64 bad arguments. See docs/replay.md.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "Transcript directories or files. Default: Transcripts.")
    var directories: [String] = []

    @Option(help: "The edited knowledge base folder.")
    var intents: String

    @Option(help: "The knowledge base in service to compare with (default: \(ServerConfiguration.defaults.intents)).")
    var baseline = ServerConfiguration.defaults.intents

    @Option(help: "Only records at or after this day or timestamp (UTC).")
    var since: String?

    @Option(help: "Only records up to this day (inclusive) or timestamp.")
    var until: String?

    @Option(help: "Fail (exit \(ReplayGate.exitCode)) when more than this many messages lose their answer.")
    var maxLost: Int?

    @Option(help: "Fail (exit \(ReplayGate.exitCode)) when more than this many messages switch to other intents.")
    var maxSwitched: Int?

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Option(help: "Transitions listed per kind of change in the text report (json lists all).")
    var top = 10

    @Option(help: "Examples kept per transition (0 to 20).")
    var examples = 2

    @Option(help: "PCRE2 match limit per pattern and message, as the server's --match-limit (default: \(ServerConfiguration.defaults.matchLimit)).")
    var matchLimit: UInt32 = ServerConfiguration.defaults.matchLimit

    func validate() throws {
        if let maxLost, maxLost < 0 { throw ValidationError("--max-lost must be 0 or more") }
        if let maxSwitched, maxSwitched < 0 { throw ValidationError("--max-switched must be 0 or more") }
        if top < 1 { throw ValidationError("--top must be at least 1") }
        if !(0...20).contains(examples) { throw ValidationError("--examples must be 0 to 20") }
    }

    func run() throws {
        let reader = try TranscriptSelection.reader(directories: directories, since: since, until: until)
        // A missing transcript folder is reported before the two loads, not after them.
        do throws(TranscriptReader.Failure) {
            _ = try reader.files()
        } catch {
            throw CommandFailure.replay(.transcripts(error))
        }
        let limits = MatchLimits(matchLimit: matchLimit)
        let current = try Self.load(baseline, limits: limits)
        let edited = try Self.load(intents, limits: limits)
        let progress = isatty(STDERR_FILENO) == 1 ? ProgressLine() : nil
        var report: ReplayReport
        do throws(TranscriptReplayer.Failure) {
            report = try TranscriptReplayer.replay(reader, baseline: current, edited: edited, examplesPerTransition: examples,
                                                   progress: progress.map { line in { line.show($0) } })
        } catch {
            progress?.clear()
            throw CommandFailure.replay(error)
        }
        progress?.clear()
        report.baseline = baseline
        report.edited = intents
        let gate = ReplayGate(maxLost: maxLost, maxSwitched: maxSwitched)
        if gate.isActive { report.gate = gate.verdict(for: report) }

        var out = StandardOutput()
        switch format {
        case .text:
            out.write(ReplayTextRenderer(rows: top).render(report))
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            out.line(String(decoding: try encoder.encode(report), as: UTF8.self))
        }
        out.flush()
        if let verdict = report.gate, !verdict.passed { throw ExitCode(ReplayGate.exitCode) }
    }

    private static func load(_ path: String, limits: MatchLimits) throws(CommandFailure) -> KnowledgeBase {
        let (kb, diagnostics) = KnowledgeBase.load(directory: path, limits: limits)
        guard let kb else { throw .knowledgeBase(path: path, errors: diagnostics.filter { $0.severity == .error }) }
        return kb
    }
}

/// `replaying 2026-11-03: 1234567 messages, 45000/s` on stderr, rewritten in place at most
/// a few times a second; only on a terminal, so logs and CI output stay clean.
private final class ProgressLine {
    private let start = ContinuousClock.now
    private var shown = ContinuousClock.now - .seconds(1)

    func show(_ progress: TranscriptReplayer.Progress) {
        let now = ContinuousClock.now
        guard now - shown >= .milliseconds(250) else { return }
        shown = now
        let seconds = Double((now - start).components.attoseconds) / 1e18 + Double((now - start).components.seconds)
        let rate = seconds > 0 ? Int(Double(progress.messages) / seconds) : 0
        write("\r\u{1B}[Kreplaying \(progress.day): \(progress.messages) messages, \(rate)/s")
    }

    func clear() { write("\r\u{1B}[K") }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
