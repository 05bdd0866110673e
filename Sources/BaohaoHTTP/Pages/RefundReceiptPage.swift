import BaohaoDomain
import Foundation
import Hummingbird
import Mustache

/// `/refunds/{id}`: the refund receipt (退款凭证) for the payer, with the original receipt's
/// number. Like a receipt, it shows no balance: anyone holding the refund's id may open it.
struct RefundReceiptController<Context: RequestContext> {
    let merchant: MerchantInfo
    let recharges: RechargeService
    let refunds: RefundService

    func addRoutes(to router: Router<Context>) {
        router.get("/refunds/:id", use: page)
    }

    @Sendable func page(_ request: Request, context: Context) async throws -> HTMLResponse {
        let language = request.language
        let refund: Refund
        let order: RechargeOrder
        do {
            refund = try await refunds.refund(id: try context.parameters.require("id"))
            order = try await recharges.order(id: refund.orderID)
        } catch DomainError.refundNotFound {
            return HTMLResponse(
                html: MessagePage.render(
                    title: language == .zh ? "退款不存在" : "No such refund",
                    message: language == .zh ? "请检查退款单号。" : "Check the refund number.", language: language), status: .notFound)
        }
        var rows: [(String, String, String)] = [
            ("商户", "Merchant", merchant.name), ("退款单号", "Refund no.", refund.id),
            ("原充值凭证号", "Original receipt no.", order.receiptNumber ?? "—"), ("订单号", "Order no.", order.id),
            ("充值号码", "Number", order.msisdn.masked), ("退款金额", "Amount refunded", refund.amount.formatted),
            (
                "退款原因", "Why",
                refund.automatic
                    ? (language == .zh ? "重复付款或号码已不能充值，自动退款" : "A payment that could not be credited, refunded automatically")
                    : (language == .zh ? "申请退款" : "Refund on request")
            ),
            ("退回方式", "Paid back by", order.paymentMethod.displayName(language)),
            ("申请时间", "Requested at", ISO8601.local(refund.requestedAt) + " (UTC+8)"),
            ("状态", "Status", Messages.refundStatus(of: refund, language)),
        ]
        if let completed = refund.completedAt, refund.status == .succeeded {
            rows.append(("退款完成时间", "Refunded at", ISO8601.local(completed) + " (UTC+8)"))
        }
        if let providerRefundID = refund.providerRefundID, refund.status == .succeeded {
            rows.append(("支付机构退款单号", "Provider's refund no.", providerRefundID))
        }
        let statusClass = Messages.refundStatusClass(refund.status)
        let note: String
        switch (refund.status, language) {
        case (.succeeded, .zh): note = "款项已按原支付方式退回，到账时间以支付机构为准。"
        case (.succeeded, .en): note = "The money was paid back the way it was paid; when it arrives depends on the payment provider."
        case (.processing, .zh), (.requested, .zh): note = "退款处理中，完成后本页更新。"
        case (.processing, .en), (.requested, .en): note = "The refund is being processed; this page updates when it is done."
        case (.failed, .zh): note = "支付机构未能退款，金额已退回原处。请联系客服。"
        case (.failed, .en): note = "The provider could not refund; the amount went back where it was taken from. Please contact support."
        case (.rejected, .zh): note = "退款申请未获批准。"
        case (.rejected, .en): note = "The refund request was not approved."
        }
        let content = RefundReceiptTemplate.template.render([
            "heading": language == .zh ? "退款凭证" : "Refund receipt", "statusClass": statusClass,
            "statusText": Messages.refundStatus(of: refund, language), "note": note,
            "rows": rows.map { ["label": PageLayout.label($0.0, $0.1, language), "value": $0.2] },
            "receiptNo": order.receiptNumber ?? "", "originalLabel": language == .zh ? "查看原充值凭证" : "Original receipt",
            "printLabel": language == .zh ? "打印" : "Print",
        ])
        return HTMLResponse(
            html: PageLayout.render(title: language == .zh ? "退款凭证" : "Refund receipt", content: content, language: language))
    }
}

/// The refund receipt's template.
enum RefundReceiptTemplate {
    static let template = try! MustacheTemplate(
        string: """
            <h1>{{heading}}</h1>
            <div class="card">
            <p class="status {{statusClass}}" id="status">{{statusText}}</p>
            <table>
            {{#rows}}<tr><th>{{{label}}}</th><td>{{value}}</td></tr>
            {{/rows}}
            </table>
            <p class="note">{{note}}</p>
            </div>
            <p class="noprint"><button type="button" id="print">{{printLabel}}</button>
            {{#receiptNo}}<a class="button secondary" href="/receipts/{{receiptNo}}" id="original-receipt">{{originalLabel}}</a>{{/receiptNo}}</p>
            <script>document.getElementById("print").addEventListener("click", () => window.print())</script>
            """)
}
