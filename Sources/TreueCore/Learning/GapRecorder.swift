/// Collects the messages the knowledge base did not serve well while a review streams:
/// fallbacks, clarifying questions and answers that got a thumbs-down. Messages with the
/// same content words (`GapWords.key`) share one entry, so memory grows with distinct
/// gap texts, and at most `capacity` of those are kept; later new texts are only counted
/// (`dropped`), so a flood of unique garbage cannot exhaust memory.
///
/// Each entry keeps its counts for at most the last seven days it was seen on, which is
/// enough to tell how many of its messages fall into the last seven days of the whole
/// period once the period's end is known.
public struct GapRecorder: Sendable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// No intent: the fallback answer.
        case fallback
        /// Two intents were close: the customer was asked which one.
        case clarify
        /// The answer got `/rate down`.
        case thumbsDown = "thumbs_down"
    }

    /// The default for `capacity`: 20,000 distinct gap texts take a few megabytes.
    public static let defaultCapacity = 20_000
    /// Days that count as recent for growth.
    public static let recentDays = 7

    public struct Entry: Sendable {
        public let words: [String]
        public let language: String?
        public internal(set) var count = 0
        public internal(set) var kinds: [Kind: Int] = [:]
        /// Up to three different texts, as stored (redacted).
        public internal(set) var examples: [String] = []
        /// (day number, messages) for the latest days seen, at most `recentDays` days apart.
        var days: [(day: Int, count: Int)] = []

        /// Messages on days `from...` .
        func count(since day: Int) -> Int { days.filter { $0.day >= day }.reduce(0) { $0 + $1.count } }
    }

    public let capacity: Int
    public private(set) var entries: [String: Entry] = [:]
    public private(set) var messages = 0
    public private(set) var byKind: [Kind: Int] = [:]
    /// Messages whose text was new after `capacity` distinct texts were kept.
    public private(set) var dropped = 0
    /// Messages with no content word left (only numbers, greetings, a code).
    public private(set) var contentless = 0
    public private(set) var firstDay: Int?
    public private(set) var lastDay: Int?

    public init(capacity: Int = GapRecorder.defaultCapacity) {
        self.capacity = capacity
    }

    /// `day`: days since 1970 of the message's record.
    public mutating func add(_ text: String, kind: Kind, day: Int) {
        messages += 1
        byKind[kind, default: 0] += 1
        firstDay = min(firstDay ?? day, day)
        lastDay = max(lastDay ?? day, day)
        let analysis = GapWords.analyse(text)
        guard !analysis.words.isEmpty else { contentless += 1; return }
        let key = GapWords.key(analysis.words)
        if entries[key] == nil {
            guard entries.count < capacity else { dropped += 1; return }
            entries[key] = Entry(words: analysis.words, language: analysis.language)
        }
        entries[key]!.record(text, kind: kind, day: day)
    }
}

extension GapRecorder.Entry {
    mutating func record(_ text: String, kind: GapRecorder.Kind, day: Int) {
        count += 1
        kinds[kind, default: 0] += 1
        if examples.count < 3, !examples.contains(text) { examples.append(text) }
        if let index = days.firstIndex(where: { $0.day == day }) {
            days[index].count += 1
            return
        }
        let latest = days.map(\.day).max() ?? day
        // Older than the window of this entry's latest day: it cannot be in the period's
        // last seven days either, since the period ends on or after that day.
        guard day > latest - GapRecorder.recentDays else { return }
        days.append((day, 1))
        let newest = max(latest, day)
        days.removeAll { $0.day <= newest - GapRecorder.recentDays }
    }
}
