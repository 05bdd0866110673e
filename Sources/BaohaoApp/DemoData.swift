import BaohaoDomain
import BaohaoHTTP
import Foundation

/// Demo data for `serve --demo`: a ¥5/month keep-alive plan under the shipped mainland policy
/// (`cn-keep5`), and lines in different states. The lines in arrears carry the day their arrears
/// began, and the retention runner moves them to the stage that day implies, so every demo line
/// shows a real deadline and a real action. Seeded once; a data folder that already has the
/// plan is left alone.
enum DemoData {
    static func seed(_ services: AppServices, announce: @Sendable (String) -> Void) async throws {
        let plan = try Plan(
            code: "KEEP5", name: "保号套餐 5元/月", englishName: "Keep-alive plan, ¥5/month", monthlyFee: .major(5), policyCode: "cn-keep5")
        do {
            try await services.admin.addPlan(plan)
        } catch DomainError.planExists {
            return
        }
        // cn-keep5: 30 days 单停 from the day arrears begin, then 60 days 双停, then reclaimed.
        let today = LocalDate(services.clock.now(), in: Deadline.mainlandTimeZone)
        let lines: [(String, String, Int64, Int?)] = [
            ("13800138000", "张三", 2350, nil),
            ("18612345678", "李四", 0, nil),
            ("13312345678", "王五", -300, 12),
            ("19212345678", "赵六", -1200, 45),
            ("+44 7700 900123", "Chen Wei", 5000, nil),
        ]
        for (number, holder, balance, daysInArrears) in lines {
            _ = try await services.lines.add(
                NewLine(
                    msisdn: number, planCode: plan.code, holderName: holder, openingBalance: Money(balance, .cny),
                    arrearsSince: daysInArrears.map { today.adding(days: -$0) }))
        }
        _ = try await services.retention.runReviews()
        // The hotline takes calls in the demo: the IVR channel's default rules, enabled.
        let ivr = ChannelPolicy.defaultPolicy(for: .ivr)
        _ = try await services.channelPolicies.update(
            .ivr,
            to: try ChannelPolicy.validated(
                channel: .ivr, enabled: true, currency: ivr.currency, denominations: ivr.denominations, minimumAmount: ivr.minimumAmount,
                maximumAmount: ivr.maximumAmount, freeAmountStepMinor: ivr.freeAmountStepMinor, fee: ivr.fee,
                paymentMethods: ivr.paymentMethods), expectedVersion: nil, by: "demo")
        // A partner platform with ¥1,000 of float at 2 % off, to try the partner API with.
        let (partner, credentials) = try await services.partners.add(code: "DEMO", name: "演示合作方 Demo partner", callbackURL: nil)
        _ = try await services.partners.deposit(code: partner.code, amount: .major(1000), reference: "demo-deposit", by: "demo")
        _ = try await services.partners.setPricing(code: partner.code, PartnerPricing(discountBasisPoints: 200))
        announce("demo partner DEMO (¥1,000.00 float, 2 % off), shown once: key_id: \(credentials.keyID) secret: \(credentials.secret)")
        announce(
            "demo data: plan KEEP5 (¥5.00/month), lines 13800138000 (active), 18612345678 (active, ¥0), 13312345678 (suspended), 19212345678 (barred), +447700900123"
        )
    }
}
