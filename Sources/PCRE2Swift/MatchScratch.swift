import CPCRE2

/// The mutable memory a match needs: match data, a match context with limits and a JIT
/// stack. Compiled patterns are shared by every thread; a scratch belongs to one thread
/// (or one task) at a time and is reused for every match it runs.
public final class MatchScratch {
    let matchData: OpaquePointer
    let context: OpaquePointer
    let jitStack: OpaquePointer?
    public let limits: MatchLimits

    /// - Parameter maxCaptureGroups: the most capture groups any pattern used with this
    ///   scratch has; larger patterns still match but report fewer groups.
    public init(limits: MatchLimits = .default, maxCaptureGroups: Int = 32, jitStackKiB: Int = 512) {
        self.limits = limits
        guard let data = pcre2_match_data_create_8(UInt32(max(1, maxCaptureGroups + 1)), nil),
              let ctx = pcre2_match_context_create_8(nil)
        else { preconditionFailure("PCRE2 could not allocate match data") }
        matchData = data
        context = ctx
        pcre2_set_match_limit_8(ctx, limits.matchLimit)
        pcre2_set_depth_limit_8(ctx, limits.depthLimit)
        pcre2_set_heap_limit_8(ctx, limits.heapLimitKiB)
        // The default 32 KiB JIT stack fails on long lines; one stack per scratch is safe
        // because a scratch is never used by two threads at once.
        jitStack = pcre2_jit_stack_create_8(32 * 1024, max(32, jitStackKiB) * 1024, nil)
        if let jitStack {
            pcre2_jit_stack_assign_8(ctx, nil, UnsafeMutableRawPointer(jitStack))
        }
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        pcre2_match_context_free_8(context)
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
    }
}
