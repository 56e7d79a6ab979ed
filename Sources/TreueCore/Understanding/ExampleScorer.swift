import Foundation

/// Scores a message against every intent's examples, so a phrasing no pattern foresaw is
/// still recognised by the words it shares with what authors wrote.
///
/// Each intent is one document made of its examples, title and suggestion. A message word
/// counts through its stem and through the vocabulary concepts it belongs to
/// (`ruecksendeschein` is a `return`, like `retoure` and `send back`), so one example
/// speaks for many spellings. Terms are weighed as BM25 does: rare across intents counts
/// more, repeated within an intent saturates. `coverage` is the share of the message's
/// weight the intent explains; words no example uses count against every intent, which
/// keeps other companies' business and chit-chat away from shop answers.
public struct ExampleScorer: Sendable {
    public struct Score: Sendable {
        public let intentIndex: Int
        public let score: Double
        /// score / the most the message's terms could score.
        public let coverage: Double
        /// How many of the message's terms this intent's examples share.
        public let matched: Int
    }

    public struct Example: Sendable {
        public let text: String
        public let language: String
        let terms: Set<String>
    }

    /// The message's terms: stems and `@concept`s of its content words.
    public struct Terms: Sendable {
        public let terms: Set<String>
    }

    static let saturation = 1.2

    private let postings: [String: [(intent: Int, weight: Double)]]
    private let bestWeight: [String: Double]
    private let unknownWeight: Double
    private let examples: [Int: [Example]]
    private let idf: [String: Double]
    /// Concepts of known words, from the vocabulary.
    let concepts: [String: [String]]
    /// The terms of every word the examples use, worked out once: a message's words are
    /// mostly these, and stemming is the dearest step of scoring.
    private let knownTerms: [String: [String]]

    /// `documents`: per intent index, its texts with their language.
    init(documents: [Int: [(text: String, language: String)]], concepts: [String: [String]]) {
        self.concepts = concepts
        var knownTerms: [String: [String]] = [:]
        for texts in documents.values {
            for (text, _) in texts {
                for word in MessageWords.words(of: text) where knownTerms[word] == nil {
                    knownTerms[word] = Self.terms(of: [word], concepts: concepts).terms.sorted()
                }
            }
        }
        self.knownTerms = knownTerms
        var examples: [Int: [Example]] = [:]
        var counts: [String: [Int: Int]] = [:]
        for (intent, texts) in documents {
            for (text, language) in texts {
                let terms = Self.terms(of: MessageWords.words(of: text), concepts: concepts).terms
                guard !terms.isEmpty else { continue }
                examples[intent, default: []].append(Example(text: text, language: language, terms: terms))
                for term in terms { counts[term, default: [:]][intent, default: 0] += 1 }
            }
        }
        let documentCount = Double(max(1, examples.count))
        var postings: [String: [(intent: Int, weight: Double)]] = [:]
        var bestWeight: [String: Double] = [:]
        var idf: [String: Double] = [:]
        for (term, byIntent) in counts {
            let df = Double(byIntent.count)
            let inverse = log(1 + (documentCount - df + 0.5) / (df + 0.5))
            idf[term] = inverse
            let list = byIntent.sorted { $0.key < $1.key }.map { intent, count in
                (intent: intent, weight: inverse * Double(count) * (Self.saturation + 1) / (Double(count) + Self.saturation))
            }
            postings[term] = list
            bestWeight[term] = list.map(\.weight).max() ?? 0
        }
        self.postings = postings
        self.bestWeight = bestWeight
        self.idf = idf
        self.examples = examples
        unknownWeight = log(1 + (documentCount - 0.5) / 1.5)
    }

    static func terms(of words: [String], concepts: [String: [String]]) -> Terms {
        var terms = Set<String>()
        for word in words where !FunctionWords.all.contains(word) && !FunctionWords.negators.contains(word) {
            // Numbers are order numbers, dates, sizes: facts, not topics.
            guard word.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) else { continue }
            terms.insert(WordStemmer.stem(word))
            for concept in concepts[word] ?? [] { terms.insert(concept) }
        }
        return Terms(terms: terms)
    }

    public func terms(of words: [String]) -> Terms {
        var terms = Set<String>()
        for word in words {
            if let known = knownTerms[word] { terms.formUnion(known) } else { terms.formUnion(Self.terms(of: [word], concepts: concepts).terms) }
        }
        return Terms(terms: terms)
    }

    /// How much a term tells intents apart (its inverse document frequency; a term no
    /// example uses weighs the most).
    func weight(of term: String) -> Double { idf[term] ?? unknownWeight }

    /// Every intent with a share of the message's terms, best first.
    public func rank(_ terms: Terms) -> [Score] {
        var scores: [Int: (score: Double, matched: Int)] = [:]
        var possible = 0.0
        for term in terms.terms {
            guard let list = postings[term] else { possible += unknownWeight; continue }
            possible += bestWeight[term] ?? 0
            for (intent, weight) in list {
                let current = scores[intent] ?? (0, 0)
                scores[intent] = (current.score + weight, current.matched + 1)
            }
        }
        guard possible > 0 else { return [] }
        return scores.map { Score(intentIndex: $0.key, score: $0.value.score, coverage: $0.value.score / possible, matched: $0.value.matched) }
            .sorted { ($0.score, -$0.intentIndex) > ($1.score, -$1.intentIndex) }
    }

    /// The intent's example closest to the message, and the terms they share.
    public func nearestExample(of intent: Int, to terms: Terms) -> (example: Example, shared: [String])? {
        var best: (Example, Double, [String])?
        for example in examples[intent] ?? [] {
            let shared = example.terms.intersection(terms.terms)
            let weight = shared.reduce(0) { $0 + (idf[$1] ?? 0) }
            if best == nil || weight > best!.1 { best = (example, weight, shared.sorted()) }
        }
        return best.map { ($0.0, $0.2) }
    }
}
