import PCRE2Swift

/// Per-thread working memory of an `IntentMatcher`: PCRE2's match data and JIT stack,
/// and the marks that keep a candidate from running twice for one message.
public final class MatcherScratch {
    let pcre: MatchScratch
    var marks: [UInt32]
    var generation: UInt32 = 0
    var candidates: [Int32] = []
    var lowered: [UInt8] = []

    init(patternCount: Int, maxCaptureGroups: Int, limits: MatchLimits) {
        pcre = MatchScratch(limits: limits, maxCaptureGroups: maxCaptureGroups)
        marks = Array(repeating: 0, count: patternCount)
    }
}
