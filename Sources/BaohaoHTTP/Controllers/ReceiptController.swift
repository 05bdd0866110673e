import BaohaoDomain
import Foundation
import Hummingbird

/// Receipts for the payer: JSON at `/v1/receipts/{no}`, a printable page at `/receipts/{no}`, a
/// PDF at `/receipts/{no}/pdf`, and ESC/POS bytes for a thermal printer at
/// `/receipts/{no}/escpos?width=58|80` (each fetch is one printing: the first the original, the
/// later ones copies, all logged).
struct ReceiptController<Context: RequestContext> {
    let clock: any WallClock
    let merchant: MerchantInfo
    let receipts: ReceiptService

    func addRoutes(to router: Router<Context>) {
        router.get("/v1/receipts/:number", use: json)
        router.get("/receipts/:number", use: page)
        router.get("/receipts/:number/pdf", use: pdf)
        router.get("/receipts/:number/escpos", use: escpos)
    }

    @Sendable func escpos(_ request: Request, context: Context) async throws -> Response {
        let width = request.uri.queryParameters.get("width").flatMap { Int($0) } ?? 58
        guard ESCPOSReceipt.columns[width] != nil else {
            throw DomainError.validation(ValidationError(field: "width", reason: .notAllowed, detail: "58 or 80 (mm)"))
        }
        let (receipt, print) = try await receipts.print(
            number: try context.parameters.require("number"), format: "escpos-\(width)", by: nil)
        let bytes = ESCPOSReceipt.render(receipt, print: print, merchant: merchant, width: width, language: request.language)
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/vnd.escpos", .cacheControl: "no-store", .init("X-Content-Type-Options")!: "nosniff",
                .contentDisposition: "attachment; filename=\"receipt-\(Self.safeName(receipt.number))-\(width)mm.bin\"",
                .init("Baohao-Print-Copy")!: String(print.copyNumber),
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func safeName(_ number: String) -> String {
        String(
            number.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
                .map(Character.init))
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
        let voidedAt: String?
        let counter: CounterRepresentation?

        /// A counter sale's outlet, clerk, tender and masked ID; `null` for every other channel.
        struct CounterRepresentation: Encodable, Sendable {
            let details: CounterReceiptDetails

            enum CodingKeys: String, CodingKey {
                case outlet, clerk, tender, tendered, change
                case outletName = "outlet_name"
                case cardTerminalRef = "card_terminal_ref"
                case idMasked = "id_masked"
            }

            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(details.outletCode, forKey: .outlet)
                try c.encode(details.outletName, forKey: .outletName)
                try c.encode(details.clerkName, forKey: .clerk)
                try c.encode(details.tender.rawValue, forKey: .tender)
                try c.encode(details.tendered, forKey: .tendered)
                try c.encode(details.change, forKey: .change)
                try c.encode(details.cardTerminalRef, forKey: .cardTerminalRef)
                try c.encode(details.idMasked, forKey: .idMasked)
            }
        }

        enum CodingKeys: String, CodingKey {
            case merchant, channel, fee, bonus, status, counter
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
            case voidedAt = "voided_at"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(receiptNo, forKey: .receiptNo)
            try c.encode(merchant, forKey: .merchant)
            try c.encode(orderID, forKey: .orderID)
            try c.encode(providerTransactionID, forKey: .providerTransactionID)
            try c.encode(msisdnMasked, forKey: .msisdnMasked)
            try c.encode(`operator`, forKey: .operator)
            try c.encode(channel, forKey: .channel)
            try c.encode(paymentMethod, forKey: .paymentMethod)
            try c.encode(faceValue, forKey: .faceValue)
            try c.encode(amountPaid, forKey: .amountPaid)
            try c.encode(fee, forKey: .fee)
            try c.encode(bonus, forKey: .bonus)
            try c.encode(paidAt, forKey: .paidAt)
            try c.encode(creditedAt, forKey: .creditedAt)
            try c.encode(status, forKey: .status)
            try c.encode(supportLine, forKey: .supportLine)
            try c.encode(taxInvoice, forKey: .taxInvoice)
            try c.encode(voidedAt, forKey: .voidedAt)
            try c.encode(counter, forKey: .counter)
        }
    }

    @Sendable func json(_ request: Request, context: Context) async throws -> JSONResponse<ReceiptRepresentation> {
        let receipt = try await self.receipts.receipt(number: try context.parameters.require("number"))
        return JSONResponse(
            ReceiptRepresentation(
                receiptNo: receipt.number, merchant: self.merchant.name, orderID: receipt.orderID,
                providerTransactionID: receipt.providerTransactionID, msisdnMasked: receipt.msisdn.masked,
                operator: receipt.mobileOperator.rawValue, channel: receipt.channel.rawValue, paymentMethod: receipt.paymentMethod.rawValue,
                faceValue: receipt.faceValue, amountPaid: receipt.amountPaid, fee: receipt.fee, bonus: receipt.bonus,
                paidAt: ISO8601.string(receipt.paidAt), creditedAt: ISO8601.string(receipt.creditedAt),
                status: (receipt.voidedAt == nil ? OrderStatus.credited : .voided).rawValue,
                supportLine: self.merchant.supportLine, taxInvoice: false, voidedAt: receipt.voidedAt.map(ISO8601.string),
                counter: receipt.counter.map(ReceiptRepresentation.CounterRepresentation.init)))
    }

    @Sendable func page(_ request: Request, context: Context) async throws -> HTMLResponse {
        let language = request.language
        do {
            let receipt = try await self.receipts.receipt(number: try context.parameters.require("number"))
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
            receipt = try await self.receipts.receipt(number: number)
        } catch DomainError.receiptNotFound {
            return try await page(request, context: context).response(from: request, context: context)
        }
        let bytes = ReceiptPDF.render(receipt, merchant: self.merchant, language: request.language, now: self.clock.now())
        let safeName = Self.safeName(receipt.number)
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/pdf", .contentDisposition: "attachment; filename=\"receipt-\(safeName).pdf\"",
                .cacheControl: "no-store", .init("X-Content-Type-Options")!: "nosniff",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
