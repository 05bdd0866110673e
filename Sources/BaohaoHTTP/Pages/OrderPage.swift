import BaohaoDomain
import Foundation
import Hummingbird
import Mustache

/// `/orders/{id}`: where the payer waits for 到账. It follows the order's event stream and
/// reloads when the status changes; without JavaScript it refreshes every few seconds.
struct OrderPageController<Context: RequestContext> {
    let checkout: PaymentService
    let recharges: RechargeService
    let refunds: RefundService
    let clock: any WallClock
    /// Cookies are marked Secure when payers reach the server over https.
    let secureCookies: Bool

    func addRoutes(to router: Router<Context>) {
        router.get("/orders/:id", use: page)
        router.post("/orders/:id/cancel", use: cancel)
    }

    /// The payer gives up before paying (the page's 取消订单); an order already paid is not cancelled.
    @Sendable func cancel(_ request: Request, context: Context) async throws -> Response {
        let id = try context.parameters.require("id")
        let form = FormDecoding.decode(String(decoding: try await request.bodyBytes(limit: 1024), as: UTF8.self))
        guard CSRFToken.isValid(request, form: form) else {
            let zh = request.language == .zh
            return try HTMLResponse(
                html: MessagePage.render(
                    title: zh ? "页面已失效" : "This page has expired",
                    message: zh ? "为了您的安全，请返回重新操作。" : "For your safety, go back and try again.", language: request.language),
                status: .forbidden
            ).response(from: request, context: context)
        }
        guard id.count <= 64 else { throw DomainError.orderNotFound }
        do { _ = try await recharges.cancel(orderID: id) } catch DomainError.orderNotCancellable {}
        return Response(status: .seeOther, headers: [.location: "/orders/\(id)"])
    }

