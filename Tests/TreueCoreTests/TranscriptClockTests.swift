import Foundation
import Testing
@testable import TreueCore

/// Record timestamps are written by hand from the epoch milliseconds; they must be the
/// bytes `Date.ISO8601FormatStyle` writes, which `treue review` and replay read back.
struct TranscriptClockTests {
    let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (951_782_400.0, "2000-02-29T00:00:00.000Z"),         // a leap day of a century leap year
        (4_107_542_399.999, "2100-02-28T23:59:59.999Z"),     // 2100 is no leap year
        (1_796_601_599.9996, "2026-12-06T23:59:59.999Z"),    // milliseconds are cut, never rounded up
        (1_796_601_600.0, "2026-12-07T00:00:00.000Z"),
    ])
    func knownInstants(_ seconds: Double, _ expected: String) {
        let clock = TranscriptClock()
        #expect(clock.timestamp(Date(timeIntervalSince1970: seconds)) == expected)
        #expect(style.format(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test func everyDayAndManyInstantsAsTheFormatStyle() {
        let clock = TranscriptClock()
        var generator = SystemRandomNumberGenerator()
        // Every day from 1970 to 2200 at a random time of day, then random instants.
        for day in 0..<84_000 {
            let seconds = Double(day) * 86_400 + Double(Int.random(in: 0..<86_400_000, using: &generator)) / 1000
            let date = Date(timeIntervalSince1970: seconds)
            #expect(clock.timestamp(date) == style.format(date), "day \(day)")
        }
        for _ in 0..<200_000 {
            let date = Date(timeIntervalSince1970: Double.random(in: 0..<7_258_118_400, using: &generator))
            #expect(clock.timestamp(date) == style.format(date))
        }
    }

    @Test func theDayOfATimestampNamesItsFile() {
        let ts = TranscriptClock().timestamp(Date(timeIntervalSince1970: 1_796_601_600.5))
        #expect(TranscriptClock.day(ofTimestamp: ts) == "2026-12-07")
        #expect(TranscriptClock.fileName(day: TranscriptClock.day(ofTimestamp: ts), instance: "b") == "2026-12-07.b.jsonl")
    }
}
