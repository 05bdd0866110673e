import Foundation

/// A calendar day in some time zone, as a count of days since 1970-01-01 (proleptic Gregorian).
///
/// Retention works in whole local days: a deadline "2027-03-01" means the change happens at
/// 00:00 on that day in the policy's time zone. The arithmetic is integer-only, so evaluating a
/// million lines never goes through `Calendar`.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let dayNumber: Int

    public init(dayNumber: Int) { self.dayNumber = dayNumber }

    /// The date with this year, month and day; `nil` if there is no such day.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), (1...Timestamp.daysIn(month: month, year: year)).contains(day), (1..<10_000).contains(year) else {
            return nil
        }
        dayNumber = Timestamp.daysFromCivil(year: year, month: month, day: day)
    }

    /// Reads `yyyy-MM-dd`.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The local day `date` falls on in `timeZone`.
    public init(_ date: Date, in timeZone: TimeZone) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: date)
        dayNumber = Int((Double(seconds) / 86_400).rounded(.down))
    }

    public var components: (year: Int, month: Int, day: Int) { Timestamp.civilFromDays(dayNumber) }

    /// 00:00 of this day in `timeZone`.
    public func startOfDay(in timeZone: TimeZone) -> Date {
        let utcMidnight = Double(dayNumber) * 86_400
        let guess = utcMidnight - Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: utcMidnight)))
        return Date(timeIntervalSince1970: utcMidnight - Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: guess))))
    }

    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

    /// The same day `months` later, clamped to the end of a shorter month (31 Jan + 1 month = 28/29 Feb).
    public func adding(months: Int) -> LocalDate {
        let (year, month, day) = components
        let index = year * 12 + (month - 1) + months
        let newYear = index / 12
        let newMonth = index % 12 + 1
        return LocalDate(year: newYear, month: newMonth, day: min(day, Timestamp.daysIn(month: newMonth, year: newYear)))!
    }

    /// The first `dayOfMonth` strictly after this date.
    public func nextDay(ofMonth dayOfMonth: Int) -> LocalDate {
        let (year, month, day) = components
        if day < dayOfMonth { return LocalDate(year: year, month: month, day: dayOfMonth)! }
        return LocalDate(year: year, month: month, day: dayOfMonth)!.adding(months: 1)
    }

    /// `yyyy-MM`, the billing period a monthly fee falling on this day belongs to.
    public var monthKey: String {
        let (year, month, _) = components
        return Timestamp.pad(year, 4) + "-" + Timestamp.pad(month, 2)
    }

    public var iso: String {
        let (year, month, day) = components
        return Timestamp.pad(year, 4) + "-" + Timestamp.pad(month, 2) + "-" + Timestamp.pad(day, 2)
    }

    /// `yyyyMMdd`, as in receipt numbers.
    public var compact: String {
        let (year, month, day) = components
        return Timestamp.pad(year, 4) + Timestamp.pad(month, 2) + Timestamp.pad(day, 2)
    }

    public var description: String { iso }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.dayNumber < rhs.dayNumber }

}

extension LocalDate: Codable {
    /// Encoded as `yyyy-MM-dd`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let date = LocalDate(iso: try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a yyyy-MM-dd date")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}
