/// The conditions on the whole message that open a pattern, taken apart from what the
/// pattern looks for: `(?&not_about_us)(?&no_english_words).*?\b(?&brand_shops)\b` is the
/// guard `^(?&not_about_us)(?&no_english_words)` and the search `\b(?&brand_shops)\b`.
///
/// The out-of-scope layer opens a dozen patterns with the same guards, and each guard
/// reads the whole message for every name it excludes; written in front, they ran for every
/// pattern whose list of names had a word of the message, which was most of them. Taken
/// apart, the search runs first (PCRE2 skips to the letters a name can start with), and a
/// guard runs only when the search found something, once per message however many patterns
/// share it.
///
/// A pattern is split only when its first guard is anchored (`^(?!…)` or `^(?=…)`), so every
/// lookaround up to the search applies at the start of the message. What it matches stays
/// the same: the search is anchored there too, unless it began with `.*?`, and then its hit
/// is reported from the start of the message as before.
///
/// The guard runs as its conditions, one lookaround each, in order. A condition
/// `(?!.*X)` or `(?=.*X)` runs as a search for `X`: PCRE2 skips to where `X` can start,
/// where the lookaround tried all of `X` at every character (a guard of a few hundred names
/// cost a long message 140,000 instructions). Conditions shared by several guards run once
/// per message. Both read a message as one line, as the whole pattern's `.*` does: the
/// server refuses control bytes, and a tab becomes a space.
struct MessageGuard: Sendable, Equatable {
    /// One lookaround of the guard.
    struct Condition: Sendable, Hashable {
        /// `X` of `(?!.*X)` or `(?=.*X)` when `searchesAnywhere`, else `^` and the lookaround.
        let source: String
        let searchesAnywhere: Bool
        /// The guard holds only if `source` matches (`(?=.*X)`, or a lookaround as written),
        /// or only if it does not (`(?!.*X)`).
        let mustMatch: Bool

        init(source: String, searchesAnywhere: Bool, mustMatch: Bool) {
            self.source = source
            self.searchesAnywhere = searchesAnywhere
            self.mustMatch = mustMatch
        }

        /// A lookaround as a condition: a search where the lookaround opens with `.*` and
        /// holds one alternative (`(?!.*a|b)` tests `b` at the start only), else as written.
        init(lookaround text: String) {
            let mustMatch = text.hasPrefix("(?=")
            let inner = String(text.dropFirst(3).dropLast())
            for opening in [".*?", ".*"] where inner.hasPrefix(opening) {
                let body = String(inner.dropFirst(opening.count))
                // `.*+` and `.*{` are other quantifiers; (*ACCEPT) and \K would end or move the
                // match the search reports; a back reference counts groups outside it.
                if let first = body.first, !"+?*{".contains(first), !body.containsBytes("(*"), !Self.refersBack(body),
                   Vocabulary.topLevelAlternatives(inner).count == 1 {
                    self.init(source: Self.gathered(body), searchesAnywhere: true, mustMatch: mustMatch)
                    return
                }
                break
            }
            // As written, the lookaround holds where `^` and it match.
            self.init(source: "^" + text, searchesAnywhere: false, mustMatch: true)
        }

        /// A body that is one group of alternatives, its neighbours gathered by first letter
        /// (see `Vocabulary.factored`): the search tries it at every position.
        private static func gathered(_ body: String) -> String {
            let scalars = Substring(body).unicodeScalars[...]
            guard body.hasPrefix("(?:"), let group = MessageGuard.leadingGroup(scalars), group.count == scalars.count else { return body }
            return "(?:" + Vocabulary.factored(String(body.dropFirst(3).dropLast()), gatheringBoundaries: true) + ")"
        }

        private static func refersBack(_ body: String) -> Bool {
            let bytes = Array(body.utf8)
            return body.containsBytes("(?P=") || zip(bytes, bytes.dropFirst()).contains { first, second in
                first == UInt8(ascii: "\\") && (second == UInt8(ascii: "K") || second == UInt8(ascii: "g") || second == UInt8(ascii: "k")
                    || (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(second))
            }
        }
    }

