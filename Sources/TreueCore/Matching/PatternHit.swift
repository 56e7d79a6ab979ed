/// A pattern that matched a message.
public struct PatternHit: Sendable, Equatable {
    /// Index into the matcher's patterns.
    public let patternNumber: Int
    public let intentIndex: Int
    public let language: String
    /// The matched text as the customer wrote it.
    public let matchedText: String
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
