/// The gaps of a review period grouped by meaning: what to add to the knowledge base next.
public struct GapReport: Sendable, Codable, Equatable {
    /// Gap messages: fallbacks, clarifying questions and thumbs-down answers.
    public var messages: Int
    public var fallback: Int
    public var clarify: Int
    public var thumbsDown: Int
    /// Fallbacks the knowledge base's out-of-scope layer chose (other business): not gaps.
    public var outOfScope: Int
    /// Messages with no content word (only a number, a greeting, a code).
    public var contentless: Int
    /// Distinct gap texts kept, the cap on them, and messages not grouped because the cap was reached.
    public var distinctTexts: Int
    public var capacity: Int
    public var dropped: Int
    /// Days in the period, and how many of the last count as recent for growth.
    public var periodDays: Int
    public var recentDays: Int
    /// Clusters found; `clusters` lists the largest.
    public var clusterCount: Int
    public var clusters: [GapCluster]
}
