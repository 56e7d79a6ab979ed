import Foundation
import PCRE2Swift
import Yams

/// Drafts patterns for gap clusters in the knowledge base's own style: a cluster's shared
/// words as `\b` word pieces (`geschenkverpack\w*`, with the misspellings seen in the
/// cluster), or as the vocabulary entry the word belongs to (`(?&order_en)`); two words
/// in either order within 40 characters, as the shipped patterns join words. Each
/// candidate is compiled and run on the cluster's messages, on every other intent's
/// examples and on every counter-example; the draft is the candidate that matches most of
/// the cluster and nothing else (a second pattern is added when the first leaves a third
/// of the cluster out). The chosen drafts are then checked again by compiling the whole
/// knowledge base with them through the real loader and compiler.
public struct PatternSuggester {
    public let kb: KnowledgeBase
    /// Words tried per language (the most frequent of the cluster's shared words).
    public var candidateWords = 4
    /// Examples and phrasings written into a snippet per language.
    public var maximumTexts = 12

    private let vocabulary: Vocabulary
    private let scratch: MatchScratch

    public init(kb: KnowledgeBase) {
        self.kb = kb
        var ignored: [Diagnostic] = []
        vocabulary = Vocabulary(kb.content.vocabulary, diagnostics: &ignored)
        scratch = MatchScratch(limits: kb.matcher.limits, maxCaptureGroups: 32)
    }

    private struct Candidate {
        var source: String
        var words: Int
        var matched: Set<Int>
        var foreign: Int
    }

    public func suggest(_ cluster: GapCluster) -> PatternSuggestion {
        let target = cluster.nearest?.intent
        let targetIndex = target.flatMap { kb.intentIndex(id: $0) }
        let intentID = target ?? newIntentID(cluster.words)
        // What the draft must leave alone.
        var others: [(text: String, label: String)] = []
        var counters: [(text: String, label: String)] = []
        for (index, intent) in kb.intents.enumerated() {
            if index != targetIndex {
                for (_, texts) in intent.examples.sorted(by: { $0.key < $1.key }) { for text in texts { others.append((text, intent.id)) } }
            }
            for (_, texts) in intent.counterExamples.sorted(by: { $0.key < $1.key }) { for text in texts { counters.append((text, intent.id)) } }
        }
        let foldedOthers = others.map { TextFolder.fold($0.text).folded }
        let foldedCounters = counters.map { TextFolder.fold($0.text).folded }
        let given = cluster.members.isEmpty ? cluster.examples.map { GapCluster.Member(text: $0, count: 1, language: nil) } : cluster.members
        let languages = kb.languages.isEmpty ? ["de", "en"] : kb.languages
        // A text too short to tell its language goes with the cluster's main language.
        var told: [String: Int] = [:]
        for member in given { if let language = member.language { told[language, default: 0] += member.count } }
        let main = told.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? kb.defaultLanguage
        let members = given.map { member in
            var member = member
            if member.language == nil { member.language = main }
            return member
        }
        let foldedMembers = members.map { TextFolder.fold($0.text).folded }

        var patterns: [String: [String]] = [:]
        var compiles = true
        for language in languages {
            let indices = members.indices.filter { (members[$0].language ?? kb.defaultLanguage) == language }
            guard !indices.isEmpty else { continue }
            let pieces = self.pieces(for: indices.map { members[$0] }, language: language)
            var candidates: [Candidate] = []
            func test(_ source: String, words: Int) {
                guard let compiled = compile(source) else { compiles = false; return }
                let matched = Set(indices.filter { matches(compiled, foldedMembers[$0]) })
                guard !matched.isEmpty else { return }
                let foreign = foldedOthers.filter { matches(compiled, $0) }.count + foldedCounters.filter { matches(compiled, $0) }.count
                candidates.append(Candidate(source: source, words: words, matched: matched, foreign: foreign))
            }
            for piece in pieces { test(piece, words: 1) }
            for (i, a) in pieces.enumerated() { for b in pieces.dropFirst(i + 1) { test("\(a).{0,40}?\(b)|\(b).{0,40}?\(a)", words: 2) } }
            let weight = { (set: Set<Int>) in set.reduce(0) { $0 + members[$1].count } }
            func better(_ x: Candidate, _ y: Candidate, covering: Set<Int>) -> Bool {
                let gainX = weight(x.matched.subtracting(covering)), gainY = weight(y.matched.subtracting(covering))
                if (x.foreign == 0) != (y.foreign == 0) { return x.foreign == 0 }
                if x.foreign != y.foreign { return x.foreign < y.foreign }
                if gainX != gainY { return gainX > gainY }
                if x.words != y.words { return x.words > y.words }
                return x.source.count < y.source.count
            }
            guard let first = candidates.min(by: { better($0, $1, covering: []) }) else { continue }
            var chosen = [first.source]
            let total = weight(Set(indices))
            if first.foreign == 0, weight(first.matched) * 3 < total * 2,
               let second = candidates.filter({ $0.foreign == 0 && !$0.matched.subtracting(first.matched).isEmpty })
                .min(by: { better($0, $1, covering: first.matched) }) {
                chosen.append(second.source)
            }
            patterns[language] = chosen
        }
        return checked(cluster: cluster, intentID: intentID, targetIndex: targetIndex, patterns: patterns, members: members,
                       others: others, counters: counters, compiles: compiles)
    }

