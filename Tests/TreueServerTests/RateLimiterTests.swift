import NIOCore
import Testing
@testable import TreueServer

/// The token bucket with an injected clock: no sleeping, no timing in the assertions.
struct RateLimiterTests {
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    /// Asks the limiter at each of `times` (offsets from `start`) and returns its answers.
    func answers(_ limiter: inout RateLimiter, at times: [TimeAmount]) -> [Bool] {
        times.map { limiter.allow(now: start + $0) }
    }

    @Test func aBurstPassesThenLinesAreRefused() {
        var limiter = RateLimiter(perSecond: 5, burst: 3, now: start)
        #expect(answers(&limiter, at: Array(repeating: .zero, count: 5)) == [true, true, true, false, false])
        #expect(limiter.refusedInARow == 2)
    }

    @Test func tokensComeBackAtTheRate() {
        var limiter = RateLimiter(perSecond: 5, burst: 1, now: start)
        // 100 ms give half a token, 200 ms a whole one.
        #expect(answers(&limiter, at: [.zero, .milliseconds(100), .milliseconds(200)]) == [true, false, true])
        #expect(limiter.refusedInARow == 0)
    }

    @Test func aLongPauseRefillsOnlyUpToTheBurst() {
        var limiter = RateLimiter(perSecond: 5, burst: 2, now: start)
        #expect(answers(&limiter, at: Array(repeating: .seconds(3600), count: 3)) == [true, true, false])
    }
}
