import BaohaoDomain
import Foundation
import Testing

/// 400 simulated days of one line under each shipped policy: a runner reviews the line every
/// morning, recharges and uses happen at noon, and every stage date and charge is asserted.
@Suite("Retention: 400 simulated days per shipped policy")
struct RetentionSimulationTests {
    enum Event {
        case recharge(Int64)
        case use(ActivityKind)
    }

    struct Outcome {
        var stages: [String] = []
        var charges: [String] = []
        var reminders: [String] = []
        var line: Line
    }

    static let book = try! PolicyBook.standard()

    static func simulate(
        policy code: String, start: String, balance: Int64, days: Int = 400, events: [String: Event] = [:]
    ) throws -> Outcome {
        // The policy version in force on the simulated start day, not on the day the test runs.
        let startInstant = try #require(Timestamp.parse(start + "T12:00:00+08:00"))
        let policy = try #require(book.policy(code: code, at: startInstant))
        let zone = policy.timeZone
        let first = try #require(LocalDate(iso: start))
        let created = first.startOfDay(in: zone).addingTimeInterval(10 * 3600)
        var line = Line(
            id: "line_sim", msisdn: try MSISDN(parsing: "13800138000"), mobileOperator: .chinaMobile, planCode: "P", holderName: "模拟",
            status: .active, balance: Money(balance, policy.currency), createdAt: created, policyCode: code,
            retention: RetentionEngine.initialState(policy: policy, createdAt: created, balance: Money(balance, policy.currency)))
        var outcome = Outcome(line: line)
        var pending: [StageChange] = []
        var seenReminders: Set<String> = []
        for offset in 0...days {
            let day = first.adding(days: offset)
            let morning = day.startOfDay(in: zone).addingTimeInterval(9 * 3600)
            if let due = line.retention.reviewAt, due <= morning {
                let review = RetentionEngine.review(line, policy: policy, now: morning, pendingChanges: pending)
                pending = []
                line = review.line
                outcome.charges += review.charges.map { "\($0.period) \($0.amount.decimalString)" }
                outcome.stages += review.changes.map { "\($0.effectiveOn.iso) \($0.to.rawValue) (\($0.reason))" }
                for reminder in review.reminders where seenReminders.insert(reminder.key).inserted {
                    outcome.reminders.append(reminder.key)
                }
            }
            let noon = day.startOfDay(in: zone).addingTimeInterval(12 * 3600)
            switch events[day.iso] {
            case .recharge(let amount)?:
                line.balance = Money(line.balance.amountMinor + amount, policy.currency)
                let (updated, change) = RetentionEngine.afterRecharge(
                    line, amount: Money(amount, policy.currency), policy: policy, now: noon)
                line = updated
                if let change {
                    pending.append(change)
                    outcome.stages.append("\(change.effectiveOn.iso) \(change.to.rawValue) (\(change.reason))")
                }
            case .use(let kind)?:
                let (updated, change) = RetentionEngine.afterActivity(line, kind: kind, at: noon, policy: policy, now: noon)
                line = updated
                if let change { outcome.stages.append("\(change.effectiveOn.iso) \(change.to.rawValue) (\(change.reason))") }
            case nil:
                break
            }
        }
        outcome.line = line
        return outcome
    }

