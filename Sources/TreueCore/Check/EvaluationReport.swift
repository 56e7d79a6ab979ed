import Foundation

/// Accuracy of the knowledge base on a labelled set (`intent<TAB>lang<TAB>text`, `-` for
/// messages that must fall back). A wrong answer misinforms a customer and costs more than
/// a fallback or a clarifying question, so the three are counted apart.
public struct EvaluationReport: Sendable, Codable {
    public struct Miss: Sendable, Codable {
        public let expected: String
        /// The intent answered, `-` for a fallback, `?a|b` for a clarifying question.
        public let got: String
        public let lang: String
        public let text: String
        public let stage: String
        public let evidence: String
    }

    /// Figures for one language (or all).
    public struct Figures: Sendable, Codable {
        public var inScope = 0
        public var correct = 0
        /// Answered with another intent.
        public var wrong = 0
        /// Asked which of two intents, the right one among them.
        public var clarifiedRight = 0
        /// Asked which of two intents, neither of them right.
        public var clarifiedWrong = 0
        public var fellBack = 0
        public var outOfScope = 0
        public var rejected = 0

        public var accuracy: Double { ratio(correct, inScope) }
        public var wrongRate: Double { ratio(wrong + clarifiedWrong, inScope) }
        public var fallbackRate: Double { ratio(fellBack, inScope) }
        public var clarifyRate: Double { ratio(clarifiedRight + clarifiedWrong, inScope) }
        public var rejection: Double { ratio(rejected, outOfScope) }

        private func ratio(_ part: Int, _ whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }
    }

    public var all = Figures()
    public var byLanguage: [String: Figures] = [:]
    public var misses: [Miss] = []
    /// Stages switched off for this run.
    public var without: [String] = []

    // The earlier names, still read by tools.
    public var inScopeTotal: Int { all.inScope }
    public var inScopeCorrect: Int { all.correct }
    public var outOfScopeTotal: Int { all.outOfScope }
    public var outOfScopeRejected: Int { all.rejected }
    public var accuracy: Double { all.accuracy }
    public var rejectionRate: Double { all.rejection }

    /// For tests and callers with a well-formed file; `LabelledMessages` says what is wrong with a bad one.
    public static func evaluate(tsv: String, kb: KnowledgeBase, stages: UnderstandingStages = .all) -> EvaluationReport {
        evaluate((try? LabelledMessages(tsv: tsv))?.rows ?? [], kb: kb, stages: stages)
    }

    public static func evaluate(_ rows: [LabelledMessages.Row], kb: KnowledgeBase, stages: UnderstandingStages = .all) -> EvaluationReport {
        let scratch = kb.matcher.makeScratch()
        let interpreter = MessageInterpreter(stages: stages)
        var report = EvaluationReport()
        report.without = UnderstandingStages.names.filter { !stages.contains($0.1) }.map(\.0)
        for row in rows {
            let (expected, lang, text) = (row.intent, row.lang, row.text)
            let result = interpreter.interpret(text, kb: kb, scratch: scratch)
            var figures = report.byLanguage[lang, default: Figures()]
            let got: String
            switch result.decision {
            case .pattern, .examples: got = result.intentIndex.map { kb.intents[$0].id } ?? "-"
            case .clarify: got = "?" + result.options.map { kb.intents[$0].id }.joined(separator: "|")
            case .outOfScope, .none: got = "-"
            }
            let offered = result.options.map { kb.intents[$0].id }
            if expected == "-" {
                figures.outOfScope += 1
                if got == "-" { figures.rejected += 1 }
            } else {
                figures.inScope += 1
                if got == expected { figures.correct += 1 }
                else if result.decision == .clarify { if offered.contains(expected) { figures.clarifiedRight += 1 } else { figures.clarifiedWrong += 1 } }
                else if got == "-" { figures.fellBack += 1 }
                else { figures.wrong += 1 }
            }
            report.byLanguage[lang] = figures
            if got != expected {
                report.misses.append(Miss(expected: expected, got: got, lang: lang, text: text, stage: result.stage, evidence: result.evidence(kb)))
            }
        }
        report.all = report.byLanguage.values.reduce(into: Figures()) { total, figures in
            total.inScope += figures.inScope
            total.correct += figures.correct
            total.wrong += figures.wrong
            total.clarifiedRight += figures.clarifiedRight
            total.clarifiedWrong += figures.clarifiedWrong
            total.fellBack += figures.fellBack
            total.outOfScope += figures.outOfScope
            total.rejected += figures.rejected
        }
        return report
    }

    /// The summary, the confusion pairs and, with `misses`, every miss with its explanation.
    public func text(misses showMisses: Bool = false) -> String {
        var lines: [String] = []
        if !without.isEmpty { lines.append("stages switched off: \(without.joined(separator: ", "))") }
        func percent(_ value: Double) -> String { String(format: "%5.1f%%", value * 100) }
        lines.append("                 in-scope  accuracy  wrong  clarified  fallback   out-of-scope  rejected")
        for (name, figures) in [("all", all)] + byLanguage.sorted(by: { $0.key < $1.key }).map({ ($0.key, $0.value) }) {
            let label = name.padding(toLength: 12, withPad: " ", startingAt: 0)
            lines.append("  \(label) " + String(format: "%8d", figures.inScope) + "    \(percent(figures.accuracy)) \(percent(figures.wrongRate))    "
                         + "\(percent(figures.clarifyRate))   \(percent(figures.fallbackRate))  " + String(format: "%12d", figures.outOfScope)
                         + "    \(percent(figures.rejection))")
        }
        lines.append(String(format: "in-scope accuracy:      %5.1f%% (%d of %d)", accuracy * 100, inScopeCorrect, inScopeTotal))
        lines.append(String(format: "wrong answers:          %5.1f%% (%d of %d in scope)", all.wrongRate * 100, all.wrong + all.clarifiedWrong, inScopeTotal))
        lines.append(String(format: "out-of-scope rejection: %5.1f%% (%d of %d)", rejectionRate * 100, outOfScopeRejected, outOfScopeTotal))
        if !misses.isEmpty {
            lines.append("confusions (expected -> got):")
            let grouped = Dictionary(grouping: misses) { "\($0.expected) -> \($0.got)" }
            for (pair, items) in grouped.sorted(by: { ($0.value.count, $1.key) > ($1.value.count, $0.key) }) {
                lines.append("  \(pair) (\(items.count))")
                if showMisses {
                    for item in items { lines.append("    [\(item.lang)] \(item.text)\n        \(item.stage): \(item.evidence)") }
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    public var text: String { text(misses: true) }
}
