import BaohaoDomain
import Foundation
import Testing

/// What a subscriber is told about a line: a deadline and an action for every line that can be
/// lost, with or without a policy, and what restores a line that is out of service.
@Suite("Line standing: deadlines and what restores a line")
struct LineStandingTests {
    static let book = try! PolicyBook.standard()
    /// 2026-11-24 20:00 Beijing.
    static let now = Date(timeIntervalSince1970: 1_795_521_600)

    static func line(balance: Int64, status: LineStatus = .active, policy: String? = nil, plan: String = "KEEP5") throws -> Line {
        Line(
            id: "l", msisdn: try MSISDN(parsing: "13800138000"), mobileOperator: .chinaMobile, planCode: plan, holderName: "x",
            status: status, balance: Money(balance, .cny), createdAt: now.addingTimeInterval(-86_400 * 40), policyCode: policy)
    }

    static let plan = try! Plan(code: "KEEP5", name: "保号套餐 5元/月", monthlyFee: .major(5))

    @Test func aPlanWithoutPolicyStillGivesADeadlineFromItsFee() throws {
        // ¥23.50 at ¥5/month pays 4 fees: Dec, Jan, Feb, Mar → due 2027-04-01; ¥1.50 more pays April's.
        let funded = Self.book.assess(try Self.line(balance: 2350), plan: Self.plan, at: Self.now)
        #expect(funded.deadline == LocalDate(iso: "2027-04-01"))
        #expect(funded.action == .recharge(atLeast: Money(150, .cny), before: LocalDate(iso: "2027-04-01")!))
        #expect(funded.action.text(.zh) == "请在 2027-04-01 前充值至少 ¥1.50")

        let empty = Self.book.assess(try Self.line(balance: 0), plan: Self.plan, at: Self.now)
        #expect(empty.deadline == LocalDate(iso: "2026-12-01"))
        #expect(empty.action == .recharge(atLeast: .major(5), before: LocalDate(iso: "2026-12-01")!))

        // 2026-11-30 17:00 UTC is already 1 December in Beijing: the next fee is January's.
        let lateNovember = Date(timeIntervalSince1970: 1_796_058_000)
        #expect(Self.book.assess(try Self.line(balance: 0), plan: Self.plan, at: lateNovember).deadline == LocalDate(iso: "2027-01-01"))
    }

    @Test func aSuspendedLineWithoutPolicySaysWhatRestoresIt() throws {
        let suspended = Self.book.assess(try Self.line(balance: -300, status: .suspended), plan: Self.plan, at: Self.now)
        #expect(suspended.deadline == LocalDate(iso: "2026-11-24"))
        #expect(suspended.action == .restore(atLeast: Money(300, .cny), before: nil, then: nil))
        #expect(suspended.action.text(.zh) == "充值至少 ¥3.00 即可恢复正常使用")
        #expect(suspended.action.text(.en) == "A recharge of at least ¥3.00 puts it back in service")
    }

    @Test func aFreePlanOrAReclaimedLineHasNothingToDo() throws {
        let free = try Plan(code: "FREE", name: "免费", monthlyFee: .zero(.cny))
        #expect(Self.book.assess(try Self.line(balance: 0, plan: "FREE"), plan: free, at: Self.now).deadline == nil)
        let reclaimed = Self.book.assess(try Self.line(balance: -300, status: .reclaimed), plan: Self.plan, at: Self.now)
        #expect(reclaimed.action == .none)
        // A plan that is not the line's is not used.
        #expect(Self.book.assess(try Self.line(balance: 0, plan: "OTHER"), plan: Self.plan, at: Self.now).deadline == nil)
    }

    @Test func aBarredLineUnderItsPolicySaysTheAmountAndTheDayItIsReclaimed() throws {
        let policy = try #require(Self.book.policy(code: "cn-keep5", at: Self.now))
        // In arrears since 2026-10-10: 单停 from then for 30 days, 双停 for 60 more, reclaimed 2027-01-08.
        var line = try Self.line(balance: -1200, status: .barred, policy: "cn-keep5")
        line.retention = RetentionState(
            stageSince: Self.now, arrearsSince: LocalDate(iso: "2026-10-10"), lastActivityAt: Self.now,
            nextChargeAt: LocalDate(iso: "2026-12-01"))
        let barred = Self.book.assess(line, plan: Self.plan, at: Self.now)
        #expect(barred.action == .restore(atLeast: .major(12), before: LocalDate(iso: "2027-01-08")!, then: .reclaimed))
        #expect(barred.action.text(.zh) == "充值至少 ¥12.00 即可恢复正常使用；请在 2027-01-08 前充值，否则将转为已回收")
        #expect(
            barred.action.text(.en)
                == "A recharge of at least ¥12.00 puts it back in service; recharge before 2027-01-08, when it becomes reclaimed")
        // The recharge that clears the arrears restores it; one that does not, does not.
        var short = line
        short.balance = Money(-200, .cny)
        #expect(RetentionEngine.afterRecharge(short, amount: .major(10), policy: policy, now: Self.now).1 == nil)
        var enough = line
        enough.balance = Money(800, .cny)
        #expect(RetentionEngine.afterRecharge(enough, amount: .major(20), policy: policy, now: Self.now).0.status == .active)
    }
}
