import ArgumentParser
import Foundation
import TreueCore

struct SuggestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggest",
        abstract: "Draft patterns for the largest gap clusters of the transcripts, checked against the knowledge base.",
        discussion: """
            Reads transcripts as `treue review` does, groups the gaps by meaning and writes, for each of the \
            largest clusters, a YAML snippet to paste: a new intent when no intent is close, or patterns, examples \
            and phrasings for the nearest intent. Each snippet says whether its patterns compile, how much of the \
            cluster they match, and whether they match any other intent's example or any counter-example. \
            Nothing is applied to the knowledge base (docs/review.md).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case yaml, json }

    @Argument(help: "Transcript directories or files. Default: Transcripts.")
    var directories: [String] = []

    @Option(help: "The knowledge base the drafts are for.")
    var intents = "Intents"

    @Option(help: "Only records at or after this day or timestamp (UTC).")
    var since: String?

    @Option(help: "Only records up to this day (inclusive) or timestamp.")
    var until: String?

    @Option(help: "How many of the largest clusters get a draft.")
    var top = 5

    @Option(help: "Clusters with fewer messages get no draft.")
    var minMessages = 2

    @Option(help: "yaml: the snippets one after the other; json: every suggestion with its check.")
    var format: Format = .yaml

    @Option(help: "Also write each snippet to DIR/suggested-<intent>.yaml.")
    var out: String?

    func validate() throws {
        if top < 1 { throw ValidationError("--top must be at least 1") }
        if minMessages < 1 { throw ValidationError("--min-messages must be at least 1") }
    }

    func run() throws {
        let (kb, diagnostics) = KnowledgeBase.load(directory: intents)
        guard let kb else { throw CommandFailure.knowledgeBase(path: intents, errors: diagnostics.filter { $0.severity == .error }) }
        let report = try ReviewCommand.gapReport(directories: directories, since: since, until: until, kb: kb, limit: top)
        let suggestions = Self.suggestions(report, kb: kb, top: top, minMessages: minMessages)
        if let out {
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                for suggestion in suggestions {
                    let path = (out as NSString).appendingPathComponent("suggested-\(suggestion.intent).yaml")
                    try Data(suggestion.snippet.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
                }
            } catch {
                throw CommandFailure.cannotWrite(path: out, reason: error.localizedDescription)
            }
        }
        var stdout = StandardOutput()
        switch format {
        case .yaml: stdout.write(Self.text(suggestions, report: report))
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            stdout.write(String(decoding: try encoder.encode(suggestions), as: UTF8.self) + "\n")
        }
        stdout.flush()
    }

    static func suggestions(_ report: GapReport, kb: KnowledgeBase, top: Int, minMessages: Int) -> [PatternSuggestion] {
        let suggester = PatternSuggester(kb: kb)
        return report.clusters.prefix(top).filter { $0.messages >= minMessages }.map { suggester.suggest($0) }
    }

    /// The snippets one after the other, each headed by its cluster (as comments, so the
    /// whole output stays pasteable piece by piece).
    static func text(_ suggestions: [PatternSuggestion], report: GapReport) -> String {
        guard !suggestions.isEmpty else {
            return "# No gap cluster large enough for a draft (\(report.messages) gap message(s), \(report.clusterCount) cluster(s)).\n"
        }
        var out = ""
        for suggestion in suggestions {
            let cluster = report.clusters.first { $0.rank == suggestion.cluster }
            out += "# ---- cluster #\(suggestion.cluster): \(cluster?.messages ?? 0) message(s), words: \(cluster?.words.joined(separator: " ") ?? ""); "
                + "nearest: \(cluster?.nearestText ?? "")\n"
            out += TerminalText.visible(suggestion.snippet, keepingNewlines: true) + "\n"
        }
        return out
    }
}