    @Test func mainlandArrearsSuspendBarReclaim() throws {
        let outcome = try Self.simulate(policy: "cn-keep5", start: "2026-01-10", balance: 1200)
        #expect(outcome.charges == ["2026-02 5.00", "2026-03 5.00", "2026-04 5.00"])
        #expect(
            outcome.stages == [
                "2026-04-01 suspended (arrears)", "2026-05-01 barred (arrears)", "2026-06-30 reclaimed (arrears)",
            ])
        #expect(outcome.line.balance.amountMinor == -300)
        #expect(
            outcome.line.retention.quarantineUntil == LocalDate(iso: "2026-09-28")!.startOfDay(in: TimeZone(identifier: "Asia/Shanghai")!))
        #expect(outcome.reminders.contains("deadline:30:suspended:2026-04-01"))
        #expect(outcome.reminders.contains("deadline:7:suspended:2026-04-01"))
        #expect(outcome.reminders.contains("deadline:1:suspended:2026-04-01"))
        #expect(outcome.reminders.contains("deadline:30:reclaimed:2026-06-30"))
        #expect(outcome.reminders.contains("stage:reclaimed:2026-06-30"))
        #expect(outcome.reminders.contains("low_balance:2026-04-01"))
    }

    @Test func mainlandRechargeInArrearsRestoresAtOnceAndFeesContinue() throws {
        let outcome = try Self.simulate(
            policy: "cn-keep5", start: "2026-01-10", balance: 1200, events: ["2026-04-15": .recharge(5000)])
        // Suspended on 1 Apr; ¥50 on 15 Apr clears ¥3 arrears (balance ¥47): nine more fees fit.
        #expect(
            outcome.stages == [
                "2026-04-01 suspended (arrears)", "2026-04-15 active (recharge)", "2027-02-01 suspended (arrears)",
            ])
        #expect(outcome.charges.count == 3 + 9 + 1)
        #expect(outcome.line.balance.amountMinor == -300)
    }

    @Test func giffgaffReclaimsSixMonthsAfterLastUse() throws {
        let idle = try Self.simulate(policy: "giffgaff", start: "2026-01-10", balance: 500)
        #expect(idle.stages == ["2026-07-10 reclaimed (inactivity)"])
        #expect(idle.charges.isEmpty)
        let used = try Self.simulate(policy: "giffgaff", start: "2026-01-10", balance: 500, events: ["2026-03-05": .use(.sms)])
        #expect(used.stages == ["2026-09-05 reclaimed (inactivity)"])
        #expect(used.reminders.contains("deadline:7:reclaimed:2026-09-05"))
    }

    @Test func threeUKCountsATopUpAsActivity() throws {
        let idle = try Self.simulate(policy: "three-uk", start: "2026-01-10", balance: 500)
        #expect(idle.stages == ["2026-07-09 reclaimed (inactivity)"])
        let topped = try Self.simulate(policy: "three-uk", start: "2026-01-10", balance: 500, events: ["2026-06-01": .recharge(1000)])
        #expect(topped.stages == ["2026-11-28 reclaimed (inactivity)"])
    }

    @Test func telkomselValidityGraceThenRecycle() throws {
        let outcome = try Self.simulate(
            policy: "telkomsel", start: "2026-01-10", balance: 0, events: ["2026-02-01": .recharge(5_000_000)])
        // 30 initial days to 9 Feb; Rp50,000 on 1 Feb adds 45 days from 9 Feb.
        #expect(
            outcome.stages == [
                "2026-03-26 grace (validity)", "2026-04-25 barred (validity)", "2026-10-17 reclaimed (validity)",
            ])
    }

    @Test func telkomselValidityIsCappedAt365Days() throws {
        let outcome = try Self.simulate(
            policy: "telkomsel", start: "2026-01-10", balance: 0,
            events: [
                "2026-01-11": .recharge(15_000_000), "2026-01-12": .recharge(15_000_000), "2026-01-13": .recharge(15_000_000),
                "2026-01-14": .recharge(15_000_000), "2026-01-15": .recharge(15_000_000),
            ])
        // 9 Feb + 5 × 90 days would pass the cap: validity stops at 15 Jan 2026 + 365 days.
        #expect(outcome.line.retention.validUntil == LocalDate(iso: "2027-01-15"))
        #expect(outcome.stages == ["2027-01-15 grace (validity)", "2027-02-14 barred (validity)"])
    }

    @Test func chinaMobileHongKongTopUpAdds180Days() throws {
        let idle = try Self.simulate(policy: "cmhk", start: "2026-01-10", balance: 0)
        #expect(idle.stages == ["2026-07-09 grace (validity)", "2026-08-07 reclaimed (validity)"])
        let topped = try Self.simulate(policy: "cmhk", start: "2026-01-10", balance: 0, events: ["2026-06-01": .recharge(5000)])
        #expect(topped.stages == ["2027-01-05 grace (validity)", "2027-02-03 reclaimed (validity)"])
        #expect(topped.line.retention.validUntil == LocalDate(iso: "2027-01-05"))
        let inGrace = try Self.simulate(policy: "cmhk", start: "2026-01-10", balance: 0, events: ["2026-07-20": .recharge(5000)])
        #expect(
            inGrace.stages == [
                "2026-07-09 grace (validity)", "2026-07-20 active (recharge)", "2027-01-16 grace (validity)",
                "2027-02-14 reclaimed (validity)",
            ])
    }

    @Test func indiaMinimumBalanceChargesThenLapses() throws {
        let outcome = try Self.simulate(policy: "in-trai", start: "2026-01-10", balance: 5000)
        #expect(outcome.charges == ["2026-04-10 20.00", "2026-05-10 20.00"])
        #expect(outcome.stages == ["2026-06-09 grace (minimum_balance)", "2026-06-24 reclaimed (minimum_balance)"])
    }

    @Test func cheapestActionForEachRuleKind() throws {
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let created = LocalDate(iso: "2026-01-10")!.startOfDay(in: zone).addingTimeInterval(36_000)
        let policy = try #require(Self.book.policy(code: "cn-keep5", at: created))
        let line = Line(
            id: "l", msisdn: try MSISDN(parsing: "13800138000"), mobileOperator: .chinaMobile, planCode: "P", holderName: "x",
            status: .active,
            balance: Money(1200, .cny), createdAt: created, policyCode: "cn-keep5",
            retention: RetentionEngine.initialState(policy: policy, createdAt: created, balance: Money(1200, .cny)))
        let assessment = RetentionEngine.assess(line, policy: policy, now: created)
        #expect(assessment.deadline == LocalDate(iso: "2026-04-01"))
        #expect(assessment.nextStage == .suspended)
        #expect(assessment.action == .recharge(atLeast: Money(300, .cny), before: LocalDate(iso: "2026-04-01")!))
        #expect(assessment.action.text(.zh) == "请在 2026-04-01 前充值至少 ¥3.00")
        #expect(assessment.schedule.map(\.startsOn.iso) == ["2026-04-01", "2026-05-01", "2026-06-30"])

        let giffgaff = try #require(Self.book.policy(code: "giffgaff", at: created))
        var gLine = line
        gLine.retention = RetentionEngine.initialState(policy: giffgaff, createdAt: created, balance: .zero(Currency(code: "GBP")!))
        #expect(
            RetentionEngine.assess(gLine, policy: giffgaff, now: created).action.text(.en)
                == "Any chargeable use (recharge, call, sms, data) before 2026-07-10")
    }
}
