/// Bounds on the work one match may do. A pattern that backtracks catastrophically hits
/// `matchLimit` and reports `.limitExceeded` instead of stalling its thread.
public struct MatchLimits: Sendable, Equatable {
    public var matchLimit: UInt32
    /// Applies to the interpreter only; the JIT is bounded by `matchLimit` and its stack.
    public var depthLimit: UInt32
    public var heapLimitKiB: UInt32

    public init(matchLimit: UInt32 = 100_000, depthLimit: UInt32 = 10_000, heapLimitKiB: UInt32 = 8_192) {
        self.matchLimit = matchLimit
        self.depthLimit = depthLimit
        self.heapLimitKiB = heapLimitKiB
    }

    public static let `default` = MatchLimits()
}
