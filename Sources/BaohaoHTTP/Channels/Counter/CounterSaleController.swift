import BaohaoDomain
import Foundation
import Hummingbird

/// `POST /v1/counter/sales` with a clerk's staff token and an `Idempotency-Key`: recharges a
/// number for cash or a card on the POS terminal; the line is credited at once. 201 for a new
/// sale, 200 for a retry of the same one.
struct CounterSaleController<Context: StaffIdentityContext> {
    let sales: CounterSaleService
    let staff: StaffService

    func addRoutes(to router: Router<Context>) {
        let group = router.group("/v1/counter/sales").add(middleware: StaffTokenMiddleware<Context>(staff: staff))
        group.post(use: sell)
        group.post("/{id}/void", use: void)
    }

    /// `POST /v1/counter/sales/{id}/void` `{"reason"}`: the clerk's own sale in its open shift;
    /// 200 with the voided sale (again 200, unchanged, for a repeat).
    @Sendable func void(_ request: Request, context: Context) async throws -> JSONResponse<SaleView> {
        let clerk = try context.signedInStaff
        let id = try context.parameters.require("id")
        let body = try await request.decodeJSON(VoidBody.self)
        return JSONResponse(SaleView(try await sales.void(saleID: id, reason: body.reason, by: clerk)), status: .ok)
    }

    struct VoidBody: Decodable {
        let reason: String
    }

    @Sendable func sell(_ request: Request, context: Context) async throws -> JSONResponse<SaleView> {
        let clerk = try context.signedInStaff
        let key = try request.idempotencyKey
        let body = try await request.decodeJSON(SaleBody.self)
        guard let tender = Tender(rawValue: body.tender) else {
            throw DomainError.validation(
                ValidationError(field: "tender", reason: .notAllowed, detail: Tender.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        let result = try await sales.sell(
            CounterSaleRequest(
                msisdn: body.msisdn, amount: body.amount, tender: tender, tendered: body.tendered, idNumber: body.idNumber,
                cardTerminalRef: body.cardTerminalRef, paymentCode: body.paymentCode),
            by: clerk, idempotencyKey: key)
        return JSONResponse(SaleView(result), status: result.created ? .created : .ok)
    }

    struct SaleBody: Decodable {
        let msisdn: String
        let amount: Money
        let tender: String
        let tendered: Money?
        let idNumber: String?
        let cardTerminalRef: String?
        let paymentCode: String?

        enum CodingKeys: String, CodingKey {
            case msisdn, amount, tender, tendered
            case idNumber = "id_number"
            case cardTerminalRef = "card_terminal_ref"
            case paymentCode = "payment_code"
        }
    }
}

/// A counter sale as the terminal sees it; `change` is `null` unless the tender is cash.
struct SaleView: Encodable, Sendable {
    let result: CounterSaleService.Result

    init(_ result: CounterSaleService.Result) { self.result = result }

    enum CodingKeys: String, CodingKey {
        case id, status, amount, fee, total, change, shift, tender
        case msisdnMasked = "msisdn_masked"
        case receiptNo = "receipt_no"
        case idMasked = "id_masked"
        case voidedAt = "voided_at"
        case voidReason = "void_reason"
        case orderID = "order_id"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(result.sale.id, forKey: .id)
        try c.encode(result.order.id, forKey: .orderID)
        try c.encode(result.order.status.rawValue, forKey: .status)
        try c.encode(result.order.msisdn.masked, forKey: .msisdnMasked)
        try c.encode(result.sale.amount, forKey: .amount)
        try c.encode(result.sale.fee, forKey: .fee)
        try c.encode(result.sale.total, forKey: .total)
        try c.encode(result.sale.change, forKey: .change)
        try c.encode(result.order.receiptNumber, forKey: .receiptNo)
        try c.encode(result.sale.shiftID, forKey: .shift)
        try c.encode(result.sale.tender.rawValue, forKey: .tender)
        try c.encode(result.sale.idMasked, forKey: .idMasked)
        try c.encode(result.sale.voided.map { Timestamp.format($0.at) }, forKey: .voidedAt)
        try c.encode(result.sale.voided?.reason, forKey: .voidReason)
    }
}