    // MARK: - Check and snippet

    private func checked(cluster: GapCluster, intentID: String, targetIndex: Int?, patterns: [String: [String]], members: [GapCluster.Member],
                         others: [(text: String, label: String)], counters: [(text: String, label: String)], compiles: Bool) -> PatternSuggestion {
        var examples: [String: [String]] = [:]
        var phrasings: [String: [String]] = [:]
        for member in members {
            let language = member.language ?? kb.defaultLanguage
            if patterns[language] == nil { phrasings[language, default: []].append(member.text) } else { examples[language, default: []].append(member.text) }
        }
        var suggestion = PatternSuggestion(cluster: cluster.rank, intent: intentID, isNewIntent: targetIndex == nil,
                                           location: targetIndex.map { "\(Conversation.relative(kb.intents[$0].location, to: kb.directory))" },
                                           patterns: patterns, examples: examples, phrasings: phrasings,
                                           check: .init(compiles: compiles, clusterMatched: 0, clusterMessages: cluster.messages, textsMatched: 0,
                                                        texts: members.count, otherExamplesMatched: [], otherExamples: others.count,
                                                        counterExamplesMatched: [], counterExamples: counters.count, loads: false, errors: []),
                                           snippet: "")
        // Twice: examples the edited knowledge base does not answer with the intent become phrasings.
        for _ in 0..<2 {
            guard let edited = load(suggestion) else { break }
            let (kb2, index) = edited
            let interpreter = MessageInterpreter()
            let scratch = kb2.matcher.makeScratch()
            var moved = false
            for (language, texts) in suggestion.examples {
                for text in texts {
                    let understood = interpreter.interpret(text, kb: kb2, scratch: scratch)
                    if understood.intentIndex != index || !(understood.decision == .pattern || understood.decision == .examples) {
                        suggestion.examples[language]?.removeAll { $0 == text }
                        suggestion.phrasings[language, default: []].append(text)
                        moved = true
                    }
                }
                if suggestion.examples[language]?.isEmpty == true { suggestion.examples[language] = nil }
            }
            measure(&suggestion, kb2: kb2, index: index, members: members, others: others, counters: counters)
            if !moved { break }
        }
        suggestion.snippet = snippet(suggestion)
        return suggestion
    }

