import Foundation

/// Groups gap texts by meaning: by their content words after spelling tolerance, weighed
/// by how rare each word is among the gaps.
///
/// Each text becomes stems (`WordStemmer`) of its words, misspellings read first as the
/// knowledge base's words (`SpellingCorrector`) and then as a more frequent word of the
/// other gaps (a word seen once, one or two edits from a word seen more often), plus the
/// vocabulary concepts the words belong to at half weight (`retoure` and `send back` are
/// both `@return`). Texts are taken most frequent first; each joins the group whose
/// typical words explain it best, when that explanation (harmonic mean of how much of the
/// text the group's words explain and how much of the group's core the text has) reaches
/// `threshold`, or starts a new group. Words only one text has cannot join texts, so they
/// are left out of the text's weight.
public struct GapClusterer: Sendable {
    public let finder: NearestIntentFinder
    public var threshold = 0.4
    /// Clusters listed (with their nearest intent); all are counted.
    public var limit = 100
    /// A rising cluster needs at least this many recent messages.
    public var minimumRecent = 2

    public init(kb: KnowledgeBase) { finder = NearestIntentFinder(kb: kb) }

    /// A text to group: its words, how often it was seen, and what the report needs.
    public struct Item: Sendable {
        public var words: [String]
        public var count: Int
        public var language: String?
        public var examples: [String]
        public var kinds: [GapRecorder.Kind: Int]
        public var recent: Int

        public init(words: [String], count: Int = 1, language: String? = nil, examples: [String] = [], kinds: [GapRecorder.Kind: Int] = [:], recent: Int = 0) {
            self.words = words
            self.count = count
            self.language = language
            self.examples = examples
            self.kinds = kinds
            self.recent = recent
        }
    }

    /// Groups of item indices, largest (by messages) first.
    public func groups(_ items: [Item]) -> [[Int]] {
        let prepared = prepare(items)
        let order = items.indices.sorted { (items[$0].count, items[$1].words.joined(separator: " ")) > (items[$1].count, items[$0].words.joined(separator: " ")) }
        var clusters: [Profile] = []
        var postings: [String: [Int]] = [:]
        for index in order {
            let terms = prepared.terms[index]
            let shareable = terms.filter { (prepared.df[$0] ?? 0) > 1 }
            var best: (cluster: Int, similarity: Double)?
            var candidates = Set<Int>()
            // Groups that share one of the text's three weightiest words: a group sharing
            // only its light words cannot explain enough of it.
            for term in shareable.sorted(by: { (prepared.weight[$0] ?? 0, $1) > (prepared.weight[$1] ?? 0, $0) }).prefix(3) {
                candidates.formUnion(postings[term] ?? [])
            }
            for candidate in candidates.sorted() {
                let similarity = clusters[candidate].similarity(shareable, weights: prepared.weight)
                if similarity >= threshold, similarity > (best?.similarity ?? 0) { best = (candidate, similarity) }
            }
            if let best {
                for term in terms where clusters[best.cluster].counts[term] == nil { postings[term, default: []].append(best.cluster) }
                clusters[best.cluster].add(index, terms: terms, weights: prepared.weight)
            } else {
                for term in terms { postings[term, default: []].append(clusters.count) }
                var profile = Profile()
                profile.add(index, terms: terms, weights: prepared.weight)
                clusters.append(profile)
            }
        }
        // Second look: a small group whose core words a larger group explains joins it
        // (the order of the first pass can split a topic between two groups).
        var merged = Array(repeating: false, count: clusters.count)
        let messages = { (cluster: Int) in clusters[cluster].members.reduce(0) { $0 + items[$1].count } }
        for small in clusters.indices.sorted(by: { (messages($0), $1) < (messages($1), $0) }) {
            let core = clusters[small].core(prepared.weight)
            guard !core.isEmpty else { continue }
            var best: (cluster: Int, similarity: Double)?
            var candidates = Set<Int>()
            for term in core { candidates.formUnion(postings[term] ?? []) }
            for other in candidates.sorted() where other != small && !merged[other] && messages(other) >= messages(small) {
                let similarity = clusters[other].similarity(core, weights: prepared.weight)
                if similarity >= threshold, similarity > (best?.similarity ?? 0) { best = (other, similarity) }
            }
            guard let best else { continue }
            for member in clusters[small].members { clusters[best.cluster].add(member, terms: prepared.terms[member], weights: prepared.weight) }
            for term in clusters[small].counts.keys { postings[term, default: []].append(best.cluster) }
            merged[small] = true
        }
        return clusters.indices.filter { !merged[$0] }.map { clusters[$0].members }.sorted {
            let a = $0.reduce(0) { $0 + items[$1].count }, b = $1.reduce(0) { $0 + items[$1].count }
            return a != b ? a > b : ($0.first ?? 0) < ($1.first ?? 0)
        }
    }

