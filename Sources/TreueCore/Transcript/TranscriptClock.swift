import Foundation

/// Formats record timestamps (UTC, milliseconds) and names the day file they belong to.
public struct TranscriptClock: Sendable {
    private let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    public init() {}

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`, as `Date.ISO8601FormatStyle` writes it (milliseconds cut,
    /// not rounded), computed from the epoch milliseconds: the format style cost every
    /// customer message 2,700 instructions of the server's 216,000. Dates before 1970 or
    /// after 9999 go to the format style.
    public func timestamp(_ date: Date) -> String {
        // From the reference date, as `Date` keeps it: whole seconds, then the fraction's
        // milliseconds cut, as the format style takes them.
        let sinceReference = date.timeIntervalSinceReferenceDate
        let wholeSeconds = sinceReference.rounded(.down)
        let seconds = wholeSeconds + Date.timeIntervalBetween1970AndReferenceDate
        guard seconds >= 0, seconds < 253_402_300_800 else { return style.format(date) }
        let milliseconds = min(999, Int(((sinceReference - wholeSeconds) * 1000).rounded(.down)))
        return Self.format(epochMilliseconds: Int(seconds) * 1000 + milliseconds)
    }

    static func format(epochMilliseconds: Int) -> String {
        let seconds = epochMilliseconds / 1000
        let days = seconds / 86_400
        let secondOfDay = seconds % 86_400
        // Days to a civil date (H. Hinnant's algorithm, proleptic Gregorian calendar).
        let z = days + 719_468
        let era = z / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return String(unsafeUninitializedCapacity: 24) { buffer in
            func put(_ value: Int, _ digits: Int, at offset: Int) {
                var value = value
                for index in stride(from: offset + digits - 1, through: offset, by: -1) {
                    buffer[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(year, 4, at: 0)
            buffer[4] = UInt8(ascii: "-")
            put(month, 2, at: 5)
            buffer[7] = UInt8(ascii: "-")
            put(day, 2, at: 8)
            buffer[10] = UInt8(ascii: "T")
            put(secondOfDay / 3600, 2, at: 11)
            buffer[13] = UInt8(ascii: ":")
            put(secondOfDay / 60 % 60, 2, at: 14)
            buffer[16] = UInt8(ascii: ":")
            put(secondOfDay % 60, 2, at: 17)
            buffer[19] = UInt8(ascii: ".")
            put(epochMilliseconds % 1000, 3, at: 20)
            buffer[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    /// `YYYY-MM-DD` of a timestamp produced by `timestamp(_:)`.
    public static func day(ofTimestamp ts: String) -> Substring { ts.prefix(10) }

    /// `YYYY-MM-DD.jsonl`, or `YYYY-MM-DD.NAME.jsonl` for a named instance.
    public static func fileName(day: Substring, instance: String?) -> String {
        if let instance { return "\(day).\(instance).jsonl" }
        return "\(day).jsonl"
    }
}
