import BaohaoDomain
import Foundation
import Hummingbird

/// The partner API (第三方平台), signed per ``PartnerAuthenticator``:
/// - `POST /v1/partner/topups` `{"reference", "msisdn", "amount"}` → 201 with the top-up (200 for
///   a retry of the same request; 409 `reference_reused`, 402 `insufficient_float`, 422 for an
///   unknown or invalid number or an amount outside the partner channel's policy);
/// - `GET /v1/partner/topups/{reference}` → the top-up now;
/// - `GET /v1/partner/balance` → `{"available", "held", "currency"}` in minor units;
/// - `GET /v1/partner/statements/{YYYY-MM-DD}` → the Beijing day's CSV statement.
struct PartnerAPIController<Context: RequestContext> {
    let partners: PartnerService
    let topups: PartnerTopupService
    let authenticator: PartnerAuthenticator

    func addRoutes(to router: Router<Context>) {
        let group = router.group("/v1/partner")
        group.post("/topups", use: submit)
        group.get("/topups/:reference", use: topup)
        group.get("/balance", use: balance)
        group.get("/statements/:date", use: statement)
    }

    struct TopupBody: Decodable {
        let reference: String
        let msisdn: String
        let amount: Money
    }

    @Sendable func submit(_ request: Request, context: Context) async throws -> JSONResponse<PartnerTopupView> {
        let (partner, body) = try await authenticator.authenticate(request)
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/json") else {
            throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: "expected application/json")
        }
        let topup = try Request.decodeJSON(TopupBody.self, from: body)
        do {
            let result = try await topups.submit(
                PartnerTopupRequest(reference: topup.reference, msisdn: topup.msisdn, amount: topup.amount), partner: partner)
            return JSONResponse(result.view, status: result.created ? .created : .ok)
        } catch DomainError.lineNotFound {
            throw Problem(
                .unprocessableContent, DomainError.lineNotFound.code, detail: "no line in service with this number", field: "msisdn")
        }
    }

    @Sendable func topup(_ request: Request, context: Context) async throws -> JSONResponse<PartnerTopupView> {
        let (partner, _) = try await authenticator.authenticate(request)
        let reference = context.parameters.get("reference") ?? ""
        return JSONResponse(try await topups.topup(reference: reference, partner: partner).view)
    }

    @Sendable func balance(_ request: Request, context: Context) async throws -> JSONResponse<PartnerTopupView.FloatView> {
        let (partner, _) = try await authenticator.authenticate(request)
        return JSONResponse(PartnerTopupView.FloatView(try await partners.balance(partnerID: partner.id)))
    }

    @Sendable func statement(_ request: Request, context: Context) async throws -> Response {
        let (partner, _) = try await authenticator.authenticate(request)
        let text = context.parameters.get("date") ?? ""
        guard text.utf8.count == 10, let day = LocalDate(iso: text) else {
            throw Problem(.unprocessableContent, "validation-error", detail: "a date as YYYY-MM-DD (Beijing time)", field: "date")
        }
        let statement = try await partners.statement(partnerID: partner.id, day: day)
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"baohao-\(partner.code)-\(day.iso).csv\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: statement.csv)))
    }
}
