import Foundation
import PCRE2Swift

/// A loaded, validated and compiled knowledge base: immutable, shared by every session.
/// Reloading builds a new one and swaps it in whole.
public final class KnowledgeBase: Sendable {
    public let content: KnowledgeBaseContent
    public let matcher: IntentMatcher
    let indexByID: [String: Int]
    /// Compiled slot patterns by intent index and slot name.
    let slotPatterns: [Int: [String: CompiledPattern]]
    /// The lexicon and example index of the stages after the patterns.
    public let understanding: Understanding
    /// The shop's own words, to tell another company's name from ours.
    public let foreignNames: ForeignNameRule
    /// Where the knowledge base came from, for messages and reloads.
    public let directory: String?
    /// Every answer, prompt and message text, parsed once.
    private let templates: [TemplateKey: Template]
    /// Each pattern's place relative to the folder (`service.yaml:26:11`), made once: every
    /// reply's evidence names one.
    private let patternPlaces: [String]

    /// Where pattern `number` of the matcher stands, relative to the knowledge-base folder.
    public func place(ofPattern number: Int) -> String { patternPlaces[number] }

    public var intents: [Intent] { content.intents }
    public var phases: [String] { content.phases }
    public var defaultPhase: String { content.defaultPhase }
    public var languages: [String] { content.languages }
    public var defaultLanguage: String { content.defaultLanguage }

    /// The parsed form of a template text of this knowledge base (parsed now if it is not one).
    public func template(_ text: String) -> Template { templates[TemplateKey(text)] ?? Template(text) }

    public func intent(id: String) -> Intent? { indexByID[id].map { content.intents[$0] } }
    public func intentIndex(id: String) -> Int? { indexByID[id] }

    /// The parts that need only the content, built while the matcher's index is.
    struct ContentTables: Sendable {
        let foreignNames: ForeignNameRule
        let templates: [TemplateKey: Template]

        init(_ content: KnowledgeBaseContent) {
            foreignNames = ForeignNameRule(content: content)
            var templates: [TemplateKey: Template] = [:]
            func add(_ text: String) { if templates[TemplateKey(text)] == nil { templates[TemplateKey(text)] = Template(text) } }
            for intent in content.intents {
                for byLanguage in intent.answers.variants.values { for variants in byLanguage.values { variants.forEach(add) } }
                for slot in intent.slots { slot.prompt.byLanguage.values.forEach(add) }
            }
            for answers in content.orderAnswers.values {
                for byLanguage in answers.variants.values { for variants in byLanguage.values { variants.forEach(add) } }
            }
            for rule in content.proactiveRules { rule.text.byLanguage.values.forEach(add) }
            for byLanguage in content.fallbackAnswers.variants.values { for variants in byLanguage.values { variants.forEach(add) } }
            for byLanguage in content.messages.values { byLanguage.values.forEach(add) }
            for byLanguage in SystemMessages.builtIn.values { byLanguage.values.forEach(add) }
            self.templates = templates
        }
    }

    init(content: KnowledgeBaseContent, matcher: IntentMatcher, slotPatterns: [Int: [String: CompiledPattern]],
         understanding: Understanding, tables: ContentTables, directory: String?) {
        self.content = content
        self.understanding = understanding
        self.foreignNames = tables.foreignNames
        self.matcher = matcher
        self.slotPatterns = slotPatterns
        self.directory = directory
        self.templates = tables.templates
        patternPlaces = matcher.patterns.map { Conversation.relative($0.source.location, to: directory).description }
        var index: [String: Int] = [:]
        for (number, intent) in content.intents.enumerated() where index[intent.id] == nil { index[intent.id] = number }
        indexByID = index
    }

    /// Loads and compiles a folder; the knowledge base is nil when any error was found.
    public static func load(directory: String, limits: MatchLimits = .default) -> (KnowledgeBase?, [Diagnostic]) {
        let (content, loadDiagnostics) = KnowledgeBaseLoader.load(directory: directory)
        let (kb, diagnostics) = KnowledgeBaseCompiler.compile(content, limits: limits, directory: directory)
        let all = loadDiagnostics + diagnostics
        return (all.contains { $0.severity == .error } ? nil : kb, all)
    }

    /// Loads from YAML texts (tests, tools).
    public static func load(texts: [(file: String, yaml: String)], limits: MatchLimits = .default) -> (KnowledgeBase?, [Diagnostic]) {
        let (content, loadDiagnostics) = KnowledgeBaseLoader.load(texts: texts)
        let (kb, diagnostics) = KnowledgeBaseCompiler.compile(content, limits: limits, directory: nil)
        let all = loadDiagnostics + diagnostics
        return (all.contains { $0.severity == .error } ? nil : kb, all)
    }

    /// Tries to fill a slot from a message: the slot's named group, or its whole match.
    public func fillSlot(intentID: String, slot: String, from message: String, scratch: MatcherScratch) -> String? {
        guard let index = indexByID[intentID], let pattern = slotPatterns[index]?[slot] else { return nil }
        let folded = TextFolder.fold(message)
        guard case let .match(found) = pattern.compiled(in: folded, scratch: scratch) else { return nil }
        if let group = pattern.groupNumber(named: slot), group - 1 < found.groups.count, let range = found.groups[group - 1] {
            return folded.originalText(for: range)
        }
        return folded.originalText(for: found.range)
    }
}

private extension CompiledPattern {
    func compiled(in text: FoldedText, scratch: MatcherScratch) -> MatchOutcome {
        firstMatch(in: text.folded, scratch: scratch.pcre)
    }
}

/// A template text as a table key, hashed and compared by its UTF-8 bytes. A `String` key
/// normalizes every non-ASCII answer to NFC on each lookup, which cost more than rendering
/// it; the texts looked up are the very strings the table was built from, so a text that
/// is equal only after normalization is merely parsed afresh.
struct TemplateKey: Hashable, Sendable {
    let text: String

    init(_ text: String) { self.text = text }

    /// The length, the first 48 bytes and the last 16: answers are hundreds of bytes long, and
    /// two that agree in all of these still differ for `==`.
    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { bytes in
            hasher.combine(bytes.count)
            let all = UnsafeRawBufferPointer(bytes)
            guard all.count > 64 else { return hasher.combine(bytes: all) }
            hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: all[..<48]))
            hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: all[(all.count - 16)...]))
        }
    }

    static func == (lhs: TemplateKey, rhs: TemplateKey) -> Bool {
        var left = lhs.text, right = rhs.text
        return left.withUTF8 { a in right.withUTF8 { b in a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0) } }
    }
}
