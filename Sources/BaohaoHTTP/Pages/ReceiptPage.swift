import BaohaoDomain
import Foundation
import Mustache

/// The printable receipt (充值凭证). Shows what protocols.md lists; never the balance, because
/// anyone holding the receipt number may open it.
enum ReceiptPage {
    static let template = try! MustacheTemplate(
        string: """
            <h1>{{heading}}</h1>
            <div class="card">
            <p class="status ok">{{statusText}}</p>
            <table>
            {{#rows}}<tr><th>{{{label}}}</th><td>{{value}}</td></tr>
            {{/rows}}
            </table>
            </div>
            <p class="note">{{notInvoice}}</p>
            <p class="noprint"><button type="button" id="print">{{printLabel}}</button>
            <a class="button" href="/receipts/{{number}}/pdf" id="pdf-link">{{pdfLabel}}</a>
            <a class="button secondary" href="/v1/receipts/{{number}}">JSON</a></p>
            <script>document.getElementById("print").addEventListener("click", () => window.print())</script>
            """)

    /// The receipt's lines as (Chinese label, English label, value), shared by the page and the PDF.
    static func fields(_ receipt: Receipt, merchant: MerchantInfo, language: Language) -> [(zh: String, en: String, value: String)] {
        [
            ("商户", "Merchant", merchant.name),
            ("凭证号", "Receipt no.", receipt.number),
            ("订单号", "Order no.", receipt.orderID),
            ("支付流水号", "Payment transaction no.", receipt.providerTransactionID),
            ("充值号码", "Number", receipt.msisdn.masked),
            ("运营商", "Operator", receipt.mobileOperator.displayName(language)),
            ("充值面额", "Face value", receipt.faceValue.formatted),
            ("实付金额", "Amount paid", receipt.amountPaid.formatted),
            ("手续费", "Fee", receipt.fee.formatted),
            ("赠送", "Bonus", receipt.bonus.formatted),
            ("支付方式", "Payment method", receipt.paymentMethod.displayName(language)),
            ("支付时间", "Paid at", ISO8601.local(receipt.paidAt) + " (UTC+8)"),
            ("到账时间", "Credited at", ISO8601.local(receipt.creditedAt) + " (UTC+8)"),
            ("状态", "Status", Messages.orderStatus(.credited, language)),
            ("客服电话", "Support", merchant.supportLine),
        ]
    }

    static func render(_ receipt: Receipt, merchant: MerchantInfo, language: Language) -> String {
        let rows: [[String: String]] = fields(receipt, merchant: merchant, language: language).map {
            ["label": PageLayout.label($0.zh, $0.en, language), "value": $0.value]
        }
        let content = template.render([
            "heading": language == .zh ? "充值凭证" : "Recharge receipt",
            "statusText": language == .zh ? "充值成功，已到账" : "Recharge successful — credited",
            "rows": rows, "number": receipt.number,
            "notInvoice": language == .zh
                ? "本凭证不是税务发票。如需发票，请向商户申请。 Not a tax invoice." : "This receipt is not a tax invoice; ask the merchant for an invoice.",
            "printLabel": language == .zh ? "打印" : "Print",
            "pdfLabel": language == .zh ? "下载 PDF" : "Download PDF",
        ])
        return PageLayout.render(
            title: language == .zh ? "充值凭证 \(receipt.number)" : "Receipt \(receipt.number)", content: content, language: language)
    }
}

/// Who issues receipts and how subscribers reach them.
public struct MerchantInfo: Sendable, Hashable {
    public let name: String
    public let supportLine: String

    public init(name: String, supportLine: String) {
        self.name = name
        self.supportLine = supportLine
    }
}
