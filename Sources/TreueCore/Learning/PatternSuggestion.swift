/// A draft an author can paste for one gap cluster, with what it was checked against.
/// Nothing is applied: the knowledge base changes only when an author edits `Intents/`.
public struct PatternSuggestion: Sendable, Codable, Equatable {
    /// What checking the draft against the knowledge base found.
    public struct Check: Sendable, Codable, Equatable {
        /// Every draft pattern compiled with PCRE2 through the knowledge base's compiler and vocabulary.
        public var compiles: Bool
        /// Messages of the cluster the draft patterns match, of all its messages (and distinct texts).
        public var clusterMatched: Int
        public var clusterMessages: Int
        public var textsMatched: Int
        public var texts: Int
        /// Examples of other intents and counter-examples (of every intent) the patterns match, of how many.
        public var otherExamplesMatched: [String]
        public var otherExamples: Int
        public var counterExamplesMatched: [String]
        public var counterExamples: Int
        /// The snippet loads with the knowledge base (for an existing intent: the phrasings
        /// file, and the knowledge base with the patterns added to the intent).
        public var loads: Bool
        public var errors: [String]

        public var isClean: Bool { compiles && loads && otherExamplesMatched.isEmpty && counterExamplesMatched.isEmpty }
    }

    /// The cluster's rank in the review.
    public var cluster: Int
    /// The intent the draft is for: the cluster's nearest intent, or a new one.
    public var intent: String
    public var isNewIntent: Bool
    /// For an existing intent, where it is defined (`file:line`).
    public var location: String?
    /// Draft patterns by language.
    public var patterns: [String: [String]]
    /// Messages the draft matches (new examples), and the others (phrasings), by language.
    public var examples: [String: [String]]
    public var phrasings: [String: [String]]
    public var check: Check
    /// The text to paste (YAML, with the check and where to paste it as comments).
    public var snippet: String
}
