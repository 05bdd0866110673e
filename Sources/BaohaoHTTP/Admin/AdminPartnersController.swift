import BaohaoDomain
import Foundation
import Hummingbird

/// Partners (第三方平台), for admins (`BAOHAO_ADMIN_TOKEN` or an admin's staff token):
/// - `GET /v1/admin/partners`; `POST /v1/admin/partners` `{"code", "name", "callback_url",
///   "rate_limit"}` → 201 with `key_id` and `secret` (shown once); `GET`/`PATCH
///   /v1/admin/partners/{code}`; `POST …/{code}/rotate-key` (old keys work 24 more hours);
///   `POST …/{code}/disable`;
/// - `POST …/{code}/float` `{"amount", "reference"}` → 201 (200 when the reference was recorded
///   with that amount; 409 `reference_reused` with another);
/// - `PUT …/{code}/pricing` `{"discount_bps", "by_amount"}`;
/// - `GET …/{code}/callbacks?status=` with each delivery attempt;
///   `POST …/{code}/callbacks/{event_id}/replay` → 202.
struct AdminPartnersController<Context: StaffIdentityContext> {
    let partners: PartnerService
    let adminToken: String?
    let staff: StaffService
    /// Wakes the callback deliverer after a replay.
    let callbackQueued: @Sendable () -> Void

    func addRoutes(to router: Router<Context>) {
        let group = router.group("/v1/admin/partners").add(middleware: AdminAuthMiddleware<Context>(token: adminToken, staff: staff))
        group.get(use: list)
        group.post(use: add)
        group.get("/:code", use: show)
        group.patch("/:code", use: update)
        group.post("/:code/rotate-key", use: rotate)
        group.post("/:code/disable", use: disable)
        group.post("/:code/float", use: deposit)
        group.put("/:code/pricing", use: pricing)
        group.get("/:code/callbacks", use: callbacks)
        group.post("/:code/callbacks/:event/replay", use: replay)
    }

    func code(_ context: Context) -> String { String((context.parameters.get("code") ?? "").prefix(32)) }

    @Sendable func list(_ request: Request, context: Context) async throws -> JSONResponse<[PartnerAdminView]> {
        JSONResponse(try await partners.list().map(PartnerAdminView.init))
    }

    @Sendable func show(_ request: Request, context: Context) async throws -> JSONResponse<PartnerAdminView> {
        let code = self.code(context).uppercased()
        guard let overview = try await partners.list().first(where: { $0.partner.code == code }) else {
            throw Problem(DomainError.partnerNotFound(code))
        }
        return JSONResponse(PartnerAdminView(overview))
    }

    struct AddBody: Decodable {
        let code: String
        let name: String
        let callbackURL: String?
        let rateLimit: Int?
        enum CodingKeys: String, CodingKey {
            case code, name
            case callbackURL = "callback_url"
            case rateLimit = "rate_limit"
        }
    }

    struct Created: Encodable, Sendable {
        let partner: PartnerAdminView
        let keyID: String
        let secret: String
        enum CodingKeys: String, CodingKey {
            case partner, secret
            case keyID = "key_id"
        }
        func encode(to encoder: any Encoder) throws {
            try partner.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(keyID, forKey: .keyID)
            try container.encode(secret, forKey: .secret)
        }
    }

    @Sendable func add(_ request: Request, context: Context) async throws -> JSONResponse<Created> {
        let body = try await request.decodeJSON(AddBody.self, limit: 4096)
        let (partner, credentials) = try await partners.add(
            code: body.code, name: body.name, callbackURL: body.callbackURL, rateLimit: body.rateLimit)
        let view = PartnerAdminView(
            PartnerService.Overview(
                partner: partner, todayCount: 0, todayAmount: .zero(partner.float.currency), failingCallbacks: 0,
                currentKeyID: credentials.keyID))
        return JSONResponse(Created(partner: view, keyID: credentials.keyID, secret: credentials.secret), status: .created)
    }

    struct UpdateBody: Decodable {
        let callbackURL: String?
        let rateLimit: Int?
        enum CodingKeys: String, CodingKey {
            case callbackURL = "callback_url"
            case rateLimit = "rate_limit"
        }
    }

    @Sendable func update(_ request: Request, context: Context) async throws -> JSONResponse<PartnerAdminView> {
        let body = try await request.decodeJSON(UpdateBody.self, limit: 4096)
        _ = try await partners.update(code: code(context), callbackURL: body.callbackURL, rateLimit: body.rateLimit)
        return try await show(request, context: context)
    }

    struct Rotated: Encodable, Sendable {
        let keyID: String
        let secret: String
        let previousKeysExpireAt: String
        enum CodingKeys: String, CodingKey {
            case secret
            case keyID = "key_id"
            case previousKeysExpireAt = "previous_keys_expire_at"
        }
    }

    @Sendable func rotate(_ request: Request, context: Context) async throws -> JSONResponse<Rotated> {
        let (credentials, expiry) = try await partners.rotateKey(code: code(context))
        return JSONResponse(
            Rotated(keyID: credentials.keyID, secret: credentials.secret, previousKeysExpireAt: Timestamp.format(expiry)))
    }

    @Sendable func disable(_ request: Request, context: Context) async throws -> JSONResponse<PartnerAdminView> {
        _ = try await partners.disable(code: code(context))
        return try await show(request, context: context)
    }

    struct DepositBody: Decodable {
        let amount: Money
        let reference: String
    }

    struct DepositView: Encodable, Sendable {
        let reference: String
        let amount: Money
        let float: PartnerTopupView.FloatView
        let recordedBy: String
        let createdAt: String
        enum CodingKeys: String, CodingKey {
            case reference, amount, float
            case recordedBy = "recorded_by"
            case createdAt = "created_at"
        }
    }

