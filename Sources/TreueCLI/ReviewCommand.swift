import ArgumentParser
import Foundation
import TreueCore
import TreueServer

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Report on transcripts: match rate, unmatched messages, satisfaction, handoffs, phases, volume.",
        discussion: """
            Streams every *.jsonl file in the given directories (default: Transcripts) in bounded memory. \
            Malformed lines and torn last lines are counted and skipped. --since/--until take a day \
            (YYYY-MM-DD, the whole day) or an ISO 8601 timestamp (2025-03-01T14:00:00Z). \
            text: a readable report; json: every figure as one document; html: one self-contained page \
            with charts; csv: the unmatched messages (count, normalized, example) for knowledge-base authors, \
            or another table with --table. With a knowledge base (--intents, default Intents when it exists) the \
            fallbacks, clarified messages and thumbs-down answers are also grouped by meaning, each group with its \
            nearest intent ("What to add next", --table gaps; docs/review.md).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, html, csv }
    enum Table: String, ExpressibleByArgument, CaseIterable { case unmatched, gaps, lookups, proactive, variants, repurchase }

    @Argument(help: "Transcript directories or files. Default: Transcripts.")
    var directories: [String] = []

    @Option(help: "Output format: text, json, html or csv.")
    var format: Format = .text

    @Option(help: "Write the report to this file instead of standard output.")
    var out: String?

    @Option(help: "Only records at or after this day or timestamp (UTC).")
    var since: String?

    @Option(help: "Only records up to this day (inclusive) or timestamp.")
    var until: String?

    @Option(help: "Order export (CSV): adds the repurchase rate after a chat, beside customers who did not chat.")
    var orders: String?

    @Option(help: "The knowledge base whose examples name each gap cluster's nearest intent (default: Intents, when it exists).")
    var intents: String?

    @Option(help: ArgumentHelp("Distinct gap texts kept for grouping; later new texts are only counted.", valueName: "n"))
    var gapCapacity = GapRecorder.defaultCapacity

    @Flag(help: "With --format text: add a draft pattern snippet for each of the largest gap clusters (as `treue suggest`).")
    var suggest = false

    @Option(help: "Which table --format csv writes: unmatched, gaps, lookups, proactive, variants or repurchase (needs --orders).")
    var table: Table = .unmatched

    @Option(help: "Unmatched message groups to list (default: text 20, html 50, json 100, csv all).")
    var top: Int?

    func validate() throws {
        if let top, top < 1 { throw ValidationError("--top must be at least 1") }
        if gapCapacity < 1 { throw ValidationError("--gap-capacity must be at least 1") }
        if table == .gaps, format != .csv { throw ValidationError("--table applies to --format csv") }
        if suggest, format != .text { throw ValidationError("--suggest goes with --format text (treue suggest --format json for JSON)") }
        if table == .repurchase, orders == nil { throw ValidationError("--table repurchase needs --orders PATH") }
    }

    /// The knowledge base for the gap clusters: an explicit --intents must load; the
    /// default is skipped with a note when there is none, so a review runs anywhere.
    func loadKnowledgeBase() throws -> KnowledgeBase? {
        let path = intents ?? ServerConfiguration.defaults.intents
        if intents == nil, !FileManager.default.fileExists(atPath: path) {
            FileHandle.standardError.write(Data("note: no knowledge base at '\(path)': gaps are not grouped by meaning (give --intents DIR)\n".utf8))
            return nil
        }
        let (kb, diagnostics) = KnowledgeBase.load(directory: path)
        guard let kb else { throw CommandFailure.knowledgeBase(path: path, errors: diagnostics.filter { $0.severity == .error }) }
        return kb
    }

    /// The gap clusters of the transcripts (for `treue suggest`).
    static func gapReport(directories: [String], since: String?, until: String?, kb: KnowledgeBase, limit: Int) throws -> GapReport {
        let reader = try TranscriptSelection.reader(directories: directories, since: since, until: until)
        var clusterer = GapClusterer(kb: kb)
        clusterer.limit = max(limit, 20)
        do {
            return try ReviewAggregator.review(reader, unmatchedLimit: 1, gaps: clusterer).gaps!
        } catch let failure as TranscriptReader.Failure {
            throw CommandFailure.transcriptsUnreadable(failure.description)
        }
    }

    func run() throws {
        let reader = try TranscriptSelection.reader(directories: directories, since: since, until: until)
        let limit = top ?? [.text: 20, .html: 50, .json: 100, .csv: Int.max][format] ?? 100
        var export: OrderExport?
        if let orders {
            do {
                export = try OrderExport.load(path: orders)
            } catch {
                throw CommandFailure.orders(error)
            }
        }
        // A missing transcript folder is reported before the knowledge base's load.
        do {
            _ = try reader.files()
        } catch {
            throw CommandFailure.transcriptsUnreadable(error.description)
        }
        var clusterer: GapClusterer?
        if let kb = try loadKnowledgeBase() {
            var gaps = GapClusterer(kb: kb)
            gaps.limit = limit == Int.max ? 1000 : limit
            clusterer = gaps
        }
        let report: ReviewReport
        do {
            report = try ReviewAggregator.review(reader, unmatchedLimit: limit, orders: export, gaps: clusterer, gapCapacity: gapCapacity)
        } catch let failure as TranscriptReader.Failure {
            throw CommandFailure.transcriptsUnreadable(failure.description)
        }
        var output: String
        switch format {
        case .text:
            output = ReviewTextRenderer(rows: limit).render(report)
            if suggest, let gaps = report.gaps, let kb = clusterer?.finder.kb {
                output += "\nSuggested patterns (treue suggest; nothing is applied)\n------------------------------------------------------\n"
                output += SuggestCommand.text(SuggestCommand.suggestions(gaps, kb: kb, top: 5, minMessages: 2), report: gaps)
            }
        case .html: output = ReviewHTMLRenderer(rows: limit).render(report)
        case .csv:
            let renderer = ReviewCSVRenderer()
            switch table {
            case .unmatched: output = renderer.render(report)
            case .gaps: output = renderer.renderGaps(report)
            case .lookups: output = renderer.renderLookups(report)
            case .proactive: output = renderer.renderProactive(report)
            case .variants: output = renderer.renderVariants(report)
            case .repurchase: output = renderer.renderRepurchase(report)
            }
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            output = String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
        }
        if let out {
            do {
                try Data(output.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                throw CommandFailure.cannotWrite(path: out, reason: error.localizedDescription)
            }
        } else {
            var stdout = StandardOutput()
            stdout.write(output)
            stdout.flush()
        }
    }
}
