import Foundation

/// When agents answer, from the knowledge base's settings: `service_hours` like
/// `Mo-Fr 08:00-18:00` (days optional, German or English abbreviations; several ranges
/// separated by `,`) and `service_timezone` (IANA name, default Europe/Berlin). Outside these
/// hours a handoff goes straight to the callback question, even with agents logged in.
public struct ServiceHours: Sendable, Equatable {
    struct Range: Sendable, Equatable {
        var days: Set<Int>  // 1 = Monday … 7 = Sunday
        var from: Int  // minutes after midnight
        var to: Int
    }

    var ranges: [Range]
    var timeZone: TimeZone

    /// Nil when no hours are set (always open) or the setting cannot be read.
    public init?(settings: [String: String]) {
        guard let text = settings["service_hours"], !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        guard let parsed = Self.parse(text) else { return nil }
        ranges = parsed
        timeZone = settings["service_timezone"].flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "Europe/Berlin") ?? .gmt
    }

    public static func isValid(_ text: String) -> Bool { parse(text) != nil }

    public func isOpen(at date: Date) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        let day = ((parts.weekday ?? 1) + 5) % 7 + 1  // Sunday 1 → 7, Monday 2 → 1
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        return ranges.contains { $0.days.contains(day) && $0.from <= minute && minute < $0.to }
    }

    static let dayNames: [String: Int] = [
        "mo": 1, "mon": 1, "di": 2, "tue": 2, "mi": 3, "wed": 3, "do": 4, "thu": 4, "fr": 5, "fri": 5, "sa": 6, "sat": 6, "so": 7, "sun": 7,
    ]

    static func parse(_ text: String) -> [Range]? {
        var ranges: [Range] = []
        for part in text.split(separator: ",") {
            let words = part.split(separator: " ")
            guard (1...2).contains(words.count) else { return nil }
            var days = Set(1...7)
            if words.count == 2 {
                let span = words[0].lowercased().split(separator: "-")
                guard let first = span.first.flatMap({ dayNames[String($0)] }) else { return nil }
                let last = span.count == 2 ? dayNames[String(span[1])] : first
                guard let last, span.count <= 2 else { return nil }
                days = first <= last ? Set(first...last) : Set(first...7).union(1...last)
            }
            let times = words[words.count - 1].split(separator: "-")
            guard times.count == 2, let from = minutes(times[0]), let to = minutes(times[1]), from < to else { return nil }
            ranges.append(Range(days: days, from: from, to: to))
        }
        return ranges.isEmpty ? nil : ranges
    }

    private static func minutes(_ text: Substring) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), (0...24).contains(hour), (0..<60).contains(minute),
              hour * 60 + minute <= 24 * 60 else { return nil }
        return hour * 60 + minute
    }
}