    /// The guard as one pattern: `^` and the lookarounds and guard calls, in order.
    let guardSource: String
    /// The same guard as conditions, vocabulary calls opened into their lookarounds.
    let conditions: [Condition]
    /// What the pattern looks for.
    let searchSource: String
    /// The search dropped a leading `.*?`: its hit starts at the message's start.
    let startsAtMessageStart: Bool

    /// Splits `folded`, or nil when it does not open with an anchored guard.
    static func split(_ folded: String, vocabulary: Vocabulary) -> MessageGuard? {
        // A top-level `|` would take the guard away from the other branches.
        guard !folded.containsBytes("\\K"), !folded.containsBytes("(*"), Vocabulary.topLevelAlternatives(folded).count == 1 else { return nil }
        var scalars = Substring(folded).unicodeScalars[...]
        var guardSource = "^"
        var conditions: [Condition] = []
        var anchored = false
        if scalars.first == "^" {
            scalars = scalars.dropFirst()
            anchored = true
        }
        while let group = leadingGroup(scalars) {
            let text = String(Substring(group))
            if text.hasPrefix("(?!") || text.hasPrefix("(?=") {
                guard anchored else { return nil }
                conditions.append(Condition(lookaround: text))
            } else if text.hasPrefix("(?&"), let entry = vocabulary.entries[String(text.dropFirst(3).dropLast())],
                      isAnchoredGuard(entry.pattern) {
                anchored = true
                conditions += lookarounds(ofGuard: entry.pattern).map(Condition.init(lookaround:))
            } else {
                break
            }
            guardSource += text
            scalars = scalars.dropFirst(group.count)
        }
        guard anchored, guardSource.count > 1 else { return nil }
        var search = String(Substring(scalars))
        let lazyStart = search.hasPrefix(".*?")
        if lazyStart { search.removeFirst(3) } else { search = "^" + search }
        guard !search.isEmpty, search != "^" else { return nil }
        return MessageGuard(guardSource: guardSource, conditions: conditions, searchSource: search, startsAtMessageStart: lazyStart)
    }

    /// The lookarounds of an entry `isAnchoredGuard` accepts, in order.
    static func lookarounds(ofGuard pattern: String) -> [String] {
        var scalars = Substring(pattern).unicodeScalars.dropFirst()
        var found: [String] = []
        while let group = leadingGroup(scalars) {
            found.append(String(Substring(group)))
            scalars = scalars.dropFirst(group.count)
        }
        return found
    }

    /// An entry that is `^` and lookarounds only: a condition on the whole message.
    static func isAnchoredGuard(_ pattern: String) -> Bool {
        var scalars = Substring(pattern).unicodeScalars[...]
        guard scalars.first == "^" else { return false }
        scalars = scalars.dropFirst()
        var groups = 0
        while let group = leadingGroup(scalars) {
            let text = String(Substring(group))
            guard text.hasPrefix("(?!") || text.hasPrefix("(?=") else { return false }
            scalars = scalars.dropFirst(group.count)
            groups += 1
        }
        return groups > 0 && scalars.isEmpty
    }

    /// The parenthesised group at the start of `scalars`, if it starts with one.
    private static func leadingGroup(_ scalars: Substring.UnicodeScalarView.SubSequence) -> Substring.UnicodeScalarView.SubSequence? {
        guard scalars.first == "(" else { return nil }
        var depth = 0
        var inClass = false
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if scalar == "\\" {
                index = scalars.index(after: index)
                if index < scalars.endIndex { index = scalars.index(after: index) }
                continue
            }
            if inClass {
                if scalar == "]" { inClass = false }
            } else if scalar == "[" {
                inClass = true
                var next = scalars.index(after: index)
                if next < scalars.endIndex, scalars[next] == "^" { next = scalars.index(after: next) }
                if next < scalars.endIndex, scalars[next] == "]" { index = next }
            } else if scalar == "(" {
                depth += 1
            } else if scalar == ")" {
                depth -= 1
                if depth == 0 {
                    let end = scalars.index(after: index)
                    // A quantified group is no plain condition.
                    if end < scalars.endIndex, "?*+{".unicodeScalars.contains(scalars[end]) { return nil }
                    return scalars[scalars.startIndex..<end]
                }
            }
            index = scalars.index(after: index)
        }
        return nil
    }
}
