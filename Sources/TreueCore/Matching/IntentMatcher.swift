import PCRE2Swift

/// A compiled pattern with what it belongs to.
public struct CompiledIntentPattern: Sendable {
    public let intentIndex: Int
    public let language: String
    public let source: IntentPattern
    public let compiled: CompiledPattern
    /// The author's named groups (vocabulary definitions left out).
    let captureGroups: [(name: String, number: Int)]
    /// The literals one of which every match contains; nil when none is known.
    public let requiredLiterals: Set<String>?
    /// Every set of literals a match takes one string from (see `LiteralPrefilter`).
    let requirementSets: [Set<String>]
    /// The conditions on the whole message that open the pattern, run only when `compiled`
    /// (then the search alone) found something; nil when the pattern is compiled whole.
    let messageGuard: CompiledGuard?

    struct CompiledGuard: Sendable {
        /// The guard's source: patterns with the same guard share one result per message.
        let key: String
        /// Its conditions in order (see `MessageGuard`).
        let conditions: [(condition: MessageGuard.Condition, compiled: CompiledPattern)]
        /// The search's hit is reported from the message's start, as the whole pattern's was.
        let startsAtMessageStart: Bool
    }
}

/// Finds the intent a message asks for.
///
/// Only patterns whose required literal occurs in the message run (see `CandidateIndex`),
/// so the cost follows the number of plausible patterns, not the knowledge base's size.
/// Among matching patterns the winner has the highest intent priority, then the longest
/// match (it explains more of the message), then the earliest place in load order.
public final class IntentMatcher: Sendable {
    public let patterns: [CompiledIntentPattern]
    /// The same patterns' compiled code alone: the hot loop reads one reference per
    /// candidate instead of copying the whole description.
    private let code: [CompiledPattern]
    private let prefilters: [LiteralPrefilter]
    /// Per pattern, the number of its guard in `guards`, or -1.
    private let guardNumbers: [Int32]
    /// Per guard, the numbers of its conditions in `conditions`, in order.
    private let guards: [[Int32]]
    /// Every guard condition once, however many guards share it.
    private let conditions: [(condition: MessageGuard.Condition, compiled: CompiledPattern)]
    let priorities: [Int]
    let index: CandidateIndex
    /// The patterns without a literal to index, as the bit set every message starts from.
    private let unindexedBits: [UInt64]
    public let limits: MatchLimits
    let maxCaptureGroups: Int

    init(patterns: [CompiledIntentPattern], priorities: [Int], limits: MatchLimits) {
        self.patterns = patterns
        code = patterns.map(\.compiled)
        self.priorities = priorities
        self.limits = limits
        let index = CandidateIndex(requirements: patterns.map(\.requiredLiterals))
        self.index = index
        var unindexedBits = [UInt64](repeating: 0, count: (patterns.count + 63) / 64)
        for number in index.unindexed { unindexedBits[Int(number) / 64] |= 1 << UInt64(number % 64) }
        self.unindexedBits = unindexedBits
        // A set the index looks up word for word needs no second test.
        prefilters = Array(patterns.enumerated()).concurrentMap { number, pattern in
            let sets = index.coversFully(number) ? pattern.requirementSets.filter { $0 != pattern.requiredLiterals } : pattern.requirementSets
            return LiteralPrefilter(requirements: sets)
        }
        maxCaptureGroups = patterns.map(\.compiled.captureCount).max() ?? 0
        var numbers: [String: Int32] = [:]
        var guards: [[Int32]] = []
        var conditionNumbers: [MessageGuard.Condition: Int32] = [:]
        var conditions: [(condition: MessageGuard.Condition, compiled: CompiledPattern)] = []
        guardNumbers = patterns.map { pattern in
            guard let messageGuard = pattern.messageGuard else { return -1 }
            if let number = numbers[messageGuard.key] { return number }
            numbers[messageGuard.key] = Int32(guards.count)
            guards.append(messageGuard.conditions.map { condition, compiled in
                if let number = conditionNumbers[condition] { return number }
                conditionNumbers[condition] = Int32(conditions.count)
                conditions.append((condition, compiled))
                return Int32(conditions.count - 1)
            })
            return Int32(guards.count - 1)
        }
        self.guards = guards
        self.conditions = conditions
    }

    /// Working memory for one thread; never share one between threads.
    public func makeScratch() -> MatcherScratch {
        MatcherScratch(patternCount: patterns.count, guardCount: guards.count, conditionCount: conditions.count,
                       maxCaptureGroups: maxCaptureGroups, limits: limits)
    }

    /// Patterns that run for every message because no literal could be found in them.
    public var unindexedPatterns: [CompiledIntentPattern] { index.unindexed.map { patterns[Int($0)] } }

    public func match(_ message: String, scratch: MatcherScratch) -> MatchReport {
        match(folded: TextFolder.fold(message), scratch: scratch)
    }

