/// Maps what a message contains to the patterns that could match it, so a message runs
/// only those instead of every pattern in the knowledge base.
///
/// Each pattern's required literal is keyed by the most selective thing it guarantees:
/// two whole words in a row (`senden garantie`), else one whole word, else a piece of one
/// to three bytes. A literal is a whole word only where the pattern puts a word boundary
/// or a non-word character on both sides. A message is then tokenised into words and
/// word pairs (and, only if some pattern needs them, byte pieces) and looks each up.
struct CandidateIndex: Sendable {
    private let wordPostings: PostingTable
    private let gramPostings: PostingTable
    /// Patterns with no required literal: they run for every message.
    let unindexed: [Int32]
    private let usesGramLength: (Bool, Bool, Bool)
    private let usesWordPairs: Bool
    /// Patterns whose every literal is exactly the word or word pair it is keyed by, so
    /// a lookup hit means the literal is there (up to hash collisions).
    private let fullyCovered: Set<Int32>

    private struct LiteralKeys: Sendable {
        /// Each key once, in the order found: among keys equally rare the first is chosen.
        let keys: [Key]
        /// The literal's hash without boundary markers, as a whole-word key of it would be.
        let wholeHash: UInt64

        init(literal: String) {
            let all = CandidateIndex.keys(for: literal)
            var seen = Set<Key>(minimumCapacity: all.count)
            keys = all.filter { seen.insert($0).inserted }
            let text = literal.utf8.filter { $0 != 1 }
            wholeHash = CandidateIndex.hash(text, 0, text.count)
        }
    }

    private enum Key: Hashable, Sendable {
        case words(UInt64, isPair: Bool)
        case gram(UInt32)

        var isWords: Bool { if case .words = self { true } else { false } }

        /// One word: loads hash every key of every literal of the knowledge base.
        func hash(into hasher: inout Hasher) {
            switch self {
            case let .words(hash, isPair): hasher.combine(hash &+ (isPair ? 1 : 0))
            case let .gram(gram): hasher.combine(UInt64(gram) | 1 << 63)
            }
        }
    }

    /// - Parameter requirements: per pattern, the literals one of which a match contains
    ///   (lower-cased, `\b` as U+0001), or nil when it has none.
    init(requirements: [Set<String>?]) {
        let candidates: [[LiteralKeys]?] = requirements.concurrentMap { literals in
            literals.map { $0.map(LiteralKeys.init(literal:)) }
        }
        var frequency: [Key: Int] = [:]
        for literals in candidates.compactMap({ $0 }) {
            for item in literals { for key in item.keys { frequency[key, default: 0] += 1 } }
        }
        var wordPostings: [UInt64: [Int32]] = [:]
        var gramPostings: [UInt32: [Int32]] = [:]
        var unindexed: [Int32] = []
        var lengths = (false, false, false)
        var pairs = false
        var fullyCovered = Set<Int32>()
        for (number, literals) in candidates.enumerated() {
            guard let literals, !literals.isEmpty, literals.allSatisfy({ !$0.keys.isEmpty }) else {
                unindexed.append(Int32(number))
                continue
            }
            var chosen = Set<Key>()
            var covered = true
            for item in literals {
                // Words say far more about a message than letter pieces do, so any word key
                // beats any piece; among equals the rarest in the knowledge base wins.
                var best: (key: Key, count: Int)?
                for key in item.keys {
                    let count = frequency[key]!
                    guard let chosen = best else { best = (key, count); continue }
                    if key.isWords != chosen.key.isWords ? key.isWords : count < chosen.count { best = (key, count) }
                }
                let key = best!.key
                chosen.insert(key)
                if case let .words(hash, _) = key, hash == item.wholeHash {} else { covered = false }
            }
            if covered { fullyCovered.insert(Int32(number)) }
            for key in chosen {
                switch key {
                case let .words(hash, isPair):
                    wordPostings[hash, default: []].append(Int32(number))
                    if isPair { pairs = true }
                case let .gram(gram):
                    gramPostings[gram, default: []].append(Int32(number))
                    switch gram >> 24 { case 1: lengths.0 = true; case 2: lengths.1 = true; default: lengths.2 = true }
                }
            }
        }
        self.wordPostings = PostingTable(wordPostings)
        self.gramPostings = PostingTable(gramPostings.reduce(into: [:]) { $0[UInt64($1.key)] = $1.value })
        self.unindexed = unindexed
        self.fullyCovered = fullyCovered
        usesGramLength = lengths
        usesWordPairs = pairs
    }

    func coversFully(_ number: Int) -> Bool { fullyCovered.contains(Int32(number)) }

