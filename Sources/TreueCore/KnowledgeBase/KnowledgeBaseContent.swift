/// Everything the YAML files say, before any pattern is compiled.
public struct KnowledgeBaseContent: Sendable {
    public var settings: [String: String] = [:]
    public var languages: [String] = ["de", "en"]
    public var phases: [String] = ["awareness", "consideration", "conversion", "service", "loyalty"]
    public var defaultPhase: String = "awareness"
    /// Named sub-patterns in the order written.
    public var vocabulary: [(name: String, pattern: String, location: SourceLocation)] = []
    /// Message key → language → text; built-in texts fill what is missing.
    public var messages: [String: [String: String]] = [:]
    public var fallbackAnswers = AnswerSet()
    /// Phase (or `default`) → intent ids offered after a fallback.
    public var fallbackSuggestions: [String: [String]] = [:]
    public var intents: [Intent] = []
    /// Messages customers wrote, by intent id: they teach the example stage and are not
    /// checked one by one (see `phrasings` in docs/knowledge-base.md).
    public var phrasings: [(intent: String, language: String, text: String, location: SourceLocation)] = []
    /// Files of labelled customer messages (`intent<TAB>lang<TAB>text`, `-` for other
    /// business), relative to the knowledge base folder; `*` in a file name matches any
    /// run of characters. The learned stage trains on them (see `MessageClassifier`).
    public var labelledFiles: [(path: String, location: SourceLocation)] = []
    /// The messages those files hold, read by `KnowledgeBaseLoader.load(directory:)`.
    public var labelled: [(intent: String, language: String, text: String, location: SourceLocation)] = []
    /// Other spellings of a word, read as that word before any pattern runs (dialect,
    /// colloquial forms): `form` → `meant`, folded, in the order written.
    public var wordForms: [(form: String, meant: String, location: SourceLocation)] = []
    /// Files of words of the language that are no typos (one per line, `#` starts a
    /// comment), relative to the knowledge base folder, `*` as in `labelledFiles`.
    public var dictionaryFiles: [(path: String, location: SourceLocation)] = []
    /// The words those files hold, folded like a message: the spelling stage never reads
    /// one of them as another word ("schwanger" is no misspelt "Schwager").
    public var dictionaryWords: Set<String> = []
    /// Answers from order facts: intent id → answers keyed by order status (`delayed`,
    /// a status name, `default`), then language.
    public var orderAnswers: [String: AnswerSet] = [:]
    public var orderAnswerLocations: [String: SourceLocation] = [:]
    /// Proactive welcome rules, in the order written: the first that holds speaks.
    public var proactiveRules: [ProactiveRule] = []
    public var files: [String] = []

    public init() {}

    public var defaultLanguage: String { languages.first ?? "de" }
}
