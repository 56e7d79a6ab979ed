/// The knowledge base's `word_forms`: other spellings of a word (dialect, colloquial and
/// chat forms), read as the word meant before any pattern runs. A form ending in `*` is a
/// prefix: "zruck*" reads "zruckgschickt" as "zurueckgschickt", so the compounds of a
/// dialect word need no entry each.
public struct WordForms: Sendable {
    private let whole: [String: String]
    /// Prefix forms by their first byte, longest first.
    private let prefixes: [UInt8: [(prefix: [UInt8], meant: String)]]

    /// `entries`: folded forms (a trailing `*` marks a prefix) and the words they mean; the
    /// first meaning written wins (`treue check` reports a form given two).
    public init(_ entries: [(form: String, meant: String)]) {
        var whole: [String: String] = [:]
        var prefixes: [UInt8: [(prefix: [UInt8], meant: String)]] = [:]
        var seenPrefixes: Set<String> = []
        for entry in entries where entry.form != entry.meant {
            if entry.form.hasSuffix("*") {
                let prefix = String(entry.form.dropLast())
                guard let first = prefix.utf8.first, seenPrefixes.insert(prefix).inserted else { continue }
                prefixes[first, default: []].append((Array(prefix.utf8), entry.meant))
            } else if whole[entry.form] == nil {
                whole[entry.form] = entry.meant
            }
        }
        self.whole = whole
        self.prefixes = prefixes.mapValues { $0.sorted { $0.prefix.count > $1.prefix.count } }
    }

    public var isEmpty: Bool { whole.isEmpty && prefixes.isEmpty }

    /// Every word a form can turn into.
    public var meanings: Set<String> { Set(whole.values).union(prefixes.values.flatMap { $0.map(\.meant) }) }

    /// The word `word` is read as, or nil when it is no listed form.
    public func reading(_ word: String) -> String? {
        if let meant = whole[word] { return meant }
        let bytes = word.utf8
        guard let first = bytes.first, let candidates = prefixes[first] else { return nil }
        for candidate in candidates where bytes.starts(with: candidate.prefix) {
            return candidate.meant + String(decoding: bytes.dropFirst(candidate.prefix.count), as: UTF8.self)
        }
        return nil
    }

    /// `words` with each form read as its word (a meaning of two words gives two).
    public func read(_ words: [String]) -> [String] {
        guard !isEmpty else { return words }
        return words.flatMap { word in reading(word).map { $0.split(separator: " ").map(String.init) } ?? [word] }
    }
}
