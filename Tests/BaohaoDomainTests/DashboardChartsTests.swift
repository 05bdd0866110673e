import BaohaoDomain
import Foundation
import Testing

@Suite("Dashboard charts: lines by stage walked back from today")
struct DashboardChartsTests {
    @Test func movesAndNewLinesAreUndoneDayByDay() throws {
        let days = (0..<3).map { LocalDate(iso: "2026-11-22")!.adding(days: $0) }
        // Today: 5 active, 1 suspended, 1 barred. On the 23rd one line went active → suspended;
        // on the 24th one went suspended → barred and two lines were added.
        let history = DashboardCharts.stageHistory(
            days: days, today: [.active: 5, .suspended: 1, .barred: 1],
            moves: [
                DailyStageMove(day: days[1], from: .active, to: .suspended, count: 1),
                DailyStageMove(day: days[2], from: .suspended, to: .barred, count: 1),
            ], added: [days[2]: 2])
        let by = Dictionary(uniqueKeysWithValues: history.map { ($0.stage, $0.counts) })
        #expect(by[.active] == [4, 3, 5])
        #expect(by[.suspended] == [1, 2, 1])
        #expect(by[.barred] == [0, 0, 1])
        #expect(by[.reclaimed] == [0, 0, 0])
    }

    @Test func creditsGoToTheirDayAndChannelAndReclaimsToTheirWeek() throws {
        let today = LocalDate(iso: "2026-11-24")!
        let days = DashboardCharts.days(endingOn: today)
        #expect(days.count == 30 && days.first == LocalDate(iso: "2026-10-26") && days.last == today)
        let charts = DashboardCharts(
            days: days,
            credits: [
                DailyCredit(day: today, channel: "online", amount: .major(30)),
                DailyCredit(day: today, channel: "online", amount: Money(1000, Currency(code: "GBP")!)),
                DailyCredit(day: days[0], channel: "counter", amount: .major(20)),
                DailyCredit(day: today.adding(days: -40), channel: "counter", amount: .major(99)),
            ], currency: .cny, counts: [.active: 1], moves: [], added: [:],
            reclaimDays: [today, today.adding(days: 6), today.adding(days: 7), today.adding(days: 55), today.adding(days: 56)])
        #expect(charts.credited.map(\.channel) == ["counter", "online"])
        #expect(charts.credited[0].amounts.first == 2000 && charts.credited[0].amounts.reduce(0, +) == 2000)
        #expect(charts.credited[1].amounts.last == 3000 && charts.credited[1].amounts.reduce(0, +) == 3000)
        #expect(charts.reclaimsByWeek.map(\.count) == [2, 1, 0, 0, 0, 0, 0, 1])
        #expect(charts.reclaimsByWeek[1].weekStart == LocalDate(iso: "2026-12-01"))
    }
}
