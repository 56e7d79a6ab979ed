import PCRE2Swift

/// What the stages after the patterns learn from a knowledge base, built once per load.
public struct Understanding: Sendable {
    public let corrector: SpellingCorrector
    public let scorer: ExampleScorer
    public let classifier: MessageClassifier

    public init(corrector: SpellingCorrector, scorer: ExampleScorer, classifier: MessageClassifier = MessageClassifier(documents: [])) {
        self.corrector = corrector
        self.scorer = scorer
        self.classifier = classifier
    }

    /// Builds the lexicon and the example index. Vocabulary entries become concepts: a
    /// word the entry matches whole belongs to it, `_de`/`_en` versions are one concept.
    static func build(_ content: KnowledgeBaseContent, vocabulary: Vocabulary) -> Understanding {
        var lexicon: [String] = []
        var authored: [String] = []
        var documents: [Int: [(text: String, language: String)]] = [:]
        for (index, intent) in content.intents.enumerated() {
            for (language, examples) in intent.examples.sorted(by: { $0.key < $1.key }) {
                for example in examples {
                    documents[index, default: []].append((example, language))
                    lexicon += MessageWords.words(of: example)
                }
            }
            for texts in intent.counterExamples.values { for text in texts { lexicon += MessageWords.words(of: text) } }
            for (language, title) in intent.title.byLanguage { documents[index, default: []].append((title, language)) }
            for (language, text) in intent.suggestion?.byLanguage ?? [:] { documents[index, default: []].append((text, language)) }
            for texts in intent.title.byLanguage.values { lexicon += MessageWords.words(of: texts) }
            for byLanguage in intent.answers.variants.values {
                for variants in byLanguage.values { for text in variants { lexicon += MessageWords.words(of: text) } }
            }
            for pattern in intent.patterns { authored += literalWords(of: pattern.source, minimumLength: 4) }
        }
        let indexByID = Dictionary(content.intents.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { first, _ in first })
        for phrasing in content.phrasings {
            guard let index = indexByID[phrasing.intent] else { continue }
            documents[index, default: []].append((phrasing.text, phrasing.language))
            lexicon += MessageWords.words(of: phrasing.text)
        }
        // An entry that only rules words out where it stands (`not_a_product_en`, a bare
        // negative lookahead) teaches the spelling stage no word: "booth" is no misspelt
        // "boots" because the layer names boots as a thing we sell.
        for entry in vocabulary.entries.values where !entry.pattern.hasPrefix("(?!") {
            authored += literalWords(of: entry.pattern, minimumLength: 4)
        }
        // Four-letter names stay out of the lexicon: they would become targets for every
        // four-letter typo. Protected from change they are all the same.
        lexicon += authored.filter { $0.count >= 5 }

        // The spelling index is the dearest part and needs nothing else: built beside the rest.
        let forms = WordForms(content.wordForms.map { ($0.form, $0.meant) })
        for meant in forms.meanings { lexicon += MessageWords.words(of: meant) }
        let classifier = BackgroundBuild { learnedClassifier(content, indexByID: indexByID) }
        let dictionary = content.dictionaryWords
        let corrector = BackgroundBuild { [lexicon, authored, forms] in
            SpellingCorrector(words: lexicon, authored: Set(authored), forms: forms, dictionary: dictionary)
        }
        let candidates = Set(lexicon).filter { $0.count >= 3 && !FunctionWords.all.contains($0) && !FunctionWords.negators.contains($0) }.sorted()
        // Each vocabulary entry tried on every word, entries spread over the cores.
        let members = vocabulary.order.concurrentMap(leastPerChunk: 1) { name -> [String] in
            guard let whole = try? CompiledPattern(vocabulary.expand("^(?:(?&\(name)))$")) else { return [] }
            let scratch = MatchScratch(limits: .default, maxCaptureGroups: 8)
            return candidates.filter { if case .match = whole.firstMatch(in: $0, scratch: scratch) { true } else { false } }
        }
        var concepts: [String: [String]] = [:]
        for (name, words) in zip(vocabulary.order, members) {
            let concept = "@" + conceptName(name)
            for word in words where concepts[word]?.contains(concept) != true { concepts[word, default: []].append(concept) }
        }
        let scorer = ExampleScorer(documents: documents, concepts: concepts, forms: forms)
        return Understanding(corrector: corrector.value(), scorer: scorer, classifier: classifier.value())
    }

    /// Examples, phrasings and labelled messages, each labelled with its intent; other
    /// business (`-`, and the out-of-scope layer's intents) is one class of its own.
    static func learnedClassifier(_ content: KnowledgeBaseContent, indexByID: [String: Int]) -> MessageClassifier {
        func label(_ index: Int) -> Int? { content.intents[index].action == .outOfScope ? nil : index }
        var documents: [MessageClassifier.Document] = []
        for (index, intent) in content.intents.enumerated() {
            for (_, examples) in intent.examples.sorted(by: { $0.key < $1.key }) {
                for example in examples { documents.append(.init(text: example, label: label(index))) }
            }
        }
        for phrasing in content.phrasings {
            if let index = indexByID[phrasing.intent] { documents.append(.init(text: phrasing.text, label: label(index))) }
        }
        let texts = content.labelled.concurrentMap(leastPerChunk: 256) { readable($0.text) }
        for (message, text) in zip(content.labelled, texts) {
            if message.intent == "-" { documents.append(.init(text: text, label: nil)) }
            else if let index = indexByID[message.intent] { documents.append(.init(text: text, label: label(index))) }
        }
        return MessageClassifier(documents: documents)
    }

    /// A labelled message as the model reads it when it answers: without what the customer
    /// rules out. "Zurückgeben und Geld zurück will ich nicht, lieber eine Nummer größer" is
    /// an exchange, and learning its refund words for exchanges made the model sure that
    /// "ich möchte die hose zurückgeben und das geld zurück" is one.
    static func readable(_ text: String) -> String {
        let folded = TextFolder.fold(text).folded
        let spans = NegationScope.spans(in: folded, words: MessageWords.scan(folded))
        return spans.isEmpty ? text : NegationScope.blank(folded, spans)
    }

    static func conceptName(_ name: String) -> String {
        for suffix in ["_de", "_en"] where name.hasSuffix(suffix) { return String(name.dropLast(suffix.count)) }
        return name
    }

    /// The plain words a pattern spells out; a letter after a backslash is an escape
    /// (`\bpaypal` is `paypal`). The lexicon takes five letters or more, so fragments of
    /// alternations like `zur(ue|u)e?ck` add nothing.
    static func literalWords(of pattern: String, minimumLength: Int = 5) -> [String] {
        var words: [String] = []
        let scalars = TextFolder.foldLiteral(pattern).unicodeScalars
        // A run of letters is cut out of the text at its end, not built scalar by scalar:
        // loading a large knowledge base reads every pattern twice through here.
        var runStart: String.UnicodeScalarView.Index?
        var runLength = 0
        func endRun(at end: String.UnicodeScalarView.Index) {
            if let start = runStart, runLength >= minimumLength {
                let word = String(scalars[start..<end])
                if word.count >= minimumLength { words.append(word.lowercased()) }
            }
            runStart = nil
            runLength = 0
        }
        var escaped = false
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if escaped {
                escaped = false
            } else if scalar == "\\" {
                endRun(at: index)
                escaped = true
            } else if scalar.isAlphabetic {
                if runStart == nil { runStart = index }
                runLength += 1
            } else {
                endRun(at: index)
            }
            index = scalars.index(after: index)
        }
        endRun(at: scalars.endIndex)
        return words
    }
}
