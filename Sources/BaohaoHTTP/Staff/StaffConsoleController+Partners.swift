import BaohaoDomain
import Foundation
import Hummingbird

/// `/staff/partners`: each partner's float (available and held), today's credited volume, its
/// failing callbacks and its price, for operators and administrators.
extension StaffConsoleController {
    @Sendable func partnerList(_ request: Request, context: Context) async throws -> Response {
        let viewer = try context.signedInStaff
        let zh = request.language == .zh
        let rows: [[String: Any]] = try await partners.list().map { overview in
            let partner = overview.partner
            let pricing = partner.pricing
            var price = pricing.discountBasisPoints == 0 ? (zh ? "按面值" : "face value") : Self.percent(pricing.discountBasisPoints)
            if !pricing.byAmount.isEmpty {
                price +=
                    "; "
                    + pricing.byAmount.sorted { $0.key < $1.key }.map {
                        "\(Money($0.key, partner.float.currency).formatted) \(Self.percent($0.value))"
                    }.joined(separator: ", ")
            }
            return [
                "code": partner.code, "name": partner.name,
                "status": partner.isEnabled ? (zh ? "启用" : "active") : (zh ? "已停用" : "disabled"),
                "statusClass": partner.isEnabled ? "ok" : "",
                "available": partner.float.available.formatted, "held": partner.float.held.formatted,
                "todayCount": zh ? "\(overview.todayCount) 笔" : "\(overview.todayCount)", "todayAmount": overview.todayAmount.formatted,
                "failing": String(overview.failingCallbacks), "failingClass": overview.failingCallbacks > 0 ? "warn" : "",
                "pricing": price, "rate": partner.rateLimit,
            ]
        }
        return try page(
            request, context: context, title: zh ? "保号 · 合作方" : "Baohao · Partners", template: StaffTemplates.partners,
            values: [
                "heading": zh ? "第三方平台合作方" : "Partner platforms",
                "intro": zh
                    ? "合作方预存款：可用余额、已冻结（已受理未到账）、今日到账笔数与面值（北京时间）、投递失败的回调。"
                    : "Partners' floats: available, held (accepted, not yet credited), today's credited top-ups (Beijing time) and callbacks failing delivery.",
                "partners": rows, "none": rows.isEmpty,
                "noneText": zh ? "还没有合作方。用 baohao partners add 添加。" : "No partners yet. Add one with baohao partners add.",
                "availableLabel": zh ? "可用余额" : "Available", "heldLabel": zh ? "冻结中" : "Held",
                "todayLabel": zh ? "今日到账" : "Credited today", "failingLabel": zh ? "回调失败" : "Failing callbacks",
                "pricingLabel": zh ? "折扣" : "Discount", "rateLabel": zh ? "限速" : "Rate limit",
            ], viewer: viewer)
    }

    /// Basis points as a percentage: 200 → `2%`, 250 → `2.5%`.
    static func percent(_ basisPoints: Int64) -> String {
        let whole = basisPoints / 100
        let rest = basisPoints % 100
        if rest == 0 { return "\(whole)%" }
        return rest % 10 == 0 ? "\(whole).\(rest / 10)%" : "\(whole).\(rest < 10 ? "0" : "")\(rest)%"
    }
}
