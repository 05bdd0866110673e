import BaohaoDomain
import Foundation
import Testing

@Suite("Clocks")
struct ClockTests {
    @Test func anOffsetClockIsTheRealTimeShiftedByTheGapBetweenTheChosenInstantAndTheRealTime() throws {
        let chosen = try #require(Timestamp.parse("2028-02-29T12:00:00+08:00"))
        let real = try #require(Timestamp.parse("2026-12-01T08:00:00Z"))
        let clock = OffsetWallClock(reading: chosen, atRealTime: real)
        #expect(clock.offsetSeconds == chosen.timeIntervalSince(real))
        #expect(clock.offsetSeconds == 39_297_600)
    }

    @Test func aManualClockMovesOnlyWhenTold() throws {
        let start = try #require(Timestamp.parse("2026-11-30T23:59:59+08:00"))
        let clock = ManualWallClock(start)
        clock.advance(by: 1)
        #expect(LocalDate(clock.now(), in: TimeZone(identifier: "Asia/Shanghai")!).iso == "2026-12-01")
        #expect(LocalDate(clock.now(), in: TimeZone(identifier: "UTC")!).iso == "2026-11-30")
    }
}
