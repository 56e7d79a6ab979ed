import Foundation

/// What a message was understood as, and how: the one result the conversation, `treue
/// match`, the evaluation and the transcript all read.
public struct Interpretation: Sendable {
    public enum Decision: Sendable, Equatable {
        /// An author's pattern matched (perhaps after spelling correction).
        case pattern
        /// No pattern matched; the intent's examples are clearly closest.
        case examples
        /// Two intents are about as close: ask which one.
        case clarify
        /// The out-of-scope layer recognised other business.
        case outOfScope
        /// Nothing is close enough: the fallback.
        case none
    }

    public var decision: Decision
    /// The chosen intent (nil for clarify, out of scope and none).
    public var intentIndex: Int?
    /// The intents offered when clarifying, best first.
    public var options: [Int] = []
    public var language: String?
    public var captures: [String: String] = [:]
    /// The winning pattern's hit, when a pattern decided.
    public var hit: PatternHit?
    /// The pattern stage's report (on the text after negation and spelling).
    public var report: MatchReport
    public var corrections: [SpellingCorrector.Correction] = []
    public var negated: [NegationScope.Span] = []
    /// The best example scores, when the example stage ran.
    public var scores: [ExampleScorer.Score] = []
    /// The nearest example of the intent the example stage chose or offered.
    public var nearest: String?
    public var sharedTerms: [String] = []
    /// A pattern hit the examples overruled (cross-check), or that lost to another
    /// intent's pattern the examples favour (arbitration).
    public var overruled: PatternHit?
    /// The learned model's guess, when it decided.
    public var learned: MessageClassifier.Guess?
    /// The out-of-scope layer that decided.
    public var outOfScopeRule: String?
    /// The out-of-scope layer's examples decided (not its patterns or the foreign-name rule).
    public var rejectedByExamples = false
    /// The sentences set aside as background before the question that was answered.
    public var background: String?

    /// The stage that decided, as transcripts and `--explain` name it.
    public var stage: String {
        switch decision {
        case .pattern: corrections.isEmpty ? "pattern" : "pattern_after_spelling"
        case .examples: learned == nil ? "examples" : "learned"
        case .clarify: "clarify"
        case .outOfScope: "out_of_scope"
        case .none: "none"
        }
    }

    /// One line for `/why`, `--explain` and the reply record.
    public func evidence(_ kb: KnowledgeBase) -> String {
        var parts: [String] = []
        if let background { parts.append("background: '\(background)'") }
        if !negated.isEmpty { parts.append("negated: " + negated.map { "'\($0.words.joined(separator: " "))'" }.joined(separator: ", ")) }
        if !corrections.isEmpty { parts.append("corrected: " + corrections.map { "\($0.from)→\($0.to)" }.joined(separator: ", ")) }
        switch decision {
        case .pattern:
            if let hit { parts.append("pattern \(kb.place(ofPattern: hit.patternNumber))") }
            if let overruled {
                let place = kb.place(ofPattern: overruled.patternNumber)
                let ranked = scores.prefix(3).map { "\(kb.intents[$0.intentIndex].id) \(Self.figure($0.score))" }
                parts.append("chosen by the examples (\(ranked.joined(separator: ", "))) over the pattern of '\(kb.intents[overruled.intentIndex].id)' at \(place)")
            }
        case .examples where learned != nil:
            var said = modelSaid(intentIndex, kb)
            if let overruled {
                said += " over the pattern of '\(kb.intents[overruled.intentIndex].id)' at \(kb.place(ofPattern: overruled.patternNumber))"
            }
            parts.append(said)
            if !scores.isEmpty { parts.append("examples: " + Self.ranked(scores.prefix(1), kb)) }
        case .clarify where learned != nil:
            let doubted = options.first.map { kb.intents[$0].id } ?? "-"
            var said = "asked: " + modelSaid(options.last, kb)
            if let overruled {
                said += " against the pattern of '\(doubted)' at \(kb.place(ofPattern: overruled.patternNumber))"
            } else {
                said += " against '\(doubted)'"
            }
            parts.append(said)
            parts.append("examples: " + Self.ranked(scores.prefix(3), kb))
        case .examples, .clarify:
            if let overruled {
                let place = kb.place(ofPattern: overruled.patternNumber)
                parts.append("overruled pattern of '\(kb.intents[overruled.intentIndex].id)' at \(place)")
            }
            parts.append("examples: " + Self.ranked(scores.prefix(3), kb))
            if let nearest { parts.append("nearest example '\(nearest)'") }
            if !sharedTerms.isEmpty { parts.append("shared: " + sharedTerms.joined(separator: " ")) }
        case .outOfScope:
            parts.append("out of scope: \(outOfScopeRule ?? "")")
        case .none:
            if !scores.isEmpty {
                parts.append("closest " + Self.ranked(scores.prefix(3), kb) + ", not close enough")
            } else {
                parts.append("no pattern matched, no example close")
            }
        }
        return parts.joined(separator: "; ")
    }

    /// "learned from 26216 labelled messages: refund_status 99.9%": the model's guess, cut
    /// (not rounded) to a tenth of a percent.
    private func modelSaid(_ intent: Int?, _ kb: KnowledgeBase) -> String {
        let probability = Double(Int(((learned?.probability ?? 0) * 1000).rounded(.down))) / 10
        return "learned from \(kb.understanding.classifier.documentCount) labelled messages: \(intent.map { kb.intents[$0].id } ?? "-") \(probability)%"
    }

    /// "refund_status 7.12 (64%), …": example scores as the evidence shows them.
    static func ranked(_ scores: ArraySlice<ExampleScorer.Score>, _ kb: KnowledgeBase) -> String {
        scores.map { "\(kb.intents[$0.intentIndex].id) \(figure($0.score)) (\(Int(($0.coverage * 100).rounded()))%)" }.joined(separator: ", ")
    }

    static func figure(_ value: Double) -> String { String(format: "%.2f", value) }
}
