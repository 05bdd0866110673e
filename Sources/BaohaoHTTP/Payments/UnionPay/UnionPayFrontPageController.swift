import BaohaoDomain
import BaohaoPayments
import Foundation
import Hummingbird
import Mustache

/// `/pay/unionpay/{order}`: the page that takes the payer to UnionPay. UnionPay's front-end
/// consume request is a signed form the payer's browser must POST, so this page holds it and
/// submits it (at once with JavaScript, or with the button without).
struct UnionPayFrontPageController<Context: RequestContext> {
    let checkout: PaymentService
    let recharges: RechargeService
    let provider: UnionPayProvider

    func addRoutes(to router: Router<Context>) {
        router.get("/pay/unionpay/:id", use: page)
    }

    @Sendable func page(_ request: Request, context: Context) async throws -> HTMLResponse {
        let language = request.language
        let id = try context.parameters.require("id")
        guard id.count <= 64, let order = try? await self.recharges.order(id: id), order.paymentMethod == .unionPay,
            let link = try await self.checkout.link(orderID: id), let txnTime = link.providerReference
        else {
            return HTMLResponse(
                html: MessagePage.render(
                    title: language == .zh ? "订单不存在" : "Order not found", message: language == .zh ? "请检查订单号。" : "Check the order number.",
                    language: language), status: .notFound)
        }
        guard order.status == .pendingPayment else {
            return HTMLResponse(
                html: MessagePage.render(
                    title: Messages.orderStatus(order.status, language),
                    message: language == .zh ? "该订单已不能支付。" : "This order can no longer be paid.", language: language), status: .conflict)
        }
        let form = try provider.frontForm(self.checkout.paymentRequest(for: order, gateway: provider), txnTime: txnTime)
        let content = UnionPayFrontPageTemplate.template.render([
            "heading": language == .zh ? "正在前往银联支付" : "Going to UnionPay",
            "amount": order.total.formatted, "action": form.action,
            "fields": form.fields.map { ["name": $0.0, "value": $0.1] },
            "button": language == .zh ? "前往银联支付" : "Continue to UnionPay",
        ])
        return HTMLResponse(
            html: PageLayout.render(title: language == .zh ? "银联支付" : "UnionPay", content: content, language: language),
            formTargets: URL(string: form.action).flatMap { url in
                url.scheme.flatMap { scheme in url.host.map { "\(scheme)://\($0)" + (url.port.map { ":\($0)" } ?? "") } }
            }.map { [$0] } ?? [])
    }
}

enum UnionPayFrontPageTemplate {
    static let template = try! MustacheTemplate(
        string: """
            <h1>{{heading}}</h1>
            <div class="card">
            <p class="status wait">{{amount}}</p>
            <form id="unionpay" method="post" action="{{action}}">
            {{#fields}}<input type="hidden" name="{{name}}" value="{{value}}">
            {{/fields}}<button type="submit">{{button}}</button>
            </form>
            </div>
            <script>document.getElementById("unionpay").submit()</script>
            """)
}
