import BaohaoDomain
import Foundation
import Hummingbird

/// `POST /v1/vouchers/redeem` `{"msisdn", "pin"}`: a recharge card redeemed onto a number, with no
/// login (like an online recharge). 201 with the order, credited, and its receipt number. An
/// unknown, used, frozen, expired or unsold PIN is one and the same 422 `voucher-refused`; too
/// many failures from one number or address (or everywhere) are 429 `too-many-attempts` with
/// `Retry-After`.
struct VoucherRedeemController<Context: RequestContext> {
    let vouchers: VoucherService
    let metrics: BaohaoMetrics
    let trustedProxies: Set<String>

    func addRoutes(to router: Router<Context>) {
        router.post("/v1/vouchers/redeem", use: redeem)
    }

    struct Body: Decodable {
        let msisdn: String
        let pin: String
    }

    @Sendable func redeem(_ request: Request, context: Context) async throws -> JSONResponse<OrderRepresentation> {
        let body = try await request.decodeJSON(Body.self, limit: 1024)
        let address = ClientAddress.key(request, context: context, trustedProxies: trustedProxies)
        let redeemed = try await vouchers.redeem(msisdn: body.msisdn, pin: body.pin, address: address)
        metrics.credited(channel: Channel.voucher.rawValue, amountMinor: redeemed.order.amount.amountMinor)
        var representation = OrderRepresentation(redeemed.order, language: request.language)
        representation.bonus = redeemed.receipt.bonus
        return JSONResponse(representation, status: .created)
    }
}
