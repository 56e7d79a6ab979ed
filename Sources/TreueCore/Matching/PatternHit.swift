/// A pattern that matched a message.
public struct PatternHit: Sendable, Equatable {
    /// Index into the matcher's patterns.
    public let patternNumber: Int
    public let intentIndex: Int
    public let language: String
    /// Where the match is in the folded message (UTF-8 offsets); the customer's own
    /// spelling is `MatchReport.message.originalText(for: range)`.
    public let range: Range<Int>
    /// Length of the match in characters of the folded message: the specificity.
    public let length: Int
    /// Named captures that took part, as the customer wrote them.
    public let captures: [String: String]
}

/// Everything one message's matching found.
public struct MatchReport: Sendable {
    public let message: FoldedText
    /// Every pattern that matched, in knowledge-base order.
    public let hits: [PatternHit]
    /// The chosen hit (see `IntentMatcher` for the rule), nil for the fallback.
    public let winner: PatternHit?
    /// Patterns that hit the match limit for this message.
    public let limitExceeded: [Int]
    /// How many patterns actually ran.
    public let patternsRun: Int
}
