import Foundation

/// How well `NearestIntentFinder` names the intent of a message no pattern matched,
/// measured on a labelled set (`intent<TAB>lang<TAB>text`, as `treue check --eval` reads):
/// every in-scope message is ranked as if it had fallen back, and the true intent's place
/// is counted. Out-of-scope rows (`-`) are skipped.
public struct NearestIntentEvaluation: Sendable, Codable {
    public var messages = 0
    public var first = 0
    public var topThree = 0
    /// Messages whose intent is not in the knowledge base (counted as misses).
    public var unknownIntents = 0

    public var topOneRate: Double { messages == 0 ? 0 : Double(first) / Double(messages) }
    public var topThreeRate: Double { messages == 0 ? 0 : Double(topThree) / Double(messages) }

    public static func evaluate(tsv: String, kb: KnowledgeBase) -> NearestIntentEvaluation {
        evaluate((try? LabelledMessages(tsv: tsv))?.rows ?? [], kb: kb)
    }

    public static func evaluate(_ rows: [LabelledMessages.Row], kb: KnowledgeBase) -> NearestIntentEvaluation {
        let finder = NearestIntentFinder(kb: kb)
        var result = NearestIntentEvaluation()
        for row in rows where row.intent != "-" {
            let expected = row.intent
            result.messages += 1
            if kb.intent(id: expected) == nil { result.unknownIntents += 1 }
            let candidates = finder.rank(message: row.text, limit: 3)
            let ranked = candidates.map(\.intent)
            if ranked.first == expected { result.first += 1 }
            if ranked.contains(expected) { result.topThree += 1 }
        }
        return result
    }

    public var text: String {
        String(format: "nearest intent (in-scope messages ranked as if unmatched): top-1 %.1f%% (%d of %d), top-3 %.1f%% (%d of %d)",
               topOneRate * 100, first, messages, topThreeRate * 100, topThree, messages)
    }
}