    /// The report of a review: clusters with their growth and nearest intent.
    /// `period`: the first and last day (days since 1970) of the whole review.
    public func report(_ recorder: GapRecorder, period: ClosedRange<Int>?, outOfScope: Int) -> GapReport {
        let lastDay = period?.upperBound ?? recorder.lastDay ?? 0
        let periodDays = period.map { $0.upperBound - $0.lowerBound + 1 } ?? 0
        let since = lastDay - GapRecorder.recentDays + 1
        let items = recorder.entries.sorted { $0.key < $1.key }.map { _, entry in
            Item(words: entry.words, count: entry.count, language: entry.language, examples: entry.examples, kinds: entry.kinds,
                 recent: entry.count(since: since))
        }
        let found = groups(items)
        var clusters = found.prefix(limit).enumerated().map { rank, members in
            cluster(members.map { items[$0] }, rank: rank + 1, periodDays: periodDays)
        }
        let rising = clusters.indices.filter { (clusters[$0].isNew || (clusters[$0].growth ?? 0) > 1) && clusters[$0].recent >= minimumRecent }
            .sorted { a, b in
                let x = clusters[a], y = clusters[b]
                let gx = x.isNew ? Double.infinity : x.growth ?? 0, gy = y.isNew ? Double.infinity : y.growth ?? 0
                return gx != gy ? gx > gy : x.recent != y.recent ? x.recent > y.recent : x.rank < y.rank
            }
        for (position, index) in rising.enumerated() { clusters[index].risingRank = position + 1 }
        return GapReport(messages: recorder.messages, fallback: recorder.byKind[.fallback] ?? 0, clarify: recorder.byKind[.clarify] ?? 0,
                         thumbsDown: recorder.byKind[.thumbsDown] ?? 0, outOfScope: outOfScope, contentless: recorder.contentless,
                         distinctTexts: recorder.entries.count, capacity: recorder.capacity, dropped: recorder.dropped,
                         periodDays: periodDays, recentDays: GapRecorder.recentDays, clusterCount: found.count, clusters: clusters)
    }

