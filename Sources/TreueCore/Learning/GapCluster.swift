import Foundation

/// One group of gap messages about the same thing, as `treue review` reports it.
public struct GapCluster: Sendable, Codable, Equatable {
    /// 1 = most messages.
    public var rank: Int
    /// 1 = fastest growing over the last seven days (nil: not growing, or too few recent messages).
    public var risingRank: Int?
    public var messages: Int
    /// Distinct texts (after numbers, codes and names are left out).
    public var distinct: Int
    public var fallback: Int
    public var clarify: Int
    public var thumbsDown: Int
    /// The words most of its messages share (folded, misspellings read as the word meant).
    public var words: [String]
    /// The most frequent texts, as stored (redacted).
    public var examples: [String]
    /// Messages by language (`de`, `en`, `?` when it could not be told).
    public var languages: [String: Int]
    /// Messages in the last seven days of the period, and before.
    public var recent: Int
    public var earlier: Int
    /// Messages per day in the last seven days over messages per day before; nil when the
    /// period is seven days or shorter, or nothing came before (then `isNew`).
    public var growth: Double?
    /// Only seen in the last seven days of a longer period.
    public var isNew: Bool
    /// The closest intent, when one is close; nil: no intent is close, a new topic.
    public var nearest: NearestIntentFinder.Candidate?
    /// The best candidate even when it is not close (for the record).
    public var closest: NearestIntentFinder.Candidate?

    /// Every distinct text of the cluster (one per entry, as stored) with its messages and
    /// language, for `PatternSuggester`; not part of the report's JSON.
    public var members: [Member] = []

    public struct Member: Sendable, Equatable {
        public var text: String
        public var count: Int
        public var language: String?
    }

    private enum CodingKeys: String, CodingKey {
        case rank, risingRank, messages, distinct, fallback, clarify, thumbsDown, words, examples, languages, recent, earlier, growth, isNew, nearest, closest
    }

    public var isNewTopic: Bool { nearest == nil }

    /// "order_status (62%, shared: paket, zoll)" or "no intent is close: new topic".
    public var nearestText: String {
        guard let nearest else { return "no intent is close: new topic" }
        let shared = nearest.shared.isEmpty ? "" : ", shared: " + nearest.shared.joined(separator: " ")
        return "\(nearest.intent) (\(Int((nearest.coverage * 100).rounded()))%\(shared))"
    }

    public var trendText: String {
        if isNew { return "new" }
        guard let growth else { return "–" }
        return growth >= 1 ? String(format: "×%.1f", growth) : String(format: "×%.2f", growth)
    }
}