    /// The knowledge base with the suggestion pasted, through the real loader and compiler,
    /// and the index of the suggestion's intent in it; nil (with the errors noted) when it does not load.
    private func load(_ suggestion: PatternSuggestion) -> (KnowledgeBase, Int)? {
        var suggestion = suggestion
        suggestion.snippet = snippet(suggestion)
        var texts: [(file: String, yaml: String)] = []
        if let directory = kb.directory, let names = try? FileManager.default.contentsOfDirectory(atPath: directory) {
            for name in names.filter({ $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }).sorted() {
                let path = (directory as NSString).appendingPathComponent(name)
                if let text = try? String(contentsOfFile: path, encoding: .utf8) { texts.append((path, text)) }
            }
        }
        texts.append(("suggested-\(suggestion.intent).yaml", suggestion.snippet))
        var (content, diagnostics) = KnowledgeBaseLoader.load(texts: texts)
        if !suggestion.isNewIntent, let index = content.intents.firstIndex(where: { $0.id == suggestion.intent }) {
            for (language, sources) in suggestion.patterns.sorted(by: { $0.key < $1.key }) {
                for (number, source) in sources.enumerated() {
                    content.intents[index].patterns.append(IntentPattern(language: language, source: source,
                                                                         location: SourceLocation(file: "suggested pattern", line: number + 1, column: 1)))
                }
            }
        }
        let (compiled, more) = KnowledgeBaseCompiler.compile(content, limits: kb.matcher.limits, directory: kb.directory)
        diagnostics += more
        let errors = diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty || kb.directory == nil {
            return nil
        }
        guard let index = compiled.intentIndex(id: suggestion.intent) else { return nil }
        return (compiled, index)
    }

    private func measure(_ suggestion: inout PatternSuggestion, kb2: KnowledgeBase, index: Int, members: [GapCluster.Member],
                         others: [(text: String, label: String)], counters: [(text: String, label: String)]) {
        let drafts = Set(suggestion.patterns.values.flatMap { $0 })
        let numbers = Set(kb2.matcher.patterns.indices.filter { kb2.matcher.patterns[$0].intentIndex == index && drafts.contains(kb2.matcher.patterns[$0].source.source) })
        let scratch = kb2.matcher.makeScratch()
        func hit(_ text: String) -> Bool { kb2.matcher.match(text, scratch: scratch).hits.contains { numbers.contains($0.patternNumber) } }
        var check = suggestion.check
        check.loads = true
        check.clusterMatched = 0
        check.textsMatched = 0
        for member in members where hit(member.text) {
            check.textsMatched += 1
            check.clusterMatched += member.count
        }
        // A distinct text stands for its messages; the cluster's total counts them all.
        check.clusterMessages = max(check.clusterMessages, members.reduce(0) { $0 + $1.count })
        check.otherExamplesMatched = others.filter { hit($0.text) }.map { "\($0.label): \($0.text)" }
        check.counterExamplesMatched = counters.filter { hit($0.text) }.map { "\($0.label): \($0.text)" }
        suggestion.check = check
    }

