import BaohaoDomain
import BaohaoHTTP
import Foundation

/// Demo data for `serve --demo`: a ¥5/month keep-alive plan and lines in different states.
/// Seeded once; a data folder that already has the plan is left alone.
enum DemoData {
    static func seed(_ services: AppServices, announce: @Sendable (String) -> Void) async throws {
        let plan = try Plan(code: "KEEP5", name: "保号套餐 5元/月", monthlyFee: .major(5))
        do {
            try await services.admin.addPlan(plan)
        } catch DomainError.planExists {
            return
        }
        let lines: [(String, String, Int64, LineStatus)] = [
            ("13800138000", "张三", 2350, .active),
            ("18612345678", "李四", 0, .active),
            ("13312345678", "王五", -300, .suspended),
            ("19212345678", "赵六", -1200, .barred),
            ("+44 7700 900123", "Chen Wei", 5000, .active),
        ]
        for (number, holder, balance, status) in lines {
            let line = try await services.lines.add(
                NewLine(msisdn: number, planCode: plan.code, holderName: holder, openingBalance: Money(balance, .cny)))
            if status != .active { _ = try await services.lines.changeStatus(msisdn: line.msisdn.e164, to: status) }
        }
        // The hotline takes calls in the demo: the IVR channel's default rules, enabled.
        let ivr = ChannelPolicy.defaultPolicy(for: .ivr)
        try await services.channelPolicies.update(
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