    /// Calls `body` with every pattern number whose key occurs in `text` (lower-cased,
    /// folded), possibly more than once; unindexed patterns are not included.
    func forEachCandidate(in text: [UInt8], _ body: (Int32) -> Void) {
        if !wordPostings.isEmpty {
            var previous: (start: Int, end: Int)?
            WordScanner.forEachWord(in: text) { start, end in
                wordPostings.forEach(Self.hash(text, start, end), body)
                if usesWordPairs, let before = previous { wordPostings.forEach(Self.hash(text, before.start, end), body) }
                previous = (start, end)
            }
        }
        guard !gramPostings.isEmpty else { return }
        let count = text.count
        for start in 0..<count {
            if usesGramLength.0 { gramPostings.forEach(UInt64(Self.gram(text, start, 1)), body) }
            if usesGramLength.1, start + 2 <= count { gramPostings.forEach(UInt64(Self.gram(text, start, 2)), body) }
            if usesGramLength.2, start + 3 <= count { gramPostings.forEach(UInt64(Self.gram(text, start, 3)), body) }
        }
    }

    /// Every key a message containing `literal` is sure to produce.
    private static func keys(for literal: String) -> [Key] {
        let marker: UInt8 = 1
        let raw = Array(literal.utf8)
        // Whole words: word runs with a boundary marker or a non-word character on both sides.
        var words: [(start: Int, end: Int)] = []
        WordScanner.forEachWord(in: raw) { start, end in
            let leftOK = start > 0 && (raw[start - 1] == marker || !WordScanner.isWordByte(before: start, in: raw))
            let rightOK = end < raw.count && (raw[end] == marker || !WordScanner.isWordByte(at: end, in: raw))
            words.append((start, leftOK && rightOK ? end : -1))
        }
        var keys: [Key] = []
        var previousWhole: (start: Int, end: Int)?
        for word in words {
            guard word.end >= 0 else { previousWhole = nil; continue }
            let bytes = raw[word.start..<word.end]
            keys.append(.words(hash(Array(bytes), 0, bytes.count), isPair: false))
            if let before = previousWhole {
                // The pair as the message will spell it: markers match no text.
                let span = raw[before.start..<word.end].filter { $0 != marker }
                keys.append(.words(hash(span, 0, span.count), isPair: true))
            }
            previousWhole = (word.start, word.end)
        }
        let text = raw.filter { $0 != marker }
        if text.isEmpty { return keys }
        if text.count <= 3 {
            keys.append(.gram(gram(text, 0, text.count)))
        } else {
            for start in 0...(text.count - 3) { keys.append(.gram(gram(text, start, 3))) }
        }
        return keys
    }

    @inline(__always)
    static func gram(_ bytes: [UInt8], _ start: Int, _ length: Int) -> UInt32 {
        var key = UInt32(length) << 24
        var shift: UInt32 = 16
        for index in start..<start + length { key |= UInt32(bytes[index]) << shift; shift &-= 8 }
        return key
    }

    /// FNV-1a; a collision only adds a candidate, never loses one.
    @inline(__always)
    static func hash(_ bytes: [UInt8], _ start: Int, _ end: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf29ce484222325
        for index in start..<end { hash = (hash ^ UInt64(bytes[index])) &* 0x100000001b3 }
        return hash
    }
}

/// Finds runs of word characters in UTF-8 the way PCRE2's `\w` with UCP sees them:
/// letters, numbers and underscore.
enum WordScanner {
    static func forEachWord(in bytes: [UInt8], _ body: (Int, Int) -> Void) {
        var index = 0
        var start = -1
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            let width: Int
            let isWord: Bool
            if byte < 0x80 {
                width = 1
                isWord = asciiWord(byte)
            } else {
                (isWord, width) = scalarIsWord(bytes, index)
            }
            if isWord {
                if start < 0 { start = index }
            } else if start >= 0 {
                body(start, index)
                start = -1
            }
            index += width
        }
        if start >= 0 { body(start, count) }
    }

    @inline(__always)
    static func asciiWord(_ byte: UInt8) -> Bool {
        (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == 95 || (byte >= 65 && byte <= 90)
    }

    static func isWordByte(at index: Int, in bytes: [UInt8]) -> Bool {
        let byte = bytes[index]
        return byte < 0x80 ? asciiWord(byte) : scalarIsWord(bytes, index).0
    }

    /// Whether the character ending just before `index` is a word character.
    static func isWordByte(before index: Int, in bytes: [UInt8]) -> Bool {
        var start = index - 1
        while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return isWordByte(at: start, in: bytes)
    }

    static func scalarIsWord(_ bytes: [UInt8], _ index: Int) -> (Bool, Int) {
        guard let (value, width) = UTF8Scalar.decode(bytes, at: index) else { return (false, 1) }
        guard let scalar = Unicode.Scalar(value) else { return (false, width) }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return (true, width)
        default:
            return (false, width)
        }
    }
}
