/// Reads a customer's misspelt word as the knowledge base's word it was meant to be.
///
/// The lexicon is every word the knowledge base itself uses (examples, counter-examples,
/// titles, answers, the literal words of patterns) plus the function words and everyday
/// words (`EverydayWords`: "schlafen" is no misspelt "schaden"). A word that is
/// no known word, and whose stem is no known stem, is replaced by the known word one edit
/// away (two for words of eight letters or more), starting with the same letter, where an edit is a letter dropped, added,
/// changed or two neighbours swapped. Ties go to the word the knowledge base uses most,
/// then to the alphabetically first, so the result never depends on load order. Numbers,
/// codes, e-mail addresses and words under five letters are never changed, nor is a word of
/// the language the knowledge base lists under `dictionary_words` ("Ofen" is no misspelt
/// "offen", "project" no "protect"), except for a left-out umlaut or double letter
/// ("konnte" typed for "könnte").
public final class SpellingCorrector: Sendable {
    /// A word the corrector changed.
    public struct Correction: Sendable, Equatable {
        public let from: String
        public let to: String
        public let range: Range<Int>
    }

    private let frequency: [String: Int]
    private let authored: Set<String>
    /// Words of the language that are no typos: never changed by an edit, split or swap.
    private let dictionary: Set<String>
    private let forms: WordForms
    private let stems: Set<String>
    /// Deletion neighbourhoods (symmetric delete): a string with one or two letters left
    /// out → the known words it came from. Keyed by a hash of the letters, so neither
    /// building nor asking makes a string per variant; a collision only adds a candidate,
    /// and every candidate's distance is checked.
    private let deletions: [UInt64: [String]]
    /// Known words of four letters or more by the same hash: a customer's word with a
    /// letter too many becomes one of them by a deletion.
    private let wordsByHash: [UInt64: [String]]
    /// Known words by the hash of their form with the umlaut's `e` or one of a double
    /// consonant left out: a customer's word is looked up once, not once per letter.
    private let restorable: [UInt64: [String]]
    /// Letter-multiset signatures of the words used twice or more: a swap keeps a word's
    /// letters, so a word whose signature is not here becomes no known word by one.
    private let anagrams: Set<UInt64>

    static let minimumLength = 5
    /// Longer "words" are pasted codes or noise; their deletion neighbourhood would grow
    /// with the square of their length.
    static let maximumLength = 30
    static let twoEditLength = 8

