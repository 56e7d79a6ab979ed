/// The stages after the patterns, each of which `treue check --eval --without …` can switch
/// off to measure what it adds.
public struct UnderstandingStages: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Words the customer says they do not want count for nothing.
    public static let negation = UnderstandingStages(rawValue: 1 << 0)
    /// Unknown words are read as the knowledge base's word one or two edits away.
    public static let spelling = UnderstandingStages(rawValue: 1 << 1)
    /// Messages no pattern matched are scored against the intents' examples.
    public static let examples = UnderstandingStages(rawValue: 1 << 2)
    /// Close evidence for two intents asks the customer which one.
    public static let clarify = UnderstandingStages(rawValue: 1 << 3)
    /// The knowledge base's out-of-scope layer sends other business to the fallback.
    public static let outOfScope = UnderstandingStages(rawValue: 1 << 4)

    /// A matched pattern is checked against the examples and overruled when they clearly
    /// name another intent.
    public static let crossCheck = UnderstandingStages(rawValue: 1 << 5)

    /// A name the knowledge base has never heard of, before a service word ("Hetzner
    /// Rechnung"), is other business (part of the out-of-scope layer; off with it too).
    public static let foreignNames = UnderstandingStages(rawValue: 1 << 6)

    /// Other spellings the knowledge base lists under `word_forms` (dialect, colloquial
    /// forms) are read as the word they mean before the patterns run.
    public static let wordForms = UnderstandingStages(rawValue: 1 << 7)

    /// When patterns of several intents matched, the one the examples clearly favour answers.
    public static let arbitration = UnderstandingStages(rawValue: 1 << 8)

    /// A model trained on the labelled messages answers what the earlier stages left
    /// undecided, and overrules them when it is all but certain.
    public static let learned = UnderstandingStages(rawValue: 1 << 9)

    /// Other business named only in sentences before a question that stands on its own is
    /// background: the question is answered.
    public static let background = UnderstandingStages(rawValue: 1 << 10)

    public static let all: UnderstandingStages = [.negation, .spelling, .examples, .clarify, .outOfScope, .crossCheck, .foreignNames, .wordForms, .arbitration, .learned, .background]

    public static let names: [(String, UnderstandingStages)] = [
        ("negation", .negation), ("spelling", .spelling), ("examples", .examples), ("clarify", .clarify), ("out-of-scope", .outOfScope), ("cross-check", .crossCheck), ("foreign-names", .foreignNames), ("word-forms", .wordForms), ("arbitration", .arbitration), ("learned", .learned), ("background", .background),
    ]
}
