import BaohaoDomain
import Foundation

/// The receipt as a one-page A5 PDF: the same fields as the page, Chinese and English labels.
enum ReceiptPDF {
    static func render(_ receipt: Receipt, merchant: MerchantInfo, language: Language, now: Date) -> [UInt8] {
        var pdf = PDFWriter()
        let left = 36.0
        let valueX = 168.0
        let right = pdf.width - 36
        var y = pdf.height - 56
        pdf.text("充值凭证  Recharge receipt", x: left, y: y, size: 16)
        y -= 24
        pdf.text(ReceiptPage.statusText(receipt, language).replacingOccurrences(of: "—", with: "-"), x: left, y: y, size: 11)
        y -= 12
        pdf.rule(fromX: left, toX: right, y: y)
        y -= 22
        for field in ReceiptPage.fields(receipt, merchant: merchant, language: language) {
            pdf.text(field.zh, x: left, y: y, size: 10)
            pdf.text(field.en, x: left, y: y - 10, size: 7)
            let room = right - valueX
            var size = 10.0
            while size > 6, PDFWriter.measure(field.value, size: size) > room { size -= 0.5 }
            pdf.text(field.value, x: valueX, y: y, size: size)
            y -= 27
        }
        pdf.rule(fromX: left, toX: right, y: y + 10)
        pdf.text("本凭证不是税务发票。如需发票，请向商户申请。", x: left, y: y - 8, size: 9)
        pdf.text("This receipt is not a tax invoice; ask the merchant for an invoice.", x: left, y: y - 22, size: 8)
        return pdf.document(title: "Baohao receipt \(receipt.number)", created: now)
    }
}