    @Sendable func page(_ request: Request, context: Context) async throws -> Response {
        let language = request.language
        let id = try context.parameters.require("id")
        let order: RechargeOrder
        do {
            guard id.count <= 64 else { throw DomainError.orderNotFound }
            order = try await self.recharges.order(id: id)
        } catch DomainError.orderNotFound {
            return try HTMLResponse(
                html: MessagePage.render(
                    title: language == .zh ? "订单不存在" : "Order not found",
                    message: language == .zh ? "请检查订单号。" : "Check the order number.", language: language), status: .notFound
            ).response(from: request, context: context)
        }
        func row(_ zh: String, _ en: String, _ value: String) -> [String: String] {
            ["label": PageLayout.label(zh, en, language), "value": value]
        }
        let statusClass: String
        switch order.status {
        case .credited, .partiallyRefunded, .refunded: statusClass = "ok"
        case .failed, .expired, .cancelled, .voided: statusClass = "bad"
        case .pendingPayment, .paid: statusClass = "wait"
        }
        let waiting = !order.status.isFinalForPayer
        var values: [String: Any] = [
            "heading": language == .zh ? "充值订单" : "Recharge order",
            "statusName": Messages.orderStatus(order.status, language), "statusClass": statusClass, "id": order.id,
            "statusCode": order.status.rawValue,
            "rows": [
                row("订单号", "Order no.", order.id), row("充值号码", "Number", order.msisdn.masked),
                row("充值面额", "Face value", order.amount.faceValue(language)), row("手续费", "Fee", order.fee.formatted),
                row("应付金额", "Total", order.total.formatted),
                row("支付方式", "Payment method", order.paymentMethod.displayName(language)),
            ],
            "receiptLabel": language == .zh ? "查看充值凭证" : "View receipt",
            "waiting": waiting,
            "waitingNote": language == .zh
                ? "正在等待支付结果，到账后本页自动更新。" : "Waiting for the payment result; this page updates when the money arrives.",
        ]
        if let receiptNo = order.receiptNumber { values["receiptNo"] = receiptNo }
        if order.status == .credited, let line = try? await self.recharges.confirm(msisdn: order.msisdn.e164) {
            // 到账 is not the same as back in service: a barred line stays barred until its arrears clear.
            values["lineState"] = Self.lineState(line, language)
            values["lineStateClass"] = line.status == .active ? "ok" : "bad"
            if line.status != .active {
                values["againHref"] =
                    "/recharge?msisdn=\(order.msisdn.e164.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
                values["againToRestore"] = language == .zh ? "再次充值以恢复使用" : "Recharge again to restore it"
            }
        }
        values["timeline"] = Self.timeline(order, language)
        values["timelineLabel"] = language == .zh ? "进度（北京时间）" : "Progress (Beijing time)"
        let backFromCashier = request.uri.queryParameters.get("from") == "cashier"
        if order.status == .pendingPayment, backFromCashier {
            // The payer says they paid; until the notice or the reconciler settles it, asking
            // them to pay again would invite a second payment.
            values["statusName"] = language == .zh ? "支付结果确认中" : "Confirming the payment"
            values["waitingNote"] =
                language == .zh
                ? "正在向支付机构确认结果，请勿重复付款。确认后本页自动更新。"
                : "Confirming the result with the payment provider; please do not pay again. This page updates by itself."
            values["notPaidHref"] = "/orders/\(order.id)"
            values["notPaidLabel"] = language == .zh ? "还没有付款？返回支付" : "Did not pay? Back to paying"
        } else if order.status == .pendingPayment, let link = try await self.checkout.link(orderID: order.id) {
            values["payURL"] = link.payURL
            values["payLabel"] =
                switch (order.paymentMethod, language) {
                case (.wechatPay, .zh): "打开微信支付 \(order.total.formatted)"
                case (.wechatPay, .en): "Pay \(order.total.formatted) in WeChat"
                case (_, .zh): "去支付 \(order.total.formatted)"
                case (_, .en): "Pay \(order.total.formatted)"
                }
            if let text = link.qrCode, let code = QRCode(text) {
                let prompt: String =
                    switch (order.paymentMethod, language) {
                    case (.wechatPay, .zh): "请使用微信扫一扫，支付 \(order.total.formatted)"
                    case (.wechatPay, .en): "Scan with WeChat to pay \(order.total.formatted)"
                    case (.alipay, .zh): "请使用支付宝扫一扫，支付 \(order.total.formatted)"
                    case (.alipay, .en): "Scan with Alipay to pay \(order.total.formatted)"
                    case (_, .zh): "请扫码支付 \(order.total.formatted)"
                    case (_, .en): "Scan to pay \(order.total.formatted)"
                    }
                values["qr"] = code.svg(scale: 5, id: "pay-qr", label: language == .zh ? "付款二维码" : "Payment QR code")
                values["qrPrompt"] = prompt
            }
        }
        if order.status == .pendingPayment {
            let minutes = max(0, Int((order.expiresAt.timeIntervalSince(clock.now()) / 60).rounded(.up)))
            values["expiry"] =
                language == .zh
                ? "请在 \(ISO8601.local(order.expiresAt).suffix(8)) 前完成支付（约 \(minutes) 分钟），逾时订单自动关闭。"
                : "Pay before \(ISO8601.local(order.expiresAt).suffix(8)) Beijing time (about \(minutes) min); the order then closes by itself."
            values["expiresAt"] = Timestamp.format(order.expiresAt)
            values["cancelLabel"] = language == .zh ? "取消订单" : "Cancel the order"
        }
        let refunds = try await self.refunds.refunds(orderID: order.id).filter { $0.status != .rejected }
        if !refunds.isEmpty {
            values["refunds"] = refunds.map { refund -> [String: String] in
                let what =
                    refund.automatic
                    ? (language == .zh ? "重复付款自动退款" : "Automatic refund of a repeated payment")
                    : (language == .zh ? "退款" : "Refund")
                return [
                    "what": what, "amount": refund.amount.formatted, "id": refund.id,
                    "status": Messages.refundStatus(of: refund, language),
                    "statusClass": Messages.refundStatusClass(refund.status),
                ]
            }
            values["refundsHeading"] = language == .zh ? "退款" : "Refunds"
            values["refundsNote"] =
                language == .zh
                ? "退款按原支付方式退回，到账时间以支付机构为准。" : "Refunds go back the way the money was paid; when it arrives depends on the payment provider."
        }
        if order.status == .paid, refunds.contains(where: { $0.automatic }) {
            values["waiting"] = false
            values["explanation"] =
                language == .zh
                ? "该号码已不能充值，本次款项不会到账，已按原支付方式自动退款。"
                : "This number can no longer take recharges: nothing was credited, and the payment is refunded automatically."
            values["againLabel"] = language == .zh ? "返回首页" : "Home"
        } else if let explanation = Self.explanation(order.status, language) {
            values["explanation"] = explanation
            values["againLabel"] = language == .zh ? "重新充值" : "Start again"
        }
        return try CSRFToken.page(
            request, title: language == .zh ? "充值订单" : "Recharge order", template: OrderPageTemplate.template, values: values,
            secure: secureCookies
        ).response(from: request, context: context)
    }

    /// Whether the number is in service now that the money has arrived.
    static func lineState(_ line: LineConfirmation, _ language: Language) -> String {
        let stage = line.status.displayName(language)
        switch (line.status, language) {
        case (.active, .zh): return "号码状态：正常，可正常使用。"
        case (.active, .en): return "The number is in service."
        case (_, .zh): return "号码状态：仍为\(stage)。本次充值已到账，但尚未结清欠费，号码还没有恢复使用。"
        case (_, .en):
            return
                "The number is still \(stage.lowercased()): this recharge arrived but did not clear the arrears, so it is not back in service."
        }
    }

