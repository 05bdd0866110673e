import BaohaoDomain
import Foundation

/// Small builders shared by the test suites.
public enum Fixtures {
    /// The ¥5/month keep-alive plan.
    public static let keepAlivePlan = try! Plan(code: "KEEP5", name: "保号套餐 5元/月", monthlyFee: .major(5))

    /// A clock fixed at 2026-11-24 12:00:00 UTC.
    public static func clock() -> ManualWallClock {
        ManualWallClock(Date(timeIntervalSince1970: 1_795_521_600))
    }

    /// Adds the keep-alive plan and one line with `balance` (minor units).
    @discardableResult
    public static func seedLine(
        _ store: any RechargeStore, msisdn: String = "13800138000", balance: Int64 = 0, clock: any WallClock
    ) async throws -> Line {
        let admin = AdminService(store: store, clock: clock)
        if try await admin.plan(code: keepAlivePlan.code) == nil { try await admin.addPlan(keepAlivePlan) }
        return try await LineService(store: store, clock: clock).add(
            NewLine(msisdn: msisdn, planCode: keepAlivePlan.code, holderName: "张三", openingBalance: Money(balance, .cny)))
    }
}
