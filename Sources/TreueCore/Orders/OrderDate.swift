import Foundation

/// A calendar day (`YYYY-MM-DD`), compared and written without a time zone: an export's
/// dates are the shop's days.
public struct OrderDate: Sendable, Hashable, Comparable {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day it is now in the shop's time zone.
    public static func today(_ now: Date = Date(), timeZone: TimeZone) -> OrderDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return OrderDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    public static func < (lhs: OrderDate, rhs: OrderDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for differences between days.
    var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = month
        let dayOfYear = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }

    /// Days from `other` to this day (positive when this one is later).
    public func days(since other: OrderDate) -> Int { dayNumber - other.dayNumber }

    /// 0 = Monday … 6 = Sunday.
    var weekday: Int { ((dayNumber % 7) + 7 + 3) % 7 }

    public var iso: String {
        "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `Donnerstag, 3. Dezember` / `Thursday, 3 December`: the customer's language, the
    /// year only when it is not this year's.
    public func text(language: String, today: OrderDate? = nil) -> String {
        let german = language == "de"
        let weekdayName = (german ? Self.germanWeekdays : Self.englishWeekdays)[weekday]
        let monthName = (german ? Self.germanMonths : Self.englishMonths)[month - 1]
        var text = german ? "\(weekdayName), \(day). \(monthName)" : "\(weekdayName), \(day) \(monthName)"
        if let today, today.year != year { text += " \(year)" }
        return text
    }

    static let germanWeekdays = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
    static let englishWeekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let germanMonths = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                               "November", "Dezember"]
    static let englishMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                                "November", "December"]
}

/// An amount in euros as an export writes it (`49.90`, `1249.9`, `12`), kept in cents.
public struct OrderAmount: Sendable, Equatable {
    public let cents: Int

    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 9,
              parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), let euros = Int(parts[0]) else { return nil }
        var cents = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...2).contains(fraction.count), fraction.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(fraction) else { return nil }
            cents = fraction.count == 1 ? value * 10 : value
        }
        self.cents = euros * 100 + cents
    }

    /// `1.249,90 €` / `€1,249.90`.
    public func text(language: String) -> String {
        let german = language == "de"
        var euros = String(cents / 100)
        var grouped = ""
        while euros.count > 3 {
            grouped = (german ? "." : ",") + euros.suffix(3) + grouped
            euros = String(euros.dropLast(3))
        }
        grouped = euros + grouped
        let rest = cents % 100
        let fraction = (rest < 10 ? "0" : "") + String(rest)
        return german ? "\(grouped),\(fraction) €" : "€\(grouped).\(fraction)"
    }
}
