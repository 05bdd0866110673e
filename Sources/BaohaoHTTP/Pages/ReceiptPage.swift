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
            <p class="status {{statusClass}}" id="status">{{statusText}}</p>
            <table>
            {{#rows}}<tr><th>{{{label}}}</th><td>{{value}}</td></tr>
            {{/rows}}
            </table>
            </div>
            <p class="note">{{notInvoice}}</p>
            <p class="noprint"><button type="button" id="print">{{printLabel}}</button>
            <a class="button" href="/receipts/{{number}}/pdf" id="pdf-link">{{pdfLabel}}</a></p>
            <script>document.getElementById("print").addEventListener("click", () => window.print())</script>
            """)

    /// The receipt's lines as (Chinese label, English label, value), shared by the page, the PDF
    /// and the thermal printer.
    static func fields(_ receipt: Receipt, merchant: MerchantInfo, language: Language) -> [(zh: String, en: String, value: String)] {
        var fields: [(zh: String, en: String, value: String)] = [("商户", "Merchant", merchant.name)]
        if let counter = receipt.counter {
            fields.append(("营业厅", "Outlet", "\(counter.outletName) (\(counter.outletCode))"))
            fields.append(("营业员", "Clerk", counter.clerkName))
        }
        fields += [
            ("凭证号", "Receipt no.", receipt.number),
            ("订单号", "Order no.", receipt.orderID),
            ("支付流水号", "Payment transaction no.", receipt.providerTransactionID),
            ("充值号码", "Number", receipt.msisdn.masked),
            ("运营商", "Operator", receipt.mobileOperator.displayName(language)),
            ("充值面额", "Face value", receipt.faceValue.formatted),
            ("实付金额", "Amount paid", receipt.amountPaid.formatted),
            ("手续费", "Fee", receipt.fee.formatted),
            ("赠送", "Bonus", receipt.bonus.formatted),
        ]
        if let counter = receipt.counter {
            fields.append(("付款方式", "Tender", counter.tender.displayName(language)))
            if let tendered = counter.tendered { fields.append(("收款", "Tendered", tendered.formatted)) }
            if let change = counter.change { fields.append(("找零", "Change", change.formatted)) }
            if let reference = counter.cardTerminalRef { fields.append(("POS 参考号", "POS reference", reference)) }
            if let id = counter.idMasked { fields.append(("证件号码", "ID number", id)) }
        } else {
            fields.append(("支付方式", "Payment method", receipt.paymentMethod.displayName(language)))
        }
        fields += [
            ("支付时间", "Paid at", ISO8601.local(receipt.paidAt) + " (UTC+8)"),
            ("到账时间", "Credited at", ISO8601.local(receipt.creditedAt) + " (UTC+8)"),
            ("状态", "Status", Messages.orderStatus(receipt.voidedAt == nil ? .credited : .voided, language)),
        ]
        if let voidedAt = receipt.voidedAt {
            fields.append(("撤销时间", "Voided at", ISO8601.local(voidedAt) + " (UTC+8)"))
            fields.append(("撤销原因", "Void reason", receipt.voidReason ?? ""))
        }
        fields.append(("客服电话", "Support", merchant.supportLine))
        return fields
    }

    /// The line under the title: credited, or voided.
    static func statusText(_ receipt: Receipt, _ language: Language) -> String {
        switch (receipt.voidedAt == nil, language) {
        case (true, .zh): return "充值成功，已到账"
        case (true, .en): return "Recharge successful — credited"
        case (false, .zh): return "本笔充值已撤销，金额已扣回"
        case (false, .en): return "This recharge was voided; the amount was taken back"
        }
    }

    static func render(_ receipt: Receipt, merchant: MerchantInfo, language: Language) -> String {
        let rows: [[String: String]] = fields(receipt, merchant: merchant, language: language).map {
            ["label": PageLayout.label($0.zh, $0.en, language), "value": $0.value]
        }
        let content = template.render([
            "heading": language == .zh ? "充值凭证" : "Recharge receipt",
            "statusText": statusText(receipt, language), "statusClass": receipt.voidedAt == nil ? "ok" : "bad",
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

/// Who runs the service, issues receipts, and how subscribers reach them: shown on every page's
/// footer (the trust signals Chinese users look for), on receipts, and in the privacy policy.
public struct MerchantInfo: Sendable, Hashable {
    /// The brand on receipts, e.g. `保号 Baohao`.
    public let name: String
    /// 客服电话.
    public let supportLine: String
    /// The operator's registered legal name (运营主体); the brand when not set.
    public let legalName: String
    /// ICP 备案号 (e.g. `京ICP备12345678号-1`); `nil` when not set.
    public let icpNumber: String?
    /// The operator's own privacy policy and user agreement (plain text, `#`/`##` headings, `-`
    /// lists); `nil`: the shipped texts, which describe what Baohao itself stores.
    public let privacyPolicy: LegalText?
    public let userAgreement: LegalText?

    public init(
        name: String, supportLine: String, legalName: String? = nil, icpNumber: String? = nil, privacyPolicy: LegalText? = nil,
        userAgreement: LegalText? = nil
    ) {
        self.name = name
        self.supportLine = supportLine
        self.legalName = legalName ?? name
        self.icpNumber = icpNumber
        self.privacyPolicy = privacyPolicy
        self.userAgreement = userAgreement
    }

    /// Values for a demo server: plainly marked as examples, never passed off as a real operator.
    public static let demo = MerchantInfo(
        name: "保号 Baohao", supportLine: "400-000-0000（演示号码 demo）", legalName: "保号演示运营方（示例，非真实企业）Baohao demo operator (not a real company)",
        icpNumber: "演示站点，未备案 Demo site, not ICP-filed")
}

/// A legal text in both languages, as an operator supplies it.
public struct LegalText: Sendable, Hashable {
    public let zh: String
    public let en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }
}