    /// The YAML to paste: a new intent with its examples, or for an existing intent the
    /// phrasings (a file of its own) and the patterns and examples to add to it, as comments.
    func snippet(_ suggestion: PatternSuggestion) -> String {
        func scalar(_ text: String, _ style: Node.Scalar.Style = .plain) -> Node { Node(text, .implicit, style) }
        func list(_ texts: [String], _ style: Node.Scalar.Style) -> Node {
            Node(texts.map { scalar($0, style) }, .implicit, .block)
        }
        func byLanguage(_ table: [String: [String]], _ style: Node.Scalar.Style) -> Node {
            Node(table.sorted { $0.key < $1.key }.filter { !$0.value.isEmpty }.map { (scalar($0.key), list(Array($0.value.prefix(maximumTexts)), style)) },
                 .implicit, .block)
        }
        func yaml(_ node: Node) -> String {
            (try? Yams.serialize(node: node, indent: 2, width: -1, allowUnicode: true)) ?? ""
        }
        let check = suggestion.check
        var lines: [String] = []
        lines.append("# Suggested for gap cluster #\(suggestion.cluster) (treue suggest). Nothing is applied: paste, edit, then treue check and treue replay.")
        lines.append("# check: patterns compile with PCRE2 through the knowledge base's compiler and vocabulary: \(check.compiles ? "yes" : "no")")
        lines.append("# check: the patterns match \(check.clusterMatched) of \(check.clusterMessages) message(s) of the cluster (\(check.textsMatched) of \(check.texts) distinct text(s))")
        lines.append("# check: they match \(check.otherExamplesMatched.count) of \(check.otherExamples) example(s) of other intents and \(check.counterExamplesMatched.count) of \(check.counterExamples) counter-example(s)")
        for text in (check.otherExamplesMatched + check.counterExamplesMatched).prefix(5) { lines.append("#   also matches \(TerminalText.visible(text))") }
        lines.append("# check: loads with the knowledge base: \(check.loads ? "yes" : "no")")
        var document: [(Node, Node)] = []
        let phrasings = suggestion.phrasings.filter { !$0.value.isEmpty }
        if suggestion.isNewIntent {
            let languages = suggestion.patterns.keys.sorted()
            let title = Node(languages.map { (scalar($0), scalar(suggestion.intent.replacingOccurrences(of: "_", with: " "))) }, .implicit, .flow)
            var answers: [(Node, Node)] = []
            // `treue check` wants a default answer in every language of the knowledge base.
            for language in (kb.languages.isEmpty ? languages : kb.languages) {
                answers.append((scalar(language), scalar(language == "de" ? "ANTWORT SCHREIBEN, bevor das Thema live geht." : "WRITE THE ANSWER before this goes live.", .doubleQuoted)))
            }
            var intent: [(Node, Node)] = [(scalar("id"), scalar(suggestion.intent)), (scalar("title"), title),
                                          (scalar("patterns"), byLanguage(suggestion.patterns, .singleQuoted))]
            if !suggestion.examples.isEmpty { intent.append((scalar("examples"), byLanguage(suggestion.examples, .doubleQuoted))) }
            intent.append((scalar("answers"), Node([(scalar("default"), Node(answers, .implicit, .block))], .implicit, .block)))
            lines.append("# A new intent (no intent is close). Write its answers, then save as a file in Intents/.")
            document.append((scalar("intents"), Node([Node(intent, .implicit, .block)], .implicit, .block)))
        } else {
            lines.append("# For the existing intent '\(suggestion.intent)' (\(suggestion.location ?? "")).")
            for (language, sources) in suggestion.patterns.sorted(by: { $0.key < $1.key }) {
                let last = kb.intent(id: suggestion.intent)?.patterns.filter { $0.language == language }.map(\.location).max { $0.line < $1.line }
                lines.append("# Add to its patterns, under \(language):" + (last.map { " (after \(Conversation.relative($0, to: kb.directory)))" } ?? ""))
                for line in yaml(list(sources, .singleQuoted)).split(separator: "\n") { lines.append("#   " + line) }
                if let examples = suggestion.examples[language], !examples.isEmpty {
                    lines.append("# and to its examples, under \(language):")
                    for line in yaml(list(Array(examples.prefix(maximumTexts)), .doubleQuoted)).split(separator: "\n") { lines.append("#   " + line) }
                }
            }
            if !phrasings.isEmpty { lines.append("# The cluster's other messages, as phrasings of the intent (this part loads as a file of its own):") }
        }
        if !phrasings.isEmpty {
            document.append((scalar("phrasings"), Node([(scalar(suggestion.intent), byLanguage(phrasings, .doubleQuoted))], .implicit, .block)))
        }
        var text = lines.joined(separator: "\n") + "\n"
        if !document.isEmpty { text += yaml(Node(document, .implicit, .block)) }
        return text
    }

    // MARK: - Pieces

