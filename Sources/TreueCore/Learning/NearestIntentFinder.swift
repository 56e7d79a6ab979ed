/// Which intent a message (or a group of them) is closest to, judged from the knowledge
/// base's examples and phrasings through `ExampleScorer`, as if no pattern had matched:
/// misspelt words are read as the knowledge base's words first, as the spelling stage
/// does. The out-of-scope layer is never a candidate: it is other business, not a place
/// to add an answer.
public struct NearestIntentFinder: Sendable {
    public struct Candidate: Sendable, Codable, Equatable {
        public var intent: String
        public var score: Double
        /// Share of the message's weight the intent's examples explain (0…1).
        public var coverage: Double
        /// How many of the message's terms the intent's examples share.
        public var matched: Int
        /// The message's words the nearest example shares (the evidence).
        public var shared: [String]
        /// That example.
        public var example: String?
    }

    public let kb: KnowledgeBase
    /// The least coverage for an intent to count as close; below it a group is a new topic.
    public var closeCoverage = 0.5
    /// One shared word must explain nearly all of the message, as in the example stage
    /// ("sell" alone does not make "do you sell wholesale" a data-privacy question).
    public var singleTermCoverage = 0.9

    public init(kb: KnowledgeBase) { self.kb = kb }

    /// The knowledge base's reading of misspelt words (numbers and known words stay).
    public func corrected(_ words: [String]) -> [String] {
        let corrector = kb.understanding.corrector
        return words.map { word in
            guard (SpellingCorrector.minimumLength...SpellingCorrector.maximumLength).contains(word.count),
                  word.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic }), !corrector.isKnown(word) else { return word }
            return corrector.suggestion(for: word) ?? word
        }
    }

    /// The closest intents, best first.
    public func rank(message: String, limit: Int = 3) -> [Candidate] {
        rank(words: MessageWords.scan(TextFolder.fold(message).folded).map(\.text), limit: limit)
    }

    /// The closest intents for folded words, best first.
    public func rank(words: [String], limit: Int = 3) -> [Candidate] {
        let scorer = kb.understanding.scorer
        let words = corrected(words)
        let terms = scorer.terms(of: words)
        var result: [Candidate] = []
        for score in scorer.rank(terms) where kb.intents[score.intentIndex].action != .outOfScope {
            let nearest = scorer.nearestExample(of: score.intentIndex, to: terms)
            let shared = Set(nearest?.shared ?? [])
            var evidence: [String] = []
            for word in words where !evidence.contains(word) {
                if shared.contains(WordStemmer.stem(word)) || (scorer.concepts[word] ?? []).contains(where: shared.contains) { evidence.append(word) }
            }
            result.append(Candidate(intent: kb.intents[score.intentIndex].id, score: score.score, coverage: score.coverage,
                                    matched: score.matched, shared: evidence, example: nearest?.example.text))
            if result.count == limit { break }
        }
        return result
    }

    public func isClose(_ candidate: Candidate) -> Bool {
        candidate.coverage >= closeCoverage && (candidate.matched >= 2 || candidate.coverage >= singleTermCoverage)
    }
}