    @Sendable func deposit(_ request: Request, context: Context) async throws -> JSONResponse<DepositView> {
        let body = try await request.decodeJSON(DepositBody.self, limit: 4096)
        let (deposit, float, created) = try await partners.deposit(
            code: code(context), amount: body.amount, reference: body.reference, by: context.actor ?? "admin")
        return JSONResponse(
            DepositView(
                reference: deposit.reference, amount: deposit.amount, float: .init(float), recordedBy: deposit.recordedBy,
                createdAt: Timestamp.format(deposit.at)), status: created ? .created : .ok)
    }

    struct PricingBody: Decodable {
        let discountBasisPoints: Int64
        let byAmount: [String: Int64]?
        enum CodingKeys: String, CodingKey {
            case discountBasisPoints = "discount_bps"
            case byAmount = "by_amount"
        }
    }

    @Sendable func pricing(_ request: Request, context: Context) async throws -> JSONResponse<PartnerAdminView> {
        let body = try await request.decodeJSON(PricingBody.self, limit: 4096)
        let pricing: PartnerPricing
        do { pricing = try PartnerPricing.validated(discountBasisPoints: body.discountBasisPoints, byAmount: body.byAmount ?? [:]) } catch {
            throw Problem(DomainError.validation(error))
        }
        _ = try await partners.setPricing(code: code(context), pricing)
        return try await show(request, context: context)
    }

    struct CallbackView: Encodable, Sendable {
        struct Attempt: Encodable, Sendable {
            let number: Int
            let at: String
            let httpStatus: Int?
            let error: String?
            let durationMs: Int
            enum CodingKeys: String, CodingKey {
                case number, at, error
                case httpStatus = "http_status"
                case durationMs = "duration_ms"
            }
        }
        let eventID: String
        let type: String
        let status: String
        let attempts: [Attempt]
        let nextAttemptAt: String?
        let createdAt: String
        let deliveredAt: String?
        let body: String
        enum CodingKeys: String, CodingKey {
            case type, status, attempts, body
            case eventID = "event_id"
            case nextAttemptAt = "next_attempt_at"
            case createdAt = "created_at"
            case deliveredAt = "delivered_at"
        }

        init(_ callback: PartnerCallback, _ attempts: [PartnerCallbackAttempt]) {
            eventID = callback.eventID
            type = callback.type.rawValue
            status = callback.status.rawValue
            self.attempts = attempts.map {
                Attempt(
                    number: $0.number, at: Timestamp.format($0.at), httpStatus: $0.httpStatus, error: $0.error,
                    durationMs: $0.durationMillis)
            }
            nextAttemptAt = callback.status == .pending ? Timestamp.format(callback.nextAttemptAt) : nil
            createdAt = Timestamp.format(callback.createdAt)
            deliveredAt = callback.deliveredAt.map(Timestamp.format)
            body = callback.body
        }
    }

    @Sendable func callbacks(_ request: Request, context: Context) async throws -> JSONResponse<[CallbackView]> {
        var status: PartnerCallbackStatus? = nil
        if let raw = request.uri.queryParameters.get("status") {
            guard let value = PartnerCallbackStatus(rawValue: raw) else {
                throw Problem(.unprocessableContent, "validation-error", detail: "pending, delivered or abandoned", field: "status")
            }
            status = value
        }
        let limit = try request.queryInteger("limit", in: 1...500, default: 100)
        return JSONResponse(try await partners.callbacks(code: code(context), status: status, limit: limit).map(CallbackView.init))
    }

    struct Replayed: Encodable, Sendable {
        let eventID: String
        let status: String
        enum CodingKeys: String, CodingKey {
            case status
            case eventID = "event_id"
        }
    }

    @Sendable func replay(_ request: Request, context: Context) async throws -> JSONResponse<Replayed> {
        let callback = try await partners.replay(code: code(context), eventID: context.parameters.get("event") ?? "")
        callbackQueued()
        return JSONResponse(Replayed(eventID: callback.eventID, status: callback.status.rawValue), status: .accepted)
    }
}

/// A partner as the admin API shows it: never a secret.
struct PartnerAdminView: Encodable, Sendable {
    struct Today: Encodable, Sendable {
        let count: Int
        let amount: Money
    }

    let code: String
    let name: String
    let status: String
    let callbackURL: String?
    let rateLimit: Int
    let keyID: String?
    let float: PartnerTopupView.FloatView
    let pricing: PartnerPricing
    let today: Today
    let failingCallbacks: Int
    let createdAt: String
    let disabledAt: String?

    enum CodingKeys: String, CodingKey {
        case code, name, status, float, pricing, today
        case callbackURL = "callback_url"
        case rateLimit = "rate_limit"
        case keyID = "key_id"
        case failingCallbacks = "failing_callbacks"
        case createdAt = "created_at"
        case disabledAt = "disabled_at"
    }

    init(_ overview: PartnerService.Overview) {
        let partner = overview.partner
        code = partner.code
        name = partner.name
        status = partner.isEnabled ? "active" : "disabled"
        callbackURL = partner.callbackURL
        rateLimit = partner.rateLimit
        keyID = overview.currentKeyID
        float = .init(partner.float)
        pricing = partner.pricing
        today = Today(count: overview.todayCount, amount: overview.todayAmount)
        failingCallbacks = overview.failingCallbacks
        createdAt = Timestamp.format(partner.createdAt)
        disabledAt = partner.disabledAt.map(Timestamp.format)
    }
}
