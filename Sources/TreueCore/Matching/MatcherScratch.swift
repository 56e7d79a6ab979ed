import PCRE2Swift

/// Per-thread working memory of an `IntentMatcher`: PCRE2's match data and JIT stack,
/// the bit set of a message's candidate patterns, and the message's byte pairs for the
/// prefilter.
public final class MatcherScratch {
    let pcre: MatchScratch
    /// One bit per pattern: a candidate is named once however many keys name it, and the
    /// set bits read out in load order without a sort.
    var candidateBits: [UInt64]
    var candidates: [Int32] = []
    var lowered: [UInt8] = []
    /// The message's bytes and byte pairs, stamped with `pairGeneration` (see
    /// `LiteralPrefilter`); one byte per slot, cleared when the stamp wraps.
    var pairs = [UInt8](repeating: 0, count: LiteralPrefilter.tableSize)
    /// The same slots as bits, for the prefilter's long sets; stale until a prefilter
    /// with one asks for this message.
    var pairBits = [UInt64](repeating: 0, count: LiteralPrefilter.maskWords)
    private var pairBitsFresh = false
    private var pairGeneration: UInt8 = 0
    /// The example terms of words this thread has seen, for the knowledge base named by
    /// `wordTermsOwner`: customers repeat their words, and stemming a word costs more
    /// than looking it up. Worth 2 % on the dev sets, whose words the examples mostly
    /// use, but a quarter of the cross-check where they do not (40,000 instructions a
    /// message on the generated 50-intent corpus).
    private var wordTerms: [String: ExampleScorer.WordTerms] = [:]
    private var wordTermsOwner: ObjectIdentifier?
    static let wordTermsLimit = 4096

    /// Per message guard, its result for the message stamped `guardGeneration`.
    var guardStamps: [UInt32]
    var guardResults: [Bool]
    /// The same for each guard condition (see `MessageGuard`).
    var conditionStamps: [UInt32]
    var conditionResults: [Bool]
    var guardGeneration: UInt32 = 1

    /// A new message: every guard result so far belongs to an earlier one.
    func startGuardedMessage() {
        guardGeneration &+= 1
        if guardGeneration == 0 {
            for i in guardStamps.indices { guardStamps[i] = 0 }
            for i in conditionStamps.indices { conditionStamps[i] = 0 }
            guardGeneration = 1
        }
    }

    init(patternCount: Int, guardCount: Int, conditionCount: Int, maxCaptureGroups: Int, limits: MatchLimits) {
        pcre = MatchScratch(limits: limits, maxCaptureGroups: maxCaptureGroups)
        candidateBits = Array(repeating: 0, count: (patternCount + 63) / 64)
        guardStamps = Array(repeating: 0, count: guardCount)
        guardResults = Array(repeating: false, count: guardCount)
        conditionStamps = Array(repeating: 0, count: conditionCount)
        conditionResults = Array(repeating: false, count: conditionCount)
    }

    /// Stamps the bytes and byte pairs of `lowered` for `admitsPrefilter`.
    func markPairs() {
        pairGeneration &+= 1
        if pairGeneration == 0 {
            for i in pairs.indices { pairs[i] = 0 }
            pairGeneration = 1
        }
        LiteralPrefilter.mark(lowered, in: &pairs, generation: pairGeneration)
        pairBitsFresh = false
    }

    func terms(of words: [String], kb: KnowledgeBase) -> ExampleScorer.Terms {
        if wordTermsOwner != ObjectIdentifier(kb) {
            wordTerms.removeAll()
            wordTermsOwner = ObjectIdentifier(kb)
        }
        let scorer = kb.understanding.scorer
        return scorer.terms(of: words) { word in
            if let cached = wordTerms[word] { return cached }
            let terms = scorer.wordTerms(word)
            // Bounded: a flood of new words costs a refill, never memory.
            if wordTerms.count >= Self.wordTermsLimit { wordTerms.removeAll(keepingCapacity: true) }
            wordTerms[word] = terms
            return terms
        }
    }

    /// Spelling suggestions for unknown words, by the same rule as `wordTerms`: every
    /// unknown word of every message is looked up before the patterns (and again by the
    /// spelling stage when none matched), and customers repeat theirs. An empty string
    /// stands for "no suggestion".
    private var suggestions: [String: String] = [:]
    private var suggestionsOwner: ObjectIdentifier?

    func suggestion(for word: String, kb: KnowledgeBase) -> String? {
        if suggestionsOwner != ObjectIdentifier(kb) {
            suggestions.removeAll()
            suggestionsOwner = ObjectIdentifier(kb)
        }
        if let cached = suggestions[word] { return cached.isEmpty ? nil : cached }
        let suggestion = kb.understanding.corrector.suggestion(for: word)
        if suggestions.count >= Self.wordTermsLimit { suggestions.removeAll(keepingCapacity: true) }
        suggestions[word] = suggestion ?? ""
        return suggestion
    }

    /// What each word is read as before the patterns (`SpellingCorrector.restoration`), by
    /// the same rule: the rules read a word alone, and customers repeat their words. An
    /// empty string stands for "as typed".
    private var restorations = WordReadingCache()
    private var restorationsOwner: (kb: ObjectIdentifier, spelling: Bool, wordForms: Bool)?

    func restoration(of word: MessageWord, kb: KnowledgeBase, spelling: Bool, wordForms: Bool) -> String? {
        if restorationsOwner?.kb != ObjectIdentifier(kb) || restorationsOwner?.spelling != spelling || restorationsOwner?.wordForms != wordForms {
            restorations.removeAll()
            restorationsOwner = (ObjectIdentifier(kb), spelling, wordForms)
        }
        if let cached = restorations.reading(of: word) { return cached.isEmpty ? nil : cached }
        let meant = kb.understanding.corrector.restoration(of: word, spelling: spelling, wordForms: wordForms,
                                                           suggest: { suggestion(for: $0, kb: kb) })
        restorations.store(meant ?? "", for: word)
        return meant
    }

    func admits(_ prefilter: LiteralPrefilter) -> Bool {
        if prefilter.readsBits, !pairBitsFresh {
            LiteralPrefilter.markBits(lowered, in: &pairBits)
            pairBitsFresh = true
        }
        return prefilter.admits(pairs, bits: pairBits, generation: pairGeneration, text: lowered)
    }
}