    /// 下单 → 已支付 → 已到账, with the times recorded so far.
    static func timeline(_ order: RechargeOrder, _ language: Language) -> [[String: Any]] {
        let steps: [(String, String, Date?)] = [
            ("下单", "Ordered", order.createdAt), ("已支付", "Paid", order.paidAt), ("已到账", "Credited", order.creditedAt),
        ]
        return steps.map { zh, en, at in
            ["step": language == .zh ? zh : en, "at": at.map { ISO8601.local($0) } ?? "—", "done": at != nil]
        }
    }
}

extension OrderPageController {
    /// What a payer should know when the order ends without 到账.
    static func explanation(_ status: OrderStatus, _ language: Language) -> String? {
        switch (status, language) {
        case (.failed, .zh): return "支付未成功，本次没有充值到账。您可以重新充值，或换一种支付方式。"
        case (.failed, .en):
            return "The payment did not go through, so nothing was credited. Start again, or choose another payment method."
        case (.expired, .zh): return "订单已超时关闭。如果您其实已经付款，收到支付通知后系统会自动为您到账或退款。"
        case (.expired, .en):
            return "The order timed out. If you did pay, the money is credited or refunded automatically once the payment notice arrives."
        case (.cancelled, .zh): return "订单已取消，没有扣款。"
        case (.cancelled, .en): return "The order was cancelled; nothing was charged."
        case (.voided, .zh): return "营业员已在当班撤销这笔充值：金额已从号码余额中扣回，款项已当面退还。"
        case (.voided, .en):
            return "The clerk voided this recharge in the same shift: the amount was taken back from the balance and the money handed back."
        case (.refunded, .zh): return "这笔充值已全额退款：金额已从号码余额中扣回，款项按原支付方式退回。"
        case (.refunded, .en):
            return "This recharge was refunded in full: the amount was taken back from the balance and paid back the way it was paid."
        default: return nil
        }
    }
}

enum OrderPageTemplate {
    static let template = try! MustacheTemplate(
        string: """
            <h1>{{heading}}</h1>
            <div class="card">
            <p class="status {{statusClass}}" id="status" data-status="{{statusCode}}">{{statusName}}</p>
            <table>
            {{#rows}}<tr><th>{{{label}}}</th><td>{{value}}</td></tr>
            {{/rows}}
            </table>
            {{#lineState}}<p class="{{lineStateClass}}" id="line-state" role="status">{{lineState}}</p>{{/lineState}}
            {{#againHref}}<p><a class="button" id="restore-again" href="{{againHref}}">{{againToRestore}}</a></p>{{/againHref}}
            {{#receiptNo}}<p><a class="button" id="receipt-link" href="/receipts/{{receiptNo}}">{{receiptLabel}}</a></p>{{/receiptNo}}
            {{#qr}}<figure class="pay-qr" id="pay-qr-figure">{{{qr}}}<figcaption>{{qrPrompt}}</figcaption></figure>{{/qr}}
            {{#payURL}}<p><a class="button" id="pay-link" href="{{payURL}}">{{payLabel}}</a></p>{{/payURL}}
            {{#expiry}}<p class="note" id="expiry" data-expires="{{expiresAt}}">{{expiry}}</p>
            <form method="post" action="/orders/{{id}}/cancel"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" class="secondary" id="cancel-order">{{cancelLabel}}</button></form>{{/expiry}}
            <h2 class="timeline-h">{{timelineLabel}}</h2>
            <ol class="timeline" id="timeline">{{#timeline}}<li class="{{#done}}done{{/done}}"><span>{{step}}</span> <span class="nowrap">{{at}}</span></li>{{/timeline}}</ol>
            {{#refundsHeading}}<h2>{{refundsHeading}}</h2><table id="refunds">
            {{#refunds}}<tr><th><a href="/refunds/{{id}}">{{what}}</a></th><td>{{amount}} <span class="status {{statusClass}}">{{status}}</span></td></tr>
            {{/refunds}}</table><p class="note">{{refundsNote}}</p>{{/refundsHeading}}
            {{#explanation}}<p class="error" role="status">{{explanation}}</p><p><a class="button" href="/">{{againLabel}}</a></p>{{/explanation}}
            {{#waiting}}<p class="note" id="waiting-note">{{waitingNote}}</p>{{/waiting}}
            {{#notPaidHref}}<p><a href="{{notPaidHref}}" id="not-paid">{{notPaidLabel}}</a></p>{{/notPaidHref}}
            </div>
            {{#waiting}}
            <noscript><meta http-equiv="refresh" content="3"></noscript>
            <script>
            (function(){var s=document.getElementById('status').getAttribute('data-status');
            var es=new EventSource('/v1/recharges/{{id}}/events');
            es.addEventListener('order',function(e){var o=JSON.parse(e.data);if(o.status!==s){es.close();location.reload();}});})();
            </script>
            {{/waiting}}
            """)
}