    /// The figures of one group of items.
    public func cluster(_ members: [Item], rank: Int, periodDays: Int) -> GapCluster {
        let sorted = members.sorted { ($0.count, $1.words.joined(separator: " ")) > ($1.count, $0.words.joined(separator: " ")) }
        let messages = members.reduce(0) { $0 + $1.count }
        // Shared words: in at least half of the messages (at least the most frequent word).
        var wordCounts: [String: Int] = [:]
        for item in members { for word in Set(finder.corrected(item.words)) { wordCounts[word, default: 0] += item.count } }
        let ranked = wordCounts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        var words = ranked.filter { $0.value * 2 >= messages }.map(\.key)
        if words.isEmpty, let first = ranked.first { words = [first.key] }
        let recent = members.reduce(0) { $0 + $1.recent }
        let earlier = messages - recent
        var growth: Double?
        var isNew = false
        if periodDays > GapRecorder.recentDays {
            if earlier == 0 { isNew = recent > 0 } else {
                growth = (Double(recent) / Double(GapRecorder.recentDays)) / (Double(earlier) / Double(periodDays - GapRecorder.recentDays))
            }
        }
        var languages: [String: Int] = [:]
        var kinds: [GapRecorder.Kind: Int] = [:]
        for item in members {
            languages[item.language ?? "?", default: 0] += item.count
            for (kind, count) in item.kinds { kinds[kind, default: 0] += count }
        }
        var examples: [String] = []
        for item in sorted { for text in item.examples.prefix(1) where examples.count < 5 { examples.append(text) } }
        let (nearest, closest) = nearestIntent(sorted)
        var cluster = GapCluster(rank: rank, risingRank: nil, messages: messages, distinct: members.count, fallback: kinds[.fallback] ?? 0,
                          clarify: kinds[.clarify] ?? 0, thumbsDown: kinds[.thumbsDown] ?? 0, words: Array(words.prefix(8)), examples: examples,
                          languages: languages, recent: recent, earlier: earlier, growth: growth, isNew: isNew,
                          nearest: nearest, closest: closest)
        cluster.members = sorted.compactMap { item in item.examples.first.map { GapCluster.Member(text: $0, count: item.count, language: item.language) } }
        return cluster
    }

    /// Each of the group's most frequent texts is ranked on its own, as a single message
    /// would be; an intent close to at least half of those messages is the group's nearest.
    /// Its coverage is the mean over them, its evidence the words they share with it.
    private func nearestIntent(_ members: [Item]) -> (nearest: NearestIntentFinder.Candidate?, closest: NearestIntentFinder.Candidate?) {
        var votes: [String: (messages: Int, coverage: Double, score: Double, shared: [String], example: String?)] = [:]
        var judged = 0
        var closest: NearestIntentFinder.Candidate?
        for item in members.prefix(20) {
            judged += item.count
            guard let best = finder.rank(words: item.words, limit: 1).first else { continue }
            if closest.map({ best.coverage > $0.coverage }) ?? true { closest = best }
            guard finder.isClose(best) else { continue }
            var vote = votes[best.intent] ?? (0, 0, 0, [], best.example)
            vote.messages += item.count
            vote.coverage += best.coverage * Double(item.count)
            vote.score += best.score * Double(item.count)
            for word in best.shared where !vote.shared.contains(word) { vote.shared.append(word) }
            votes[best.intent] = vote
        }
        guard let (intent, vote) = votes.max(by: { ($0.value.messages, $1.key) < ($1.value.messages, $0.key) }), vote.messages * 2 >= judged else {
            return (nil, closest)
        }
        let count = Double(vote.messages)
        return (NearestIntentFinder.Candidate(intent: intent, score: vote.score / count, coverage: vote.coverage / count, matched: vote.shared.count,
                                              shared: Array(vote.shared.prefix(6)), example: vote.example), closest)
    }

    // MARK: - Terms

    private struct Prepared {
        var terms: [Set<String>]
        var df: [String: Int]
        var weight: [String: Double]
    }

    /// A group's typical words: how many of its texts have each term.
    private struct Profile {
        static let minimumExplained = 0.35
        static let newMeaningShare = 2.0

        var members: [Int] = []
        var counts: [String: Int] = [:]
        /// The core terms with their weights, worked out on each addition (not on each comparison).
        var coreTerms: [(term: String, weight: Double)] = []
        var coreWeight = 0.0

        mutating func add(_ member: Int, terms: Set<String>, weights: [String: Double]) {
            members.append(member)
            for term in terms { counts[term, default: 0] += 1 }
            coreTerms = counts.filter { Self.isCore($0.value, of: members.count) }.map { ($0.key, weights[$0.key] ?? 0) }
            coreWeight = coreTerms.reduce(0) { $0 + $1.weight }
        }

