import Foundation

/// Formats record timestamps (UTC, milliseconds) and names the day file they belong to.
public struct TranscriptClock: Sendable {
    private let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    public init() {}

    public func timestamp(_ date: Date) -> String { style.format(date) }

    /// `YYYY-MM-DD` of a timestamp produced by `timestamp(_:)`.
    public static func day(ofTimestamp ts: String) -> Substring { ts.prefix(10) }

    /// `YYYY-MM-DD.jsonl`, or `YYYY-MM-DD.NAME.jsonl` for a named instance.
    public static func fileName(day: Substring, instance: String?) -> String {
        if let instance { return "\(day).\(instance).jsonl" }
        return "\(day).jsonl"
    }
}
