import BaohaoDomain
import Foundation
import Hummingbird

/// Receipts for the payer: JSON at `/v1/receipts/{no}`, a printable page at `/receipts/{no}`, and
/// a PDF at `/receipts/{no}/pdf`.
struct ReceiptController<Context: RequestContext> {
    let clock: any WallClock
    let merchant: MerchantInfo
    let recharges: RechargeService

    func addRoutes(to router: Router<Context>) {
        router.get("/v1/receipts/:number", use: json)
        router.get("/receipts/:number", use: page)
        router.get("/receipts/:number/pdf", use: pdf)
    }

    struct ReceiptRepresentation: Encodable, Sendable {
        let receiptNo: String
        let merchant: String
        let orderID: String
        let providerTransactionID: String
        let msisdnMasked: String
        let `operator`: String
        let channel: String
        let paymentMethod: String
        let faceValue: Money
        let amountPaid: Money
        let fee: Money
        let bonus: Money
        let paidAt: String
        let creditedAt: String
        let status: String
        let supportLine: String
        let taxInvoice: Bool

        enum CodingKeys: String, CodingKey {
            case merchant, channel, fee, bonus, status
            case receiptNo = "receipt_no"
            case orderID = "order_id"
            case providerTransactionID = "provider_txn_id"
            case msisdnMasked = "msisdn_masked"
            case `operator` = "operator"
            case paymentMethod = "payment_method"
            case faceValue = "face_value"
            case amountPaid = "amount_paid"
            case paidAt = "paid_at"
            case creditedAt = "credited_at"
            case supportLine = "support_line"
            case taxInvoice = "tax_invoice"
        }
    }

    @Sendable func json(_ request: Request, context: Context) async throws -> JSONResponse<ReceiptRepresentation> {
        let receipt = try await self.recharges.receipt(number: try context.parameters.require("number"))
        return JSONResponse(
            ReceiptRepresentation(
                receiptNo: receipt.number, merchant: self.merchant.name, orderID: receipt.orderID,
                providerTransactionID: receipt.providerTransactionID, msisdnMasked: receipt.msisdn.masked,
                operator: receipt.mobileOperator.rawValue, channel: receipt.channel.rawValue, paymentMethod: receipt.paymentMethod.rawValue,
                faceValue: receipt.faceValue, amountPaid: receipt.amountPaid, fee: receipt.fee, bonus: receipt.bonus,
                paidAt: ISO8601.string(receipt.paidAt), creditedAt: ISO8601.string(receipt.creditedAt),
                status: OrderStatus.credited.rawValue,
                supportLine: self.merchant.supportLine, taxInvoice: false))
    }

    @Sendable func page(_ request: Request, context: Context) async throws -> HTMLResponse {
        let language = request.language
        do {
            let receipt = try await self.recharges.receipt(number: try context.parameters.require("number"))
            return HTMLResponse(html: ReceiptPage.render(receipt, merchant: self.merchant, language: language))
        } catch DomainError.receiptNotFound {
            return HTMLResponse(
                html: MessagePage.render(
                    title: language == .zh ? "凭证不存在" : "Receipt not found",
                    message: language == .zh ? "请检查凭证号是否正确。" : "Check the receipt number.", language: language), status: .notFound)
        }
    }

    @Sendable func pdf(_ request: Request, context: Context) async throws -> Response {
        let number: String = try context.parameters.require("number")
        let receipt: Receipt
        do {
            receipt = try await self.recharges.receipt(number: number)
        } catch DomainError.receiptNotFound {
            return try await page(request, context: context).response(from: request, context: context)
        }
        let bytes = ReceiptPDF.render(receipt, merchant: self.merchant, language: request.language, now: self.clock.now())
        let safeName = String(
            receipt.number.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
                .map(Character.init))
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/pdf", .contentDisposition: "attachment; filename=\"receipt-\(safeName).pdf\"",
                .cacheControl: "no-store", .init("X-Content-Type-Options")!: "nosniff",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
