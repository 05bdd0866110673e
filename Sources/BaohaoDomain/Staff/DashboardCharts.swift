import Foundation

/// Credited face value of one channel on one Beijing day.
public struct DailyCredit: Sendable, Hashable {
    public let day: LocalDate
    public let channel: String
    public let amount: Money

    public init(day: LocalDate, channel: String, amount: Money) {
        self.day = day
        self.channel = channel
        self.amount = amount
    }
}

/// Lines that moved from one stage to another on one Beijing day (the day it was recorded).
public struct DailyStageMove: Sendable, Hashable {
    public let day: LocalDate
    public let from: LineStatus
    public let to: LineStatus
    public let count: Int

    public init(day: LocalDate, from: LineStatus, to: LineStatus, count: Int) {
        self.day = day
        self.from = from
        self.to = to
        self.count = count
    }
}

/// What the console's charts draw, all in Beijing days.
public struct DashboardCharts: Sendable {
    /// The days drawn, oldest first, ending today.
    public let days: [LocalDate]
    /// Credited face value per channel, one value per day of ``days`` (minor units of `currency`).
    public let credited: [(channel: String, amounts: [Int64])]
    public let currency: Currency
    /// Lines per stage at the end of each day of ``days`` (today: now).
    public let stages: [(stage: LineStatus, counts: [Int])]
    /// Numbers whose schedule reaches 已回收 in each week ahead (starting today, 7 days each).
    public let reclaimsByWeek: [(weekStart: LocalDate, count: Int)]

    /// Days drawn by the console.
    public static let dayCount = 30
    /// Weeks ahead in the reclaim forecast.
    public static let weekCount = 8

    /// The ``dayCount`` days drawn, oldest first, ending `today`.
    public static func days(endingOn today: LocalDate) -> [LocalDate] {
        (0..<dayCount).map { today.adding(days: $0 - dayCount + 1) }
    }

    /// The charts from what the store counted: `days` from ``days(endingOn:)``, credits per day
    /// and channel (other currencies left out), today's lines per stage with the moves and
    /// additions recorded after the first day, and the day each lapsed line reaches 已回收.
    public init(
        days: [LocalDate], credits: [DailyCredit], currency: Currency, counts: [LineStatus: Int], moves: [DailyStageMove],
        added: [LocalDate: Int], reclaimDays: [LocalDate]
    ) {
        let today = days[days.count - 1]
        let index = Dictionary(uniqueKeysWithValues: days.enumerated().map { ($0.element, $0.offset) })
        var byChannel: [String: [Int64]] = [:]
        for credit in credits where credit.amount.currency == currency {
            guard let at = index[credit.day] else { continue }
            byChannel[credit.channel, default: Array(repeating: 0, count: days.count)][at] += credit.amount.amountMinor
        }
        var weeks = Array(repeating: 0, count: Self.weekCount)
        for day in reclaimDays where day >= today {
            let week = (day.dayNumber - today.dayNumber) / 7
            if week < weeks.count { weeks[week] += 1 }
        }
        self.days = days
        self.credited = byChannel.keys.sorted().map { ($0, byChannel[$0]!) }
        self.currency = currency
        self.stages = Self.stageHistory(days: days, today: counts, moves: moves, added: added)
        self.reclaimsByWeek = weeks.enumerated().map { (today.adding(days: $0.offset * 7), $0.element) }
    }

    /// Lines per stage at the end of each day, walked back from today's counts: a move recorded on
    /// a later day is undone, and a line added on a later day did not exist yet (it starts active).
    public static func stageHistory(
        days: [LocalDate], today counts: [LineStatus: Int], moves: [DailyStageMove], added: [LocalDate: Int]
    ) -> [(stage: LineStatus, counts: [Int])] {
        var current = counts
        var perDay: [[LineStatus: Int]] = Array(repeating: [:], count: days.count)
        for index in days.indices.reversed() {
            perDay[index] = current
            let day = days[index]
            for move in moves where move.day == day {
                current[move.to, default: 0] -= move.count
                current[move.from, default: 0] += move.count
            }
            current[.active, default: 0] -= added[day] ?? 0
        }
        return LineStatus.allCases.map { stage in (stage, perDay.map { max(0, $0[stage] ?? 0) }) }
    }
}
