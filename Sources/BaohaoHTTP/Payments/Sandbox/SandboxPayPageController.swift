import BaohaoDomain
import BaohaoPayments
import Foundation
import Hummingbird
import Mustache

/// The sandbox provider's own payment page, as a real provider would host it: the payer sees
/// the amount and approves or declines; the result reaches Baohao only through the signed
/// notification the ``SandboxGateway`` sends afterwards.
struct SandboxPayPageController<Context: RequestContext> {
    let clock: any WallClock
    let provider: SandboxProvider
    let gateway: SandboxGateway
    let secureCookies: Bool

    func addRoutes(to router: Router<Context>) {
        router.get("/sandbox/pay/:id", use: page)
        router.post("/sandbox/pay/:id", use: decide)
    }

    struct PayLink {
        let total: Money
        let expiresAt: Date
        let token: String
    }

    func payLink(id: String, fields: [String: String]) throws -> PayLink {
        guard id.count <= 64, let amount = fields["amount"].flatMap(Int64.init), amount > 0,
            let currency = fields["currency"].flatMap(Currency.init(code:)),
            let exp = fields["exp"].flatMap(Int64.init), let token = fields["token"]
        else { throw Problem(.badRequest, "validation-error", detail: "broken payment link") }
        let total = Money(amount, currency)
        let expiresAt = Date(timeIntervalSince1970: TimeInterval(exp))
        let expected = provider.payToken(orderID: id, total: total, expiresAt: expiresAt)
        guard ConstantTime.equal(Array(expected.utf8), Array(token.utf8)) else {
            throw Problem(.badRequest, "validation-error", detail: "broken payment link")
        }
        return PayLink(total: total, expiresAt: expiresAt, token: token)
    }

    @Sendable func page(_ request: Request, context: Context) async throws -> Response {
        let language = request.language
        let id = try context.parameters.require("id")
        var fields: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { fields[String(key)] = String(value) }
        let link = try payLink(id: id, fields: fields)
        let (csrf, isNew) = CSRFToken.current(request)
        let content = SandboxPayPageTemplate.template.render([
            "csrf": csrf,
            "heading": language == .zh ? "沙箱收银台" : "Sandbox checkout",
            "sandboxNote": language == .zh ? "这是测试用的沙箱支付，不会产生真实扣款。" : "This is the sandbox provider: no real money moves.",
            "orderLabel": PageLayout.label("订单号", "Order", language), "amountLabel": PageLayout.label("支付金额", "Amount", language),
            "id": id, "amount": link.total.formatted, "amountMinor": String(link.total.amountMinor), "currency": link.total.currency.code,
            "exp": String(Int64(link.expiresAt.timeIntervalSince1970)), "token": link.token,
            "deliveryLabel": language == .zh ? "通知送达方式（模拟）" : "Notification delivery (simulated)",
            "deliveryNormal": language == .zh ? "正常" : "Normal",
            "deliveryDuplicated": language == .zh ? "重复发送三次" : "Three duplicates",
            "deliveryLate": language == .zh ? "延迟 10 秒" : "10 seconds late",
            "approveLabel": language == .zh ? "确认支付" : "Approve payment", "declineLabel": language == .zh ? "拒绝支付" : "Decline",
        ])
        var page = HTMLResponse(
            html: PageLayout.render(title: language == .zh ? "沙箱收银台" : "Sandbox checkout", content: content, language: language))
        if isNew { page.cookies.append(CSRFToken.cookie(csrf, secure: secureCookies)) }
        return try page.response(from: request, context: context)
    }

    @Sendable func decide(_ request: Request, context: Context) async throws -> Response {
        let id = try context.parameters.require("id")
        let bytes = try await request.bodyBytes(limit: 4 * 1024)
        let fields = FormDecoding.decode(String(decoding: bytes, as: UTF8.self))
        // A cross-site POST must not approve a payment: the form carries its cookie's token.
        guard CSRFToken.isValid(request, form: fields) else {
            throw Problem(.forbidden, "forbidden", detail: "the sandbox checkout's form token is missing or from another site")
        }
        let link = try payLink(id: id, fields: fields)
        let approve = fields["decision"] == "approve"
        let delivery = fields["delivery"].flatMap(SandboxGateway.Delivery.init(rawValue:)) ?? .normal
        await gateway.decide(orderID: id, total: link.total, approve: approve, delivery: delivery, at: self.clock.now())
        return Response(status: .seeOther, headers: [.location: "/orders/\(id)?from=cashier"])
    }
}

/// `application/x-www-form-urlencoded` bodies.
enum FormDecoding {
    static func decode(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard let rawKey = parts.first else { continue }
            let decode = { (s: Substring) in s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            fields[decode(rawKey)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }
}

enum SandboxPayPageTemplate {
    static let template = try! MustacheTemplate(
        string: """
            <h1>{{heading}}</h1>
            <div class="card">
            <p class="note">{{sandboxNote}}</p>
            <table>
            <tr><th>{{{orderLabel}}}</th><td>{{id}}</td></tr>
            <tr><th>{{{amountLabel}}}</th><td class="status">{{amount}}</td></tr>
            </table>
            <form method="post" action="/sandbox/pay/{{id}}">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <input type="hidden" name="amount" value="{{amountMinor}}">
            <input type="hidden" name="currency" value="{{currency}}">
            <input type="hidden" name="exp" value="{{exp}}">
            <input type="hidden" name="token" value="{{token}}">
            <p><label for="delivery">{{deliveryLabel}}</label>
            <select id="delivery" name="delivery">
            <option value="normal">{{deliveryNormal}}</option>
            <option value="duplicated">{{deliveryDuplicated}}</option>
            <option value="late">{{deliveryLate}}</option>
            </select></p>
            <button type="submit" name="decision" value="approve">{{approveLabel}}</button>
            <button type="submit" name="decision" value="decline" class="secondary">{{declineLabel}}</button>
            </form>
            </div>
            """)
}
