import NIOCore

/// A token bucket per connection: `perSecond` lines a second on average, bursts up to
/// `burst`. Lines above that are refused, and a client that keeps flooding is cut off.
public struct RateLimiter: Sendable {
    public let perSecond: Double
    public let burst: Double
    private var tokens: Double
    private var last: NIODeadline
    /// Lines refused since the last accepted one.
    public private(set) var refusedInARow = 0

    public init(perSecond: Double, burst: Int, now: NIODeadline = .now()) {
        self.perSecond = perSecond
        self.burst = Double(burst)
        tokens = Double(burst)
        last = now
    }

    public mutating func allow(now: NIODeadline = .now()) -> Bool {
        let elapsed = Double((now - last).nanoseconds) / 1e9
        last = now
        tokens = min(burst, tokens + elapsed * perSecond)
        if tokens >= 1 {
            tokens -= 1
            refusedInARow = 0
            return true
        }
        refusedInARow += 1
        return false
    }
}
