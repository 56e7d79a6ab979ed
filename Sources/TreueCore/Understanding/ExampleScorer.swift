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
        /// Term numbers, ascending.
        let terms: [Int32]
    }

    /// The message's terms: stems and `@concept`s of its content words, as term numbers
    /// (ascending) where an example uses them, and a count of those no example uses.
    public struct Terms: Sendable {
        let known: [Int32]
        let unknownCount: Int
        public var isEmpty: Bool { known.isEmpty && unknownCount == 0 }
    }

    static let saturation = 1.2

    /// Terms are numbered once at load, so scoring a message adds up numbers in arrays
    /// instead of hashing strings into dictionaries.
    private let termNumbers: [String: Int32]
    private let termNames: [String]
    private let idf: [Double]
    private let bestWeight: [Double]
    /// Per term, its intents and weights: `postingIntents[postingStart[t]..<postingStart[t + 1]]`.
    private let postingStart: [Int]
    private let postingIntents: [Int32]
    private let postingWeights: [Double]
    private let intentCount: Int
    private let unknownWeight: Double
    private let examples: [Int: [Example]]

    /// Whether the intent has anything the examples can judge it by.
    func knows(_ intent: Int) -> Bool { examples[intent]?.isEmpty == false }

    /// A knowledge base without examples ranks nothing: its messages skip the ranking
    /// stages instead of looking up every word for no term.
    public var hasExamples: Bool { !termNames.isEmpty }

    /// Concepts of known words, from the vocabulary.
    let concepts: [String: [String]]
    /// The term numbers of every word the examples use, worked out once: a message's words
    /// are mostly these, and stemming is the dearest step of scoring.
    private let knownTerms: [String: [Int32]]

    /// `documents`: per intent index, its texts with their language. `forms`: the
    /// knowledge base's `word_forms`; an example's "zruck" counts as the "zurueck" a
    /// customer's "zruck" is read as before scoring.
    init(documents: [Int: [(text: String, language: String)]], concepts: [String: [String]], forms: WordForms = WordForms([])) {
        self.concepts = concepts
        func words(of text: String) -> [String] { forms.read(MessageWords.words(of: text)) }
        var texts: [(intent: Int, text: String, language: String, terms: Set<String>)] = []
        var counts: [String: [Int: Int]] = [:]
        for (intent, list) in documents.sorted(by: { $0.key < $1.key }) {
            for (text, language) in list {
                let terms = Self.terms(of: words(of: text), concepts: concepts)
                guard !terms.isEmpty else { continue }
                texts.append((intent, text, language, terms))
                for term in terms { counts[term, default: [:]][intent, default: 0] += 1 }
            }
        }
        let names = counts.keys.sorted()
        let numbers = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.element, Int32($0.offset)) })
        let documentCount = Double(max(1, Set(texts.map(\.intent)).count))
        var idf: [Double] = []
        var bestWeight: [Double] = []
        var postingStart = [0]
        var postingIntents: [Int32] = []
        var postingWeights: [Double] = []
        for name in names {
            let byIntent = counts[name]!
            let df = Double(byIntent.count)
            let inverse = log(1 + (documentCount - df + 0.5) / (df + 0.5))
            idf.append(inverse)
            var best = 0.0
            for (intent, count) in byIntent.sorted(by: { $0.key < $1.key }) {
                let weight = inverse * Double(count) * (Self.saturation + 1) / (Double(count) + Self.saturation)
                postingIntents.append(Int32(intent))
                postingWeights.append(weight)
                best = max(best, weight)
            }
            bestWeight.append(best)
            postingStart.append(postingIntents.count)
        }
        var examples: [Int: [Example]] = [:]
        for (intent, text, language, terms) in texts {
            examples[intent, default: []].append(Example(text: text, language: language, terms: terms.map { numbers[$0]! }.sorted()))
        }
        var knownTerms: [String: [Int32]] = [:]
        for list in documents.values {
            for (text, _) in list {
                for word in words(of: text) where knownTerms[word] == nil {
                    knownTerms[word] = Self.terms(of: [word], concepts: concepts).compactMap { numbers[$0] }.sorted()
                }
            }
        }
        termNumbers = numbers
        termNames = names
        self.idf = idf
        self.bestWeight = bestWeight
        self.postingStart = postingStart
        self.postingIntents = postingIntents
        self.postingWeights = postingWeights
        intentCount = (documents.keys.max() ?? -1) + 1
        self.knownTerms = knownTerms
        self.examples = examples
        unknownWeight = log(1 + (documentCount - 0.5) / 1.5)
    }

    static func terms(of words: [String], concepts: [String: [String]]) -> Set<String> {
        var terms = Set<String>()
        for word in words where !FunctionWords.all.contains(word) && !FunctionWords.negators.contains(word) {
            // Numbers are order numbers, dates, sizes: facts, not topics.
            guard word.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) else { continue }
            terms.insert(WordStemmer.stem(word))
            for concept in concepts[word] ?? [] { terms.insert(concept) }
        }
        return terms
    }

    /// A word's terms: numbers where examples use them, and the rest by name.
    struct WordTerms: Sendable {
        let known: [Int32]
        let unknown: [String]
    }

    func wordTerms(_ word: String) -> WordTerms {
        if let numbers = knownTerms[word] { return WordTerms(known: numbers, unknown: []) }
        var known: [Int32] = []
        var unknown: [String] = []
        for term in Self.terms(of: [word], concepts: concepts) {
            if let number = termNumbers[term] { known.append(number) } else { unknown.append(term) }
        }
        return WordTerms(known: known, unknown: unknown)
    }

    public func terms(of words: [String]) -> Terms { terms(of: words, lookup: wordTerms) }

    /// `lookup` gives a word's terms, from a cache or from `wordTerms`.
    func terms(of words: [String], lookup: (String) -> WordTerms) -> Terms {
        var known: [Int32] = []
        var unknown: [String] = []
        for word in words {
            let terms = lookup(word)
            known += terms.known
            unknown += terms.unknown
        }
        known.sort()
        var unique: [Int32] = []
        unique.reserveCapacity(known.count)
        for number in known where unique.last != number { unique.append(number) }
        // A message has a handful of unknown terms: comparing them pairwise costs less than
        // hashing them into a set, up to a few dozen (a pasted text keeps the set).
        guard unknown.count <= 32 else { return Terms(known: unique, unknownCount: Set(unknown).count) }
        var distinct: [String] = []
        distinct.reserveCapacity(unknown.count)
        for term in unknown where !distinct.contains(term) { distinct.append(term) }
        return Terms(known: unique, unknownCount: distinct.count)
    }

    /// How much a term tells intents apart (its inverse document frequency; a term no
    /// example uses weighs the most).
    func weight(of term: String) -> Double { termNumbers[term].map { idf[Int($0)] } ?? unknownWeight }

    /// Every intent with a share of the message's terms, best first.
    public func rank(_ terms: Terms) -> [Score] {
        var possible = Double(terms.unknownCount) * unknownWeight
        guard !terms.known.isEmpty else { return [] }
        var scores = [Double](repeating: 0, count: intentCount)
        var matched = [Int32](repeating: 0, count: intentCount)
        var touched: [Int32] = []
        touched.reserveCapacity(intentCount)
        for term in terms.known {
            let term = Int(term)
            possible += bestWeight[term]
            for posting in postingStart[term]..<postingStart[term + 1] {
                let intent = Int(postingIntents[posting])
                if matched[intent] == 0 { touched.append(Int32(intent)) }
                scores[intent] += postingWeights[posting]
                matched[intent] += 1
            }
        }
        guard possible > 0 else { return [] }
        var ranked: [Score] = []
        ranked.reserveCapacity(touched.count)
        for intent in touched {
            let intent = Int(intent)
            ranked.append(Score(intentIndex: intent, score: scores[intent], coverage: scores[intent] / possible, matched: Int(matched[intent])))
        }
        Self.sortByScore(&ranked)
        return ranked
    }

    /// Highest score first, the lower intent index first among equals. A message touches a
    /// few dozen intents: an insertion sort with the comparison written out costs a third of
    /// the library's sort with a closure; longer lists take the library's.
    static func sortByScore(_ ranked: inout [Score]) {
        guard ranked.count <= 64 else {
            ranked.sort { $0.score > $1.score || ($0.score == $1.score && $0.intentIndex < $1.intentIndex) }
            return
        }
        ranked.withUnsafeMutableBufferPointer { buffer in
            guard buffer.count > 1 else { return }
            for next in 1..<buffer.count {
                let item = buffer[next]
                var slot = next
                while slot > 0 {
                    let before = buffer[slot - 1]
                    guard item.score > before.score || (item.score == before.score && item.intentIndex < before.intentIndex) else { break }
                    buffer[slot] = before
                    slot -= 1
                }
                buffer[slot] = item
            }
        }
    }

    /// The intent's example closest to the message, and the terms they share.
    public func nearestExample(of intent: Int, to terms: Terms) -> (example: Example, shared: [String])? {
        var best: (example: Example, weight: Double)?
        for example in examples[intent] ?? [] {
            var weight = 0.0
            Self.forEachShared(example.terms, terms.known) { weight += idf[Int($0)] }
            if best == nil || weight > best!.weight { best = (example, weight) }
        }
        guard let best else { return nil }
        var shared: [String] = []
        Self.forEachShared(best.example.terms, terms.known) { shared.append(termNames[Int($0)]) }
        return (best.example, shared.sorted())
    }

    /// Calls `body` with every number both ascending lists hold.
    private static func forEachShared(_ a: [Int32], _ b: [Int32], _ body: (Int32) -> Void) {
        var (i, j) = (0, 0)
        while i < a.count, j < b.count {
            if a[i] == b[j] { body(a[i]); i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
    }
}
