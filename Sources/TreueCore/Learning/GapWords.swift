/// The words of a gap message that say what it is about: folded as the understanding
/// stages fold (`MessageWords`), without function words, numbers, order and other codes
/// (any word with a digit), e-mail addresses, links, redaction placeholders (`[email]`)
/// and the name a customer gives ("ich heiße Anna", "my name is Tom", "Frau Schmidt").
/// The result does not depend on a knowledge base, so transcripts can be grouped by it
/// while they stream.
public enum GapWords {
    /// Words after which a customer's name follows.
    static let nameCues: Set<String> = ["herr", "frau", "mr", "mrs", "ms", "miss", "dr", "heisse", "heiss", "heisst", "named", "called"]
    /// Two-word cues ("my name is Tom", "mein Name ist Anna", "ich bin Anna"), keyed by the
    /// word that ends them.
    static let nameCuePairs: Set<String> = ["name is", "name ist", "namen ist", "bin der", "bin die", "this is"]

    /// Question words and verbs that ask rather than name a topic ("gibt es", "do you
    /// offer", "is … possible"): left out beside the function words.
    static let askingWords: Set<String> = [
        "how", "why", "who", "where", "when", "what", "which", "much", "many", "offer", "available", "possible", "let", "know", "tell",
        "gibt", "geht", "gilt", "macht", "bietet", "biete", "bieten", "wann", "wo", "warum", "wieso", "weshalb", "welche", "welcher",
        "welches", "moeglich", "kannst", "koennt", "wisst", "sagen",
    ]

    public struct Analysis: Sendable, Equatable {
        /// Content words in message order, without repeats.
        public var words: [String]
        /// `de`, `en` or nil when the message has too few function words to tell.
        public var language: String?
    }

    public static func analyse(_ text: String) -> Analysis {
        // Whole tokens that are addresses, links or placeholders go before folding splits them.
        var kept: [Substring] = []
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            if token.contains("@") || token.contains("://") || token.lowercased().hasPrefix("www.") { continue }
            if token.hasPrefix("["), token.hasSuffix("]") { continue }
            kept.append(token)
        }
        let scanned = MessageWords.scan(TextFolder.fold(kept.joined(separator: " ")).folded).map(\.text)
        var german = 0, english = 0
        var words: [String] = []
        var seen = Set<String>()
        var skipNext = false
        for (index, word) in scanned.enumerated() {
            if FunctionWords.german.contains(word) { german += 1 }
            if FunctionWords.english.contains(word) { english += 1 }
            let cue = skipNext
            skipNext = nameCues.contains(word) || (index > 0 && nameCuePairs.contains(scanned[index - 1] + " " + word))
            if cue { continue }
            guard word.count >= 2, word.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic }),
                  !FunctionWords.all.contains(word), !FunctionWords.negators.contains(word), !askingWords.contains(word), !nameCues.contains(word), word != "name", word != "namen"
            else { continue }
            if seen.insert(word).inserted { words.append(word) }
        }
        let language: String? = german == english ? nil : (german > english ? "de" : "en")
        return Analysis(words: words, language: language)
    }

    /// The grouping key of a message: its content words, sorted, so word order, numbers and
    /// punctuation do not split a group ("charged twice for 123456" = "… for 98765").
    public static func key(_ words: [String]) -> String { words.sorted().joined(separator: " ") }
}
