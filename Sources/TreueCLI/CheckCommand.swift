import ArgumentParser
import Foundation
import TreueCore

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the knowledge base: schema, patterns, examples, answers and conversation tests.",
        discussion: "Exits non-zero when any error is found. Warnings are printed but do not fail the check."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var options: KnowledgeBaseOptions

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Option(help: "Folder of conversation tests (YAML dialogues). Default: <intents>/tests.")
    var tests: String?

    @Option(help: "Also measure accuracy on a labelled file (intent<TAB>lang<TAB>text, '-' = must fall back).")
    var eval: String?

    @Flag(help: "With --eval: list every miss with the stage that decided and its evidence.")
    var misses = false

    @Option(name: .customLong("without"), help: ArgumentHelp("With --eval: switch a stage off to measure what it adds (repeatable).",
                                                            valueName: "negation|spelling|examples|clarify|out-of-scope"))
    var withoutStages: [String] = []

    @Flag(help: "With --eval: rank every in-scope message by its nearest intent as if no pattern had matched (what `treue review` shows for gaps); prints top-1 and top-3.")
    var nearest = false

    @Option(help: "Group a labelled file of gap messages (topic<TAB>lang<TAB>text) as `treue review` does and print purity and completeness against the topics.")
    var clusters: String?

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    @Flag(help: "List the patterns the candidate index cannot narrow down (they run for every message).")
    var explainIndex = false

    func validate() throws {
        if nearest, eval == nil { throw ValidationError("--nearest needs --eval FILE") }
    }

    func run() throws {
        // The files to measure on are read before the load and the conversation tests, so a
        // wrong path or stage name is reported at once.
        let evalText = try eval.map { path in
            guard let tsv = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw CommandFailure.unreadable(what: "the evaluation file", path: path)
            }
            return tsv
        }
        let clustersText = try clusters.map { path in
            guard let tsv = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw CommandFailure.unreadable(what: "the gap file", path: path)
            }
            return tsv
        }
        var stages = UnderstandingStages.all
        for name in withoutStages {
            guard let stage = UnderstandingStages.names.first(where: { $0.0 == name })?.1 else {
                throw ValidationError("unknown stage '\(name)' (expected \(UnderstandingStages.names.map(\.0).joined(separator: ", ")))")
            }
            stages.remove(stage)
        }
        let (kb, loadDiagnostics) = KnowledgeBase.load(directory: options.intents)
        var diagnostics = loadDiagnostics
        var evaluation: EvaluationReport?
        var nearestEvaluation: NearestIntentEvaluation?
        var clusterQuality: ClusterQuality?
        var testCount = 0
        if let kb {
            let directory: CustomerDirectory
            do {
                directory = try CustomerDirectory.load(path: options.customers, phases: kb.phases)
                diagnostics += directory.warnings
            } catch {
                diagnostics.append(Diagnostic(.error, "customers", error.message, at: nil))
                directory = .empty
            }
            let testFolder = tests ?? (options.intents as NSString).appendingPathComponent("tests")
            let (conversationTests, testDiagnostics) = ConversationTest.load(directory: testFolder)
            testCount = conversationTests.count
            diagnostics += testDiagnostics
            diagnostics += KnowledgeBaseChecker(kb: kb, directory: directory).check(tests: conversationTests)
            if let eval, let tsv = evalText {
                let messages: LabelledMessages
                do {
                    messages = try LabelledMessages(tsv: tsv)
                } catch {
                    throw CommandFailure.badInputFile(path: eval, message: error.description)
                }
                evaluation = EvaluationReport.evaluate(messages.rows, kb: kb, stages: stages)
                if nearest { nearestEvaluation = NearestIntentEvaluation.evaluate(messages.rows, kb: kb) }
            }
            if let tsv = clustersText {
                clusterQuality = ClusterQuality.evaluate(tsv: tsv, kb: kb)
            }
        }
        var phrasings: (agreeing: Int, total: Int)?
        if let kb, !kb.content.phrasings.isEmpty {
            phrasings = KnowledgeBaseChecker(kb: kb, directory: .empty).phrasingAgreement()
        }
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        let failed = errors > 0 || (strict && warnings > 0)
        var out = StandardOutput()
        switch format {
        case .text:
            for diagnostic in diagnostics.sorted(by: Self.order) { out.line(diagnostic.description) }
            if let kb {
                out.line("\(kb.intents.count) intents, \(kb.matcher.patterns.count) patterns, \(testCount) conversation tests: \(errors) error(s), \(warnings) warning(s)")
            } else {
                out.line("knowledge base not loaded: \(errors) error(s), \(warnings) warning(s)")
            }
            if let phrasings {
                out.line("phrasings: \(phrasings.agreeing) of \(phrasings.total) answered with their own intent (\(phrasings.agreeing * 100 / max(1, phrasings.total))%)")
            }
            if let evaluation { out.line(evaluation.text(misses: misses)) }
            if let nearestEvaluation { out.line(nearestEvaluation.text) }
            if let clusterQuality { out.line(clusterQuality.text) }
            if explainIndex, let kb {
                let always = kb.matcher.unindexedPatterns
                out.line("\(always.count) of \(kb.matcher.patterns.count) patterns run for every message (no literal word or piece they require):")
                for pattern in always { out.line("  \(pattern.source.location): \(kb.intents[pattern.intentIndex].id): \(pattern.source.source)") }
            }
        case .json:
            struct Summary: Encodable {
                let ok: Bool
                let intents: Int
                let patterns: Int
                let errors: Int
                let warnings: Int
                let diagnostics: [Diagnostic]
                let evaluation: EvaluationReport?
                let nearest: NearestIntentEvaluation?
                let clusters: ClusterQuality?
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            let summary = Summary(ok: !failed, intents: kb?.intents.count ?? 0, patterns: kb?.matcher.patterns.count ?? 0,
                                  errors: errors, warnings: warnings, diagnostics: diagnostics.sorted(by: Self.order), evaluation: evaluation,
                                  nearest: nearestEvaluation, clusters: clusterQuality)
            out.line(String(decoding: try encoder.encode(summary), as: UTF8.self))
        }
        out.flush()
        if failed { throw ExitCode(1) }
    }

    static func order(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        let left = a.location ?? SourceLocation(file: "", line: 0, column: 0)
        let right = b.location ?? SourceLocation(file: "", line: 0, column: 0)
        return (left.file, left.line, left.column) < (right.file, right.line, right.column)
    }
}