    /// Matches text already folded (and perhaps with negated words blanked out).
    public func match(folded: FoldedText, scratch: MatcherScratch) -> MatchReport {
        collectCandidates(for: folded, scratch: scratch)
        var hits: [PatternHit] = []
        var limitExceeded: [Int] = []
        var patternsRun = 0
        var marked = false
        for number in scratch.candidates {
            let prefilter = prefilters[Int(number)]
            if !prefilter.isEmpty {
                // Only messages that reach a pattern with a prefilter pay for the table.
                if !marked {
                    scratch.markPairs()
                    marked = true
                }
                guard scratch.admits(prefilter) else { continue }
            }
            // A guard already read for this message and found false spares the search.
            let guardNumber = Int(guardNumbers[Int(number)])
            if guardNumber >= 0, scratch.guardStamps[guardNumber] == scratch.guardGeneration, !scratch.guardResults[guardNumber] {
                continue
            }
            patternsRun += 1
            switch code[Int(number)].firstMatch(in: folded.folded, scratch: scratch.pcre) {
            case let .match(found):
                guard let found = guarded(Int(number), found, in: folded.folded, scratch: scratch) else { continue }
                hits.append(hit(Int(number), found, in: folded))
            case .limitExceeded:
                limitExceeded.append(Int(number))
            default:
                break
            }
        }
        return MatchReport(message: folded, hits: hits, winner: choose(hits), limitExceeded: limitExceeded,
                           patternsRun: patternsRun)
    }

    /// The numbers of the patterns that match when every pattern runs, index and
    /// prefilter bypassed: the reference `match` must agree with (tests and fuzzing).
    public func patternsMatchingWithoutIndex(_ message: String, scratch: MatcherScratch) -> [Int] {
        let folded = TextFolder.fold(message).folded
        scratch.startGuardedMessage()
        return code.indices.filter { number in
            if case let .match(found) = code[number].firstMatch(in: folded, scratch: scratch.pcre) {
                return guarded(number, found, in: folded, scratch: scratch) != nil
            }
            return false
        }
    }

    private func guardHolds(_ guardNumber: Int, _ folded: String, _ scratch: MatcherScratch) -> Bool {
        if scratch.guardStamps[guardNumber] != scratch.guardGeneration {
            scratch.guardStamps[guardNumber] = scratch.guardGeneration
            scratch.guardResults[guardNumber] = guards[guardNumber].allSatisfy { conditionHolds(Int($0), folded, scratch) }
        }
        return scratch.guardResults[guardNumber]
    }

    /// Only a condition that held lets the hit count; one over its match limit does not.
    private func conditionHolds(_ number: Int, _ folded: String, _ scratch: MatcherScratch) -> Bool {
        if scratch.conditionStamps[number] == scratch.guardGeneration { return scratch.conditionResults[number] }
        let (condition, compiled) = conditions[number]
        var holds = false
        switch compiled.firstMatch(in: folded, scratch: scratch.pcre) {
        case .match:
            holds = condition.mustMatch
        case .noMatch:
            holds = !condition.mustMatch
        case .limitExceeded, .invalidSubject, .failed:
            holds = false
        }
        scratch.conditionStamps[number] = scratch.guardGeneration
        scratch.conditionResults[number] = holds
        return holds
    }

    /// The hit when the pattern's guard holds for the message (or it has none), reported
    /// as the whole pattern would; nil when the guard rules the message out. A guard
    /// runs at most once per message.
    private func guarded(_ number: Int, _ found: PatternMatch, in folded: String, scratch: MatcherScratch) -> PatternMatch? {
        let guardNumber = Int(guardNumbers[number])
        guard guardNumber >= 0 else { return found }
        guard guardHolds(guardNumber, folded, scratch) else { return nil }
        guard patterns[number].messageGuard!.startsAtMessageStart else { return found }
        return found.starting(at: 0)
    }

    /// The winning rule; hits come in pattern order, which is load order.
    public func choose(_ hits: [PatternHit]) -> PatternHit? {
        var best: PatternHit?
        for hit in hits {
            guard let current = best else { best = hit; continue }
            let priority = priorities[hit.intentIndex], bestPriority = priorities[current.intentIndex]
            if priority > bestPriority || (priority == bestPriority && hit.length > current.length) {
                best = hit
            }
        }
        return best
    }

    /// Leaves the patterns to run in `scratch.candidates`, in load order.
    private func collectCandidates(for text: FoldedText, scratch: MatcherScratch) {
        scratch.startGuardedMessage()
        text.lowercasedBytes(into: &scratch.lowered)
        // Local arrays in the loop: through the class, every bit set costs an exclusivity
        // check and a uniqueness check.
        var bits: [UInt64] = []
        var candidates: [Int32] = []
        swap(&bits, &scratch.candidateBits)
        swap(&candidates, &scratch.candidates)
        for word in bits.indices { bits[word] = unindexedBits[word] }
        index.forEachCandidate(in: scratch.lowered) { number in
            bits[Int(number &>> 6)] |= 1 &<< UInt64(number & 63)
        }
        candidates.removeAll(keepingCapacity: true)
        for word in bits.indices {
            var rest = bits[word]
            while rest != 0 {
                candidates.append(Int32(word &<< 6 | rest.trailingZeroBitCount))
                rest &= rest &- 1
            }
        }
        swap(&bits, &scratch.candidateBits)
        swap(&candidates, &scratch.candidates)
    }

    // Reads the pattern's fields in place: copying the whole description costs a retain
    // per reference in it.
    private func hit(_ number: Int, _ found: PatternMatch, in text: FoldedText) -> PatternHit {
        var captures: [String: String] = [:]
        for (name, group) in patterns[number].captureGroups where group - 1 < found.groups.count {
            if let range = found.groups[group - 1] { captures[name] = text.originalText(for: range) }
        }
        // Characters, not bytes: count the bytes that start a character.
        let length = text.folded.utf8.withContiguousStorageIfAvailable { bytes in
            bytes[found.range].reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        } ?? found.range.count
        return PatternHit(patternNumber: number, intentIndex: patterns[number].intentIndex, language: patterns[number].language,
                          range: found.range, length: length, captures: captures)
    }
}
