import NIOCore

/// Bytes a sender may have stored per minute: a token bucket that refills `bytesPerMinute`
/// a minute and holds at most that many. The line rate limit alone let one address with
/// 256 connections grow the transcripts by 6 MB/s with 4,000-byte lines.
public struct VolumeBudget: Sendable {
    public let bytesPerMinute: Int
    private(set) var tokens: Double
    private var last: NIODeadline

    public init(bytesPerMinute: Int, now: NIODeadline = .now()) {
        self.bytesPerMinute = bytesPerMinute
        tokens = Double(bytesPerMinute)
        last = now
    }

    mutating func refill(now: NIODeadline) {
        let elapsed = Double((now - last).nanoseconds) / 1e9
        if elapsed > 0 {
            tokens = min(Double(bytesPerMinute), tokens + elapsed * Double(bytesPerMinute) / 60)
            last = now
        }
    }

    func allows(_ bytes: Int) -> Bool { tokens >= Double(bytes) }

    mutating func take(_ bytes: Int) { tokens -= Double(bytes) }

    /// A full budget is the same as a fresh one, so it need not be kept.
    func isFull(now: NIODeadline) -> Bool {
        tokens + Double((now - last).nanoseconds) / 1e9 * Double(bytesPerMinute) / 60 >= Double(bytesPerMinute)
    }

    /// Takes `bytes` when the budget has them.
    public mutating func spend(_ bytes: Int, now: NIODeadline = .now()) -> Bool {
        refill(now: now)
        guard allows(bytes) else { return false }
        take(bytes)
        return true
    }
}
