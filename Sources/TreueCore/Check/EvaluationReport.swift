import Foundation

/// Accuracy of the knowledge base on a labelled set (`intent<TAB>lang<TAB>text`, `-` for
/// messages that must fall back).
public struct EvaluationReport: Sendable, Codable {
    public struct Confusion: Sendable, Codable {
        public let expected: String
        public let got: String
        public let text: String
    }

    public var inScopeTotal = 0
    public var inScopeCorrect = 0
    public var outOfScopeTotal = 0
    public var outOfScopeRejected = 0
    public var confusions: [Confusion] = []

    public var accuracy: Double { inScopeTotal == 0 ? 0 : Double(inScopeCorrect) / Double(inScopeTotal) }
    public var rejectionRate: Double { outOfScopeTotal == 0 ? 0 : Double(outOfScopeRejected) / Double(outOfScopeTotal) }

    public static func evaluate(tsv: String, kb: KnowledgeBase) -> EvaluationReport {
        let scratch = kb.matcher.makeScratch()
        var report = EvaluationReport()
        for (number, line) in tsv.split(whereSeparator: \.isNewline).enumerated() {
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, !(number == 0 && fields[0] == "intent") else { continue }
            let expected = String(fields[0])
            let text = String(fields[2])
            let got = kb.matcher.match(text, scratch: scratch).winner.map { kb.intents[$0.intentIndex].id } ?? "-"
            if expected == "-" {
                report.outOfScopeTotal += 1
                if got == "-" { report.outOfScopeRejected += 1 }
            } else {
                report.inScopeTotal += 1
                if got == expected { report.inScopeCorrect += 1 }
            }
            if got != expected { report.confusions.append(Confusion(expected: expected, got: got, text: text)) }
        }
        return report
    }

    public var text: String {
        var lines: [String] = []
        lines.append(String(format: "in-scope accuracy:      %5.1f%% (%d of %d)", accuracy * 100, inScopeCorrect, inScopeTotal))
        lines.append(String(format: "out-of-scope rejection: %5.1f%% (%d of %d)", rejectionRate * 100, outOfScopeRejected, outOfScopeTotal))
        if !confusions.isEmpty {
            lines.append("confusions (expected -> got):")
            let grouped = Dictionary(grouping: confusions) { "\($0.expected) -> \($0.got)" }
            for (pair, items) in grouped.sorted(by: { ($0.value.count, $1.key) > ($1.value.count, $0.key) }) {
                lines.append("  \(pair) (\(items.count))")
                for item in items { lines.append("    \(item.text)") }
            }
        }
        return lines.joined(separator: "\n")
    }
}
