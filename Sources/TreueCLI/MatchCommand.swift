import ArgumentParser
import Foundation
import TreueCore

struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Read messages from stdin, one per line, and print the intent chosen for each.",
        discussion: """
            text: intent, language and captures per line. json: one object per line with text, intent (id or null), \
            lang, phase and captures. tsv: intent<TAB>text, '-' for no intent.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, tsv }

    @OptionGroup var options: KnowledgeBaseOptions

    @Option(help: "Output format: text, json or tsv.")
    var format: Format = .text

    @Option(help: "The customer's phase before the message (reported, and moved by the intent's phase signal).")
    var phase: String?

    @Option(help: "Only try patterns of this language.")
    var lang: String?

    @Flag(help: "Show every pattern that matched and why the winner won.")
    var explain = false

    @Flag(help: "Print load time, messages per second and per-message p50/p99 matching time to stderr.")
    var stats = false

    func run() throws {
        let loadStart = ContinuousClock.now
        let (kb, _) = try options.loadKnowledgeBase()
        let loadTime = ContinuousClock.now - loadStart
        var timings: [Duration] = []
        var stageTimings: [String: [Duration]] = [:]
        var slowest: [(time: Duration, stage: String, line: String)] = []
        var patternsRun = 0
        if let phase, !kb.phases.contains(phase) {
            throw ValidationError("unknown phase '\(phase)' (expected \(kb.phases.joined(separator: ", ")))")
        }
        if let lang, !kb.languages.contains(lang) {
            throw ValidationError("unknown language '\(lang)' (expected \(kb.languages.joined(separator: ", ")))")
        }
        let scratch = kb.matcher.makeScratch()
        let interpreter = MessageInterpreter()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var out = StandardOutput()
        // Options read once: each property-wrapper read copies the parsed arguments.
        let (format, stats, lang, phase, explain) = (format, stats, lang, phase, explain)
        let matchStart = ContinuousClock.now
        while let line = readInputLine() {
            let before = stats ? ContinuousClock.now : matchStart
            let understood = interpreter.interpret(line, kb: kb, scratch: scratch)
            let report = understood.report
            if stats {
                let time = ContinuousClock.now - before
                timings.append(time)
                stageTimings[understood.stage, default: []].append(time)
                patternsRun += report.patternsRun
                if slowest.count < 5 || time > slowest[slowest.count - 1].time {
                    slowest.append((time, understood.stage, line))
                    slowest.sort { $0.time > $1.time }
                    if slowest.count > 5 { slowest.removeLast() }
                }
            }
            var winner = understood.hit
            var intentIndex = understood.intentIndex
            if let lang, understood.decision == .pattern {
                winner = kb.matcher.choose(report.hits.filter { $0.language == lang })
                intentIndex = winner.map(\.intentIndex)
            }
            if understood.decision == .outOfScope { winner = nil; intentIndex = nil }
            // Only the fields needed: copying a whole intent costs more than matching.
            let intentID = intentIndex.map { kb.intents[$0].id }
            if format == .tsv {
                out.write(intentID ?? "-")
                out.write("\t")
                out.line(line)
                continue
            }
            let language = understood.language ?? lang ?? kb.defaultLanguage
            let resultPhase = intentIndex.flatMap { kb.intents[$0].phaseSignal } ?? phase ?? kb.defaultPhase
            switch format {
            case .tsv:
                break
            case .json:
                let result = MatchResult(text: line, intent: intentID, lang: language, phase: resultPhase,
                                         captures: winner?.captures ?? [:], explain: explain ? explanations(report, kb) : nil,
                                         stage: explain ? understood.stage : nil, evidence: explain ? understood.evidence(kb) : nil,
                                         options: explain && !understood.options.isEmpty ? understood.options.map { kb.intents[$0].id } : nil)
                let json = String(decoding: try encoder.encode(result), as: UTF8.self)
                out.line(json)
            case .text:
                var text = "\(intentID ?? "-")\t\(language)\t\(resultPhase)"
                if let captures = winner?.captures, !captures.isEmpty {
                    text += "\t" + captures.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                }
                out.line(text + "\t\(line)")
                if explain {
                    for item in explanations(report, kb) {
                        out.line("    \(item.winner ? "*" : " ") \(item.intent) [\(item.lang), priority \(item.priority), length \(item.length)] \(item.pattern) at \(item.location): \"\(item.matched)\"")
                    }
                    if report.hits.isEmpty { out.line("    no pattern matched (\(report.patternsRun) candidate patterns ran)") }
                    else { out.line("    winner: highest priority, then longest match, then load order; \(report.patternsRun) candidate patterns ran") }
                    out.line("    decided by \(understood.stage): \(understood.evidence(kb))")
                    if understood.decision == .clarify {
                        out.line("    would ask: " + understood.options.map { kb.intents[$0].id }.joined(separator: " or "))
                    }
                }
            }
        }
        out.flush()
        if stats { printStats(kb: kb, load: loadTime, total: ContinuousClock.now - matchStart, timings: timings, patternsRun: patternsRun)
            printStageStats(stageTimings, slowest: slowest)
        }
    }

    /// Where the time goes: each stage's share of messages and its own percentiles, and
    /// the slowest messages, so an author sees which phrasing costs what.
    private func printStageStats(_ byStage: [String: [Duration]], slowest: [(time: Duration, stage: String, line: String)]) {
        let total = byStage.values.reduce(0) { $0 + $1.count }
        var text = ""
        for (stage, times) in byStage.sorted(by: { $0.value.count > $1.value.count }) {
            let sorted = times.sorted()
            func percentile(_ p: Double) -> Double { Self.micro(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) }
            text += String(format: "  %@: %d messages (%.1f %%), p50 %.1f µs, p99 %.1f µs\n", stage, times.count,
                           100 * Double(times.count) / Double(max(1, total)), percentile(0.5), percentile(0.99))
        }
        if !slowest.isEmpty { text += "  slowest:\n" }
        for item in slowest {
            text += String(format: "    %.1f µs (%@) ", Self.micro(item.time), item.stage) + String(item.line.prefix(100)) + "\n"
        }
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func micro(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
    }

    private func printStats(kb: KnowledgeBase, load: Duration, total: Duration, timings: [Duration], patternsRun: Int) {
        let micro = Self.micro
        let sorted = timings.sorted()
        func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : micro(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) }
        let seconds = micro(total) / 1e6
        let line = String(format: "intents %d, patterns %d, load+JIT %.3f s; %d messages in %.3f s: %.0f msgs/s; match p50 %.1f µs, p99 %.1f µs, max %.1f µs; %.1f patterns run per message\n",
                          kb.intents.count, kb.matcher.patterns.count, micro(load) / 1e6, timings.count, seconds,
                          Double(timings.count) / max(seconds, 1e-9), percentile(0.5), percentile(0.99), sorted.last.map(micro) ?? 0,
                          Double(patternsRun) / Double(max(1, timings.count)))
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// One line of `--format json`; `intent` is written as null rather than left out.
    struct MatchResult: Encodable {
        let text: String
        let intent: String?
        let lang: String
        let phase: String
        let captures: [String: String]
        let explain: [Explanation]?
        let stage: String?
        let evidence: String?
        let options: [String]?

        enum CodingKeys: String, CodingKey { case text, intent, lang, phase, captures, explain, stage, evidence, options }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(text, forKey: .text)
            try container.encode(intent, forKey: .intent)
            try container.encode(lang, forKey: .lang)
            try container.encode(phase, forKey: .phase)
            try container.encode(captures, forKey: .captures)
            try container.encodeIfPresent(explain, forKey: .explain)
            try container.encodeIfPresent(stage, forKey: .stage)
            try container.encodeIfPresent(evidence, forKey: .evidence)
            try container.encodeIfPresent(options, forKey: .options)
        }
    }

    struct Explanation: Encodable {
        let intent: String
        let lang: String
        let priority: Int
        let length: Int
        let pattern: String
        let location: String
        let matched: String
        let winner: Bool
    }

    func explanations(_ report: MatchReport, _ kb: KnowledgeBase) -> [Explanation] {
        report.hits.map { hit in
            let pattern = kb.matcher.patterns[hit.patternNumber]
            let intent = kb.intents[hit.intentIndex]
            return Explanation(intent: intent.id, lang: hit.language, priority: intent.priority, length: hit.length,
                               pattern: pattern.source.source, location: pattern.source.reference,
                               matched: report.message.originalText(for: hit.range), winner: hit == report.winner)
        }
    }
}