    /// - Parameter authored: words an author wrote into a pattern or the vocabulary. Such a
    ///   word is meant as written ("Wolt" the delivery service is no "wollt"), so it is never
    ///   restored to a neighbour.
    /// - Parameter forms: other spellings the author listed (`word_forms`), read as the
    ///   word they mean before the patterns run.
    /// - Parameter dictionary: words of the language (`dictionary_words`), folded.
    public init(words: [String], authored: Set<String> = [], forms: WordForms = WordForms([]), dictionary: Set<String> = []) {
        self.authored = authored
        self.dictionary = dictionary
        self.forms = forms
        var frequency: [String: Int] = [:]
        for word in words where word.count >= 2 && word.unicodeScalars.allSatisfy(\.isAlphabetic) {
            frequency[word, default: 0] += 1
        }
        for word in FunctionWords.all { frequency[word, default: 0] += 1 }
        for word in EverydayWords.all.union(FunctionWords.negators) { frequency[word, default: 0] += 1 }
        self.frequency = frequency
        stems = Set(frequency.keys.map(WordStemmer.stem))
        var deletions: [UInt64: [String]] = [:]
        var wordsByHash: [UInt64: [String]] = [:]
        for word in frequency.keys.sorted() where word.count >= Self.minimumLength - 1 {
            let letters = Array(word.unicodeScalars)
            wordsByHash[Self.hash(letters), default: []].append(word)
            for variant in Self.deletes(of: letters, depth: word.count >= Self.twoEditLength ? 2 : 1) {
                deletions[variant, default: []].append(word)
            }
        }
        self.deletions = deletions
        self.wordsByHash = wordsByHash
        var restorable: [UInt64: [String]] = [:]
        for word in frequency.keys.sorted() where word.utf8.count >= Self.minimumLength && !FunctionWords.all.contains(word) {
            let letters = Array(word.unicodeScalars)
            guard letters.allSatisfy({ ("a"..."z").contains($0) }) else { continue }
            var seen = Set<UInt64>()
            for index in letters.indices.dropFirst() where Self.isRestorable(letters, at: index) {
                let key = Self.hash(letters, skipping: index, and: index)
                if seen.insert(key).inserted { restorable[key, default: []].append(word) }
            }
        }
        self.restorable = restorable
        var anagrams = Set<UInt64>()
        for (word, count) in frequency where count >= 2 && word.utf8.count >= 4 && word.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) {
            anagrams.insert(Self.signature(word.utf8))
        }
        self.anagrams = anagrams
    }

    /// The same for any order of the same letters.
    static func signature<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var sum: UInt64 = 0
        for byte in bytes {
            var mixed = UInt64(byte) &* 0x9E37_79B9_7F4A_7C15
            mixed ^= mixed >> 29
            sum &+= mixed &* 0xBF58_476D_1CE4_E5B9
        }
        return sum
    }

    /// An `e` after a, o or u (an umlaut spelled out), or the second of a doubled
    /// consonant: the letter a typist leaves out.
    private static func isRestorable(_ letters: [Unicode.Scalar], at index: Int) -> Bool {
        let letter = letters[index], previous = letters[index - 1]
        if letter == "e" { return previous == "a" || previous == "o" || previous == "u" }
        return letter == previous && !"aeiouy".unicodeScalars.contains(letter)
            && (index + 1 == letters.count || letters[index + 1] != letter)
    }

    public var wordCount: Int { frequency.count }

    /// A word the knowledge base uses, or an inflection of one. A stem of three letters or
    /// fewer says little ("pints" and "pin", "pukte" and "puk"), so it makes no word known.
    public func isKnown(_ word: String) -> Bool {
        if frequency[word] != nil { return true }
        let stem = WordStemmer.stem(word)
        return stem.utf8.count >= 4 && stems.contains(stem)
    }

    /// The corrections for a message's words (only unknown alphabetic words change).
    /// - Parameter suggest: `suggestion(for:)`, perhaps through a cache (`MatcherScratch`).
    public func corrections(for words: [MessageWord], suggest: ((String) -> String?)? = nil) -> [Correction] {
        let suggest = suggest ?? { self.suggestion(for: $0) }
        var result: [Correction] = []
        for word in words where (Self.minimumLength...Self.maximumLength).contains(word.text.count) && word.isAlphabetic && !isKnown(word.text)
            && !authored.contains(word.text) && !dictionary.contains(word.text) {
            if let best = suggest(word.text) { result.append(Correction(from: word.text, to: best, range: word.range)) }
        }
        return result
    }

    /// Words typed without their umlaut or with a double letter single ("ruckerstattung",
    /// "einlosen", "erstatung", "verfalen"): a word that becomes a word the knowledge base
    /// uses more often once an `e` follows one of its a, o or u, or one of its consonants
    /// is doubled. Customers' phrasings hold such typos too, so a known word can still be
    /// one; a word used three times or more is a word of its own. This is so nearly always
    /// what was meant that it is read so before the patterns run; function words stay as
    /// typed ("uber" may be the ride company, "wen" is no "wenn").
    ///
    /// A form the knowledge base lists under `word_forms` ("bstellig", "zruck") is read as
    /// the word it means, whatever else holds: the author said so.
    /// - Parameter suggest: `suggestion(for:)`, perhaps through a cache (`MatcherScratch`).
    public func restorations(for words: [MessageWord], spelling: Bool = true, wordForms: Bool = true,
                             suggest: ((String) -> String?)? = nil) -> [Correction] {
        let suggest = suggest ?? { self.suggestion(for: $0) }
        return restorations(for: words) { restoration(of: $0, spelling: spelling, wordForms: wordForms, suggest: suggest) }
    }

    /// The same through `reading`: `restoration(of:…)`, perhaps through a cache
    /// (`MatcherScratch`). Each rule reads one word alone, so a word is read the same in
    /// every message.
    public func restorations(for words: [MessageWord], reading: (MessageWord) -> String?) -> [Correction] {
        var result: [Correction] = []
        for word in words where word.range.count >= 3 {
            if let meant = reading(word) { result.append(Correction(from: word.text, to: meant, range: word.range)) }
        }
        return result
    }

    /// What one word is read as before the patterns: the first rule that applies, in this
    /// order: a listed word form, a restored umlaut or double letter, two words glued
    /// together, two letters swapped, any other typo of a word the knowledge base uses often.
    public func restoration(of word: MessageWord, spelling: Bool, wordForms: Bool, suggest: (String) -> String?) -> String? {
        let length = word.range.count
        if wordForms, !forms.isEmpty, length >= 3, let meant = forms.reading(word.text) { return meant }
        guard spelling, length >= 4, length <= Self.maximumLength else { return nil }
        let typed = frequency[word.text]
        let inDictionary = dictionary.contains(word.text)
        if length < Self.maximumLength, (typed ?? 0) < 3, let restored = restoredLetter(of: word.text, typed: typed ?? 0, inDictionary: inDictionary) {
            return restored
        }
        if length >= Self.minimumGluedLength, length < Self.maximumLength, !inDictionary, let split = split(word.text) { return split }
        // Four letters suffice for a swap ("gfit"): a swap of a four-letter word is rarely another.
        if length < Self.maximumLength, (typed ?? 0) < 3, !inDictionary, let meant = transposition(of: word.text) { return meant }
        // Any other typo of a word the knowledge base uses often ("refind", "ersattung",
        // "abgelent") is read before the patterns too, for the same reason.
        // The suggestion is cached per thread; the stem `isKnown` needs is not, so it goes last.
        if length >= Self.minimumLength, typed == nil, !authored.contains(word.text), word.isAlphabetic, !inDictionary,
           let meant = suggest(word.text), (frequency[meant] ?? 0) >= Self.earlyReadingUses, !isKnown(word.text) {
            return meant
        }
        return nil
    }

    /// The umlaut or double letter put back: the word the knowledge base uses most that
    /// the typed word becomes, when it uses it more often than what was typed.
    private func restoredLetter(of word: String, typed: Int, inDictionary: Bool) -> String? {
        // The letters' hash from the bytes (ASCII: a byte is its scalar); the letters
        // themselves only for the few words that have restorable neighbours.
        guard let hash = Self.plainLetters(word, { bytes in
            bytes.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
        }), let candidates = restorable[hash],
              !FunctionWords.all.contains(word), !EverydayWords.all.contains(word), !authored.contains(word) else { return nil }
        let letters = Array(word.unicodeScalars)
        // A word of the language keeps its single letter ("Ofen" is no "offen"); an umlaut
        // left out is still put back ("konnte" typed for "könnte" is far more often meant).
        var best: (word: String, count: Int)?
        for candidate in candidates where Self.isRestoration(of: letters, as: Array(candidate.unicodeScalars), umlautsOnly: inDictionary) {
            let count = frequency[candidate] ?? 0
            if count > typed, count > best?.count ?? 0 { best = (candidate, count) }
        }
        return best?.word
    }

    /// `body` over the word's bytes when they are letters a to z only. The bytes are read in
    /// place: iterating a string's UTF-8 view step by step cost more than the test.
    private static func plainLetters<Result>(_ word: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        func run(_ bytes: UnsafeBufferPointer<UInt8>) -> Result? {
            bytes.allSatisfy { $0 >= 0x61 && $0 <= 0x7A } ? body(bytes) : nil
        }
        if let outcome = word.utf8.withContiguousStorageIfAvailable(run) { return outcome }
        return Array(word.utf8).withUnsafeBufferPointer(run)
    }

    static let minimumGluedLength = 6
    /// How often the knowledge base must use a word for any typo of it to be read before the
    /// patterns. Measured on the evaluation sets: at 5, nine messages were fixed and two lost
    /// (held-out sets 7 and 8: four more right, four fewer wrong); at 3 more were lost than won.
    static let earlyReadingUses = 5

    /// Two neighbouring letters typed the wrong way round ("abgelaufne", "pionts"): the one
    /// word the knowledge base uses (twice or more) that a swap after the first letter makes,
    /// for a word it does not know in any inflection. Read before the patterns, because a
    /// pattern that matched another word ("meine Punkte") would keep the spelling stage away.
    func transposition(of word: String) -> String? {
        guard let signature = Self.plainLetters(word, { Self.signature($0) }), anagrams.contains(signature) else { return nil }
        var letters = Array(word.utf8)
        // Two everyday words never stand for each other: "Wein" is no misspelt "Wien".
        guard !authored.contains(word), !FunctionWords.all.contains(word), !EverydayWords.all.contains(word) else { return nil }
        // Customers' phrasings hold such typos too ("retrun"): a word used less than three
        // times becomes the word used more often.
        let typed = frequency[word] ?? 0
        var found: String?
        for index in 1..<(letters.count - 1) where letters[index] != letters[index + 1] {
            letters.swapAt(index, index + 1)
            // Most swaps make no known word: their hash says so without building a string.
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for letter in letters { hash = (hash ^ UInt64(letter)) &* 0x0000_0100_0000_01b3 }
            let candidate = wordsByHash[hash]?.first { $0.utf8.elementsEqual(letters) }
            letters.swapAt(index, index + 1)
            guard let candidate else { continue }
            let count = frequency[candidate] ?? 0
            guard count >= 2, count > typed else { continue }
            if let earlier = found, earlier != candidate { return nil }
            found = candidate
        }
        // An inflection of another known word stays; one that stems like the swap ("abgelaufne"
        // and "abgelaufen") is that word.
        guard let found, typed > 0 || !isKnown(word) || WordStemmer.stem(word) == WordStemmer.stem(found) else { return nil }
        return found
    }

    /// Words a customer runs into the next one when a space is missed.
    static let gluedFirstWords: WordSet = [
        "der", "die", "das", "den", "dem", "des", "eine", "einen", "einem", "einer", "mein", "meine", "meinen", "meinem",
        "meiner", "dein", "deine", "euer", "eure", "euren", "ihr", "ihre", "ihren", "unser", "unsere", "ich", "wir", "ist",
        "sind", "hab", "habe", "habt", "hat", "kann", "will", "wie", "wo", "wann", "was", "warum", "am", "im", "zum", "zur",
        "vom", "beim", "fuer",
        "my", "the", "your", "is", "are", "can", "how", "where", "when", "what", "why", "i", "to", "of", "for", "with",
    ]

    /// Two words typed without the space between them ("meinkonto", "dierechnung",
    /// "istmeine"): an unknown word that is a function word and a known word run
    /// together, the split with the longer second word first. The other part is a known
    /// word of three letters or more; known words and authored names stay whole.
    func split(_ word: String) -> String? {
        // Most words start with no such word: the first byte and a prefix compare rule them
        // out before any lookup, and the stem (the dear part) is taken only for a candidate.
        let bytes = word.utf8
        guard let first = bytes.first, let prefixes = Self.gluedFirstByByte[first] else { return nil }
        for prefix in prefixes where prefix.count + 3 <= bytes.count && bytes.starts(with: prefix) {
            let rest = String(decoding: bytes.dropFirst(prefix.count), as: UTF8.self)
            guard frequency[rest] != nil || FunctionWords.all.contains(rest),
                  rest.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { continue }
            guard frequency[word] == nil, !authored.contains(word), !isKnown(word) else { return nil }
            return String(decoding: prefix, as: UTF8.self) + " " + rest
        }
        return nil
    }

    /// `gluedFirstWords` by first byte, shortest first (the longer second word first).
    private static let gluedFirstByByte: [UInt8: [[UInt8]]] = Dictionary(
        grouping: gluedFirstWords.map { Array($0.utf8) }.sorted { $0.count < $1.count || $0.count == $1.count && $0.lexicographicallyPrecedes($1) },
        by: { $0[0] })

    /// True when `meant` is `typed` with one restorable letter put back (the hash may collide).
    private static func isRestoration(of typed: [Unicode.Scalar], as meant: [Unicode.Scalar], umlautsOnly: Bool = false) -> Bool {
        guard meant.count == typed.count + 1 else { return false }
        var index = 0
        while index < typed.count, typed[index] == meant[index] { index += 1 }
        return index > 0 && isRestorable(meant, at: index) && (!umlautsOnly || meant[index] == "e")
            && typed[index...].elementsEqual(meant[(index + 1)...])
    }

    /// The known word closest to `word`, if one is close enough.
    public func suggestion(for word: String) -> String? {
        guard word.count <= Self.maximumLength, !dictionary.contains(word) else { return nil }
        let limit = word.count >= Self.twoEditLength ? 2 : 1
        let source = Array(word.unicodeScalars)
        var candidates = Set<String>()
        if let direct = deletions[Self.hash(source)] { candidates.formUnion(direct) }
        for variant in Self.deletes(of: source, depth: limit) {
            if let known = wordsByHash[variant] { candidates.formUnion(known) }
            if let known = deletions[variant] { candidates.formUnion(known) }
        }
        var best: (word: String, distance: Int, frequency: Int)?
        for candidate in candidates {
            // Short known words are poor targets: "lieferung" must not become "liefer".
            // Typos rarely hit the first letter; a different one is more often another word.
            guard candidate.count >= Self.minimumLength, !FunctionWords.all.contains(candidate),
                  candidate.unicodeScalars.first == word.unicodeScalars.first else { continue }
            let target = Array(candidate.unicodeScalars)
            let distance = Self.distance(source, target, limit: limit)
            guard distance <= limit, !Self.twoSubstitutions(source, target) else { continue }
            let count = frequency[candidate] ?? 0
            if let current = best {
                if distance > current.distance { continue }
                if distance == current.distance && (count < current.frequency || (count == current.frequency && candidate > current.word)) { continue }
            }
            best = (candidate, distance, count)
        }
        return best?.word
    }

    /// Two letters changed in place ("bedeutet" → "bewertet") is more often another word
    /// than a typo; dropped, doubled and swapped letters are the typos people make.
    static func twoSubstitutions(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Bool {
        guard a.count == b.count else { return false }
        let differing = a.indices.filter { a[$0] != b[$0] }
        guard differing.count == 2 else { return false }
        let (i, j) = (differing[0], differing[1])
        return !(j == i + 1 && a[i] == b[j] && a[j] == b[i])
    }

    /// The hashes of `letters` with one letter left out, and with two when `depth` is 2
    /// (never below two letters), without building the shorter strings.
    static func deletes(of letters: [Unicode.Scalar], depth: Int) -> Set<UInt64> {
        var result = Set<UInt64>()
        let count = letters.count
        guard count > 2 else { return result }
        for first in 0..<count {
            result.insert(hash(letters, skipping: first, and: first))
            guard depth >= 2, count > 3 else { continue }
            for second in (first + 1)..<count { result.insert(hash(letters, skipping: first, and: second)) }
        }
        return result
    }

    /// FNV-1a over the letters' scalar values, leaving out the letters at `skipping` and
    /// `and` (pass the same index twice to leave out one, an index past the end for none).
    static func hash(_ letters: [Unicode.Scalar], skipping first: Int = .max, and second: Int = .max) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in letters.indices where index != first && index != second {
            hash = (hash ^ UInt64(letters[index].value)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// Optimal string alignment distance (Damerau–Levenshtein without repeated edits of
    /// one substring), cut short past `limit`.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...max(1, a.count) where !a.isEmpty {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...max(1, b.count) where !b.isEmpty {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { value = min(value, previousPrevious[j - 2] + 1) }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return limit + 1 }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
