import Foundation

/// Clusters checked against known topics. Purity: the share of messages that are in a
/// cluster whose most common topic is theirs. Completeness: the share of messages that
/// are in the cluster holding most of their topic. Both are 1 for a perfect grouping;
/// one cluster for everything has full completeness, one per message full purity.
public struct ClusterQuality: Sendable, Codable {
    public var messages = 0
    public var topics = 0
    public var clusters = 0
    public var purity = 0.0
    /// Against topics alone, and against topic and language (a new word in German and in
    /// English shares no word, so two clusters for one topic are expected there).
    public var completeness = 0.0
    public var completenessByLanguage = 0.0

    /// Groups the messages of a labelled file (`topic<TAB>lang<TAB>text`) as gaps and
    /// compares the clusters with the topics.
    public static func evaluate(tsv: String, kb: KnowledgeBase, threshold: Double? = nil) -> ClusterQuality {
        var recorder = GapRecorder(capacity: Int.max)
        var labels: [(topic: String, lang: String, key: String)] = []
        for (number, line) in tsv.split(whereSeparator: \.isNewline).enumerated() {
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, !(number == 0 && fields[0] == "topic") else { continue }
            let text = String(fields[2])
            let words = GapWords.analyse(text).words
            guard !words.isEmpty else { continue }
            recorder.add(text, kind: .fallback, day: 0)
            labels.append((String(fields[0]), String(fields[1]), GapWords.key(words)))
        }
        var clusterer = GapClusterer(kb: kb)
        if let threshold { clusterer.threshold = threshold }
        let keys = recorder.entries.keys.sorted()
        let items = keys.map { key in
            let entry = recorder.entries[key]!
            return GapClusterer.Item(words: entry.words, count: entry.count)
        }
        var clusterOf: [String: Int] = [:]
        for (cluster, members) in clusterer.groups(items).enumerated() { for member in members { clusterOf[keys[member]] = cluster } }
        return measure(labels.map { ($0.topic, $0.lang, clusterOf[$0.key] ?? -1) })
    }

    /// The figures for (topic, language, cluster) per message.
    public static func measure(_ assigned: [(topic: String, lang: String, cluster: Int)]) -> ClusterQuality {
        var quality = ClusterQuality()
        quality.messages = assigned.count
        guard !assigned.isEmpty else { return quality }
        func majoritySum<K: Hashable, V: Hashable>(_ pairs: [(K, V)]) -> Int {
            var table: [K: [V: Int]] = [:]
            for (key, value) in pairs { table[key, default: [:]][value, default: 0] += 1 }
            return table.values.reduce(0) { $0 + ($1.values.max() ?? 0) }
        }
        let total = Double(assigned.count)
        quality.topics = Set(assigned.map(\.topic)).count
        quality.clusters = Set(assigned.map(\.cluster)).count
        quality.purity = Double(majoritySum(assigned.map { ($0.cluster, $0.topic) })) / total
        quality.completeness = Double(majoritySum(assigned.map { ($0.topic, $0.cluster) })) / total
        quality.completenessByLanguage = Double(majoritySum(assigned.map { ($0.topic + "\u{0}" + $0.lang, $0.cluster) })) / total
        return quality
    }

    public var text: String {
        String(format: "gap clusters: %d messages, %d topics, %d clusters; purity %.3f, completeness %.3f (by topic and language %.3f)",
               messages, topics, clusters, purity, completeness, completenessByLanguage)
    }
}