    /// The pattern pieces for a language's messages: a vocabulary call for a word the
    /// vocabulary knows, else the word's stem with the misspellings seen, then `\w*`.
    private func pieces(for members: [GapCluster.Member], language: String) -> [String] {
        let finder = NearestIntentFinder(kb: kb)
        var counts: [String: Int] = [:]
        var spellings: [String: Set<String>] = [:]
        var corrector: [String: String] = [:]
        var frequency: [String: Int] = [:]
        for member in members { for word in GapWords.analyse(member.text).words { frequency[word, default: 0] += member.count } }
        let lexicon = frequency.filter { $0.value >= 2 }.sorted { $0.key < $1.key }.flatMap { Array(repeating: $0.key, count: min($0.value, 20)) }
        let local = SpellingCorrector(words: lexicon)
        for member in members {
            var seen = Set<String>()
            for word in GapWords.analyse(member.text).words {
                var meant = corrector[word] ?? finder.corrected([word])[0]
                if meant == word, (frequency[word] ?? 0) < 2, !kb.understanding.corrector.isKnown(word), let other = local.suggestion(for: word) { meant = other }
                corrector[word] = meant
                if seen.insert(meant).inserted { counts[meant, default: 0] += member.count }
                spellings[meant, default: []].insert(word)
            }
        }
        let scorer = kb.understanding.scorer
        let ranked = counts.sorted { a, b in
            let x = Double(a.value) * scorer.weight(of: WordStemmer.stem(a.key)), y = Double(b.value) * scorer.weight(of: WordStemmer.stem(b.key))
            return x != y ? x > y : a.key < b.key
        }
        var pieces: [String] = []
        for (word, _) in ranked.prefix(candidateWords) {
            let piece = vocabularyCall(for: word, language: language) ?? literal(word, spellings: spellings[word] ?? [word])
            if !pieces.contains(piece) { pieces.append(piece) }
        }
        return pieces
    }

    private func vocabularyCall(for word: String, language: String) -> String? {
        for concept in kb.understanding.scorer.concepts[word] ?? [] {
            let name = String(concept.dropFirst())
            for candidate in [name + "_" + language, name] where vocabulary.entries[candidate] != nil { return "\\b(?&\(candidate))" }
        }
        return nil
    }

    /// `\bstem\w*`, or `\b(stem|typo)\w*` with the misspellings the cluster shows.
    private func literal(_ word: String, spellings: Set<String>) -> String {
        // The stem when only an inflection was cut ("wholesal" of "wholesale", "verpack" of
        // "verpacken"), so other forms match too; the word itself when the stemmer cut part
        // of the word ("withou" of "without").
        let stem = WordStemmer.stem(word)
        let endings: Set<String> = ["e", "s", "n", "en", "es", "er", "em", "ing", "ed", "ung", "ungen"]
        let base = word.hasPrefix(stem) && stem.count >= 4 && endings.contains(String(word.dropFirst(stem.count))) ? stem : word
        var forms = [base]
        for spelling in spellings.sorted() where spelling != word && !spelling.hasPrefix(base) && forms.count < 4 {
            forms.append(spelling)
        }
        let escaped = forms.map(Self.escape)
        return escaped.count == 1 ? "\\b\(escaped[0])\\w*" : "\\b(" + escaped.joined(separator: "|") + ")\\w*"
    }

    static func escape(_ word: String) -> String {
        var out = ""
        for scalar in word.unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) { out.unicodeScalars.append(scalar) } else { out += "\\" + String(scalar) }
        }
        return out
    }

    private func compile(_ source: String) -> CompiledPattern? {
        guard let folded = try? TextFolder.foldPattern(source), vocabulary.unknownCalls(in: folded).isEmpty else { return nil }
        return try? CompiledPattern(vocabulary.expand(folded))
    }

    private func matches(_ pattern: CompiledPattern, _ folded: String) -> Bool {
        if case .match = pattern.firstMatch(in: folded, scratch: scratch) { return true }
        return false
    }

    /// A snake_case id from the cluster's words that no intent has yet.
    func newIntentID(_ words: [String]) -> String {
        var parts: [String] = []
        for word in words.prefix(3) {
            let ascii = String(String.UnicodeScalarView(word.unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }))
            if !ascii.isEmpty { parts.append(ascii) }
        }
        var base = parts.joined(separator: "_")
        if base.isEmpty || !("a"..."z").contains(base.unicodeScalars.first!) { base = "new_topic" + (base.isEmpty ? "" : "_" + base) }
        var id = base
        var number = 2
        while kb.intent(id: id) != nil { id = "\(base)_\(number)"; number += 1 }
        return id
    }
}