        /// The terms at least half of its texts have (and that can be shared).
        func core(_ weights: [String: Double]) -> Set<String> {
            Set(coreTerms.filter { $0.weight > 0 }.map(\.term))
        }

        /// In more than half of the texts (every text of one or two).
        static func isCore(_ count: Int, of size: Int) -> Bool { count * 2 > size || count == size }

        func similarity(_ terms: Set<String>, weights: [String: Double]) -> Double {
            let size = Double(members.count)
            var explained = 0.0, total = 0.0
            for term in terms {
                let weight = weights[term] ?? 0
                total += weight
                explained += weight * Double(counts[term] ?? 0) / size
            }
            let core = coreWeight
            var covered = 0.0
            for (term, weight) in coreTerms where terms.contains(term) { covered += weight }
            guard total > 0, core > 0 else { return 0 }
            let a = explained / total, b = covered / core
            // A group must explain most of a text: one common word ("paket") shared with a
            // text about something else ("Geschenkverpackung für mein Paket") is not enough.
            // Nor may a text bring more new meaning than the group's core has.
            guard a >= Self.minimumExplained, total - explained <= core * Self.newMeaningShare else { return 0 }
            return a + b == 0 ? 0 : 2 * a * b / (a + b)
        }
    }

    /// The words of the other gaps a German compound starts with ("zollgebuehren" has
    /// "zoll") or ends with when that is itself long ("tiefpreisgarantie" has
    /// "preisgarantie"), so it meets texts that use them alone.
    static func parts(of word: String, known: [String: Int]) -> [String] {
        let letters = Array(word.unicodeScalars)
        guard letters.count >= 8 else { return [] }
        var parts: [String] = []
        for cut in 4...(letters.count - 4) {
            let head = String(String.UnicodeScalarView(letters[..<cut])), tail = String(String.UnicodeScalarView(letters[cut...]))
            if (known[head] ?? 0) >= 2 { parts.append(head) }
            // A short last part is the generic head ("verpackung" of "geschenkverpackung"):
            // it would join unrelated topics, so only a long one counts.
            if letters.count - cut >= 12, (known[tail] ?? 0) >= 2 { parts.append(tail) }
        }
        return parts
    }

    private func prepare(_ items: [Item]) -> Prepared {
        // Words seen in one message only may be typos of a word the other gaps use more.
        var frequency: [String: Int] = [:]
        for item in items { for word in item.words { frequency[word, default: 0] += item.count } }
        var lexicon: [String] = []
        for (word, count) in frequency.sorted(by: { $0.key < $1.key }) where count >= 2 {
            lexicon += Array(repeating: word, count: min(count, 20))
        }
        let gapCorrector = SpellingCorrector(words: lexicon)
        let kbCorrector = finder.kb.understanding.corrector
        let concepts = finder.kb.understanding.scorer.concepts
        var terms: [Set<String>] = []
        var df: [String: Int] = [:]
        for item in items {
            var set = Set<String>()
            for word in finder.corrected(item.words) {
                var word = word
                if (frequency[word] ?? 0) < 2, !kbCorrector.isKnown(word), word.count >= SpellingCorrector.minimumLength,
                   let other = gapCorrector.suggestion(for: word) { word = other }
                set.insert(WordStemmer.stem(word))
                for concept in concepts[word] ?? [] { set.insert(concept) }
                for part in Self.parts(of: word, known: frequency) { set.insert(WordStemmer.stem(part)) }
            }
            terms.append(set)
            for term in set { df[term, default: 0] += 1 }
        }
        // A topic word is rare in the knowledge base and common among the gaps.
        let scorer = finder.kb.understanding.scorer
        var weight: [String: Double] = [:]
        for (term, frequency) in df {
            let value = scorer.weight(of: term) * log(1 + Double(frequency))
            weight[term] = frequency < 2 ? 0 : term.hasPrefix("@") ? value / 2 : value
        }
        return Prepared(terms: terms, df: df, weight: weight)
    }
}
