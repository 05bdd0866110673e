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
}
