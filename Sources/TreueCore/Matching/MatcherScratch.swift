import PCRE2Swift

/// Per-thread working memory of an `IntentMatcher`: PCRE2's match data and JIT stack,
/// the marks that keep a candidate from running twice for one message, and the
/// message's byte pairs for the prefilter.
public final class MatcherScratch {
    let pcre: MatchScratch
    var marks: [UInt32]
    var generation: UInt32 = 0
    var candidates: [Int32] = []
    var lowered: [UInt8] = []
    /// The message's bytes and byte pairs, stamped with `pairGeneration` (see
    /// `LiteralPrefilter`); one byte per slot, cleared when the stamp wraps.
    var pairs = [UInt8](repeating: 0, count: LiteralPrefilter.tableSize)
    private var pairGeneration: UInt8 = 0

    init(patternCount: Int, maxCaptureGroups: Int, limits: MatchLimits) {
        pcre = MatchScratch(limits: limits, maxCaptureGroups: maxCaptureGroups)
        marks = Array(repeating: 0, count: patternCount)
    }

    /// Stamps the bytes and byte pairs of `lowered` for `admitsPrefilter`.
    func markPairs() {
        pairGeneration &+= 1
        if pairGeneration == 0 {
            for i in pairs.indices { pairs[i] = 0 }
            pairGeneration = 1
        }
        LiteralPrefilter.mark(lowered, in: &pairs, generation: pairGeneration)
    }

    func admits(_ prefilter: LiteralPrefilter) -> Bool { prefilter.admits(pairs, generation: pairGeneration, text: lowered) }
}
