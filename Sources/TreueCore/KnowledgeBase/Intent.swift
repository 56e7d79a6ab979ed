/// One thing a customer may want, with the patterns that recognise it and the answers.
public struct Intent: Sendable {
    public var id: String
    public var title: LocalizedText
    public var priority: Int
    /// The phase asking this signals, if any.
    public var phaseSignal: String?
    public var suggestion: LocalizedText?
    public var patterns: [IntentPattern]
    public var examples: [String: [String]]
    public var counterExamples: [String: [String]]
    public var slots: [Slot]
    public var answers: AnswerSet
    public var followups: [String]
    /// What the conversation does besides answering (`handoff`: passes to a person).
    public var action: IntentAction?
    public var location: SourceLocation
    /// Where each example was written, keyed by language and text.
    public var exampleLocations: [String: SourceLocation]

    public init(id: String, title: LocalizedText = LocalizedText([:]), priority: Int = 0, phaseSignal: String? = nil,
                suggestion: LocalizedText? = nil, patterns: [IntentPattern] = [], examples: [String: [String]] = [:],
                counterExamples: [String: [String]] = [:], slots: [Slot] = [], answers: AnswerSet = AnswerSet(),
                followups: [String] = [], location: SourceLocation, exampleLocations: [String: SourceLocation] = [:]) {
        self.id = id
        self.title = title
        self.priority = priority
        self.phaseSignal = phaseSignal
        self.suggestion = suggestion
        self.patterns = patterns
        self.examples = examples
        self.counterExamples = counterExamples
        self.slots = slots
        self.answers = answers
        self.followups = followups
        self.action = nil
        self.location = location
        self.exampleLocations = exampleLocations
    }
}

/// A pattern as its author wrote it.
public struct IntentPattern: Sendable {
    public let language: String
    public let source: String
    public let location: SourceLocation
    /// `file:line:column`, made once: every reply names its pattern in the transcript.
    public let reference: String

    public init(language: String, source: String, location: SourceLocation) {
        self.language = language
        self.source = source
        self.location = location
        reference = location.description
    }
}

/// A capture an answer needs, asked for when the message did not contain it.
public struct Slot: Sendable {
    public var name: String
    public var pattern: String
    public var prompt: LocalizedText
    public var location: SourceLocation

    public init(name: String, pattern: String, prompt: LocalizedText, location: SourceLocation) {
        self.name = name
        self.pattern = pattern
        self.prompt = prompt
        self.location = location
    }
}

/// Something an intent does besides answering.
public enum IntentAction: String, Sendable {
    /// Passes the customer to a person, as `/agent` does.
    case handoff
    /// Marks the out-of-scope layer: other companies' and other domains' business. It is
    /// never a reply's intent; its answer explains what Treue can help with instead.
    case outOfScope = "out_of_scope"
}
