import BaohaoDomain
import Foundation
import Hummingbird

/// Promotions (优惠活动), for administrators (a staff token of an admin, or `BAOHAO_ADMIN_TOKEN`):
/// - `POST /v1/admin/promotions` with the rules (``CreateBody``) → 201 the promotion; the same
///   rules again → 200 the same promotion; other rules under a taken code → 409 `promotion-exists`;
/// - `GET /v1/admin/promotions` (newest first) and `GET /v1/admin/promotions/{code}`, with `used`
///   (count and amount) and `remaining`;
/// - `POST /v1/admin/promotions/{code}/end` ends it now (payments made from then on get no bonus).
struct AdminPromotionsController<Context: StaffIdentityContext> {
    let promotions: PromotionService
    let adminToken: String?
    let staff: StaffService
    let clock: any WallClock

    func addRoutes(to router: Router<Context>) {
        let group = router.group("/v1/admin/promotions").add(
            middleware: AdminAuthMiddleware<Context>(token: adminToken, staff: staff, roles: [.admin]))
        group.get(use: list)
        group.post(use: create)
        group.get("/:code", use: show)
        group.post("/:code/end", use: end)
    }

    /// Who acts: the staff member's username, or `admin-token`.
    func actor(_ context: Context) -> String { context.staff?.username ?? "admin-token" }

    func code(_ context: Context) -> String { String((context.parameters.get("code") ?? "").prefix(33)) }

    @Sendable func list(_ request: Request, context: Context) async throws -> JSONResponse<[PromotionView]> {
        let now = clock.now()
        return JSONResponse(try await promotions.promotions().map { PromotionView(promotion: $0, now: now) })
    }

    @Sendable func show(_ request: Request, context: Context) async throws -> JSONResponse<PromotionView> {
        JSONResponse(PromotionView(promotion: try await promotions.promotion(code: code(context)), now: clock.now()))
    }

    @Sendable func end(_ request: Request, context: Context) async throws -> JSONResponse<PromotionView> {
        let ended = try await promotions.end(code: code(context), by: actor(context))
        return JSONResponse(PromotionView(promotion: ended, now: clock.now()))
    }

    @Sendable func create(_ request: Request, context: Context) async throws -> JSONResponse<PromotionView> {
        let body = try await request.decodeJSON(CreateBody.self, limit: 8192)
        let (promotion, created) = try await promotions.create(try body.rules(), by: actor(context))
        return JSONResponse(PromotionView(promotion: promotion, now: clock.now()), status: created ? .created : .ok)
    }

    /// The body of `POST /v1/admin/promotions`, as the issue pins it.
    struct CreateBody: Decodable {
        struct Name: Decodable {
            let zh: String
            let en: String
        }
        struct Bonus: Decodable {
            let fixed: Money?
            let bps: Int?
            let cap: Money?
        }
        struct Budget: Decodable {
            let count: Int?
            let amount: Money?
        }
        let code: String
        let name: Name
        let startsAt: String
        let endsAt: String
        let channels: [String]
        let paymentMethods: [String]?
        let faceValues: [Money]?
        let minimum: Money?
        let bonus: Bonus
        let firstRechargeOnly: Bool?
        let perNumberLimit: Int?
        let budget: Budget
        let fundedBy: String?

        enum CodingKeys: String, CodingKey {
            case code, name, channels, minimum, bonus, budget
            case startsAt = "starts_at", endsAt = "ends_at", paymentMethods = "payment_methods", faceValues = "face_values"
            case firstRechargeOnly = "first_recharge_only", perNumberLimit = "per_number_limit", fundedBy = "funded_by"
        }

        func rules() throws -> PromotionRules {
            func invalid(_ field: String, _ detail: String) -> Problem {
                Problem(DomainError.validation(ValidationError(field: field, reason: .invalidFormat, detail: detail)))
            }
            guard let starts = Timestamp.parse(startsAt) else { throw invalid("starts_at", "RFC 3339, e.g. 2027-01-01T00:00:00+08:00") }
            guard let ends = Timestamp.parse(endsAt) else { throw invalid("ends_at", "RFC 3339, e.g. 2027-02-01T00:00:00+08:00") }
            let channels = try self.channels.map { raw in
                guard let channel = Channel(rawValue: raw) else {
                    throw invalid("channels", Channel.allCases.map(\.rawValue).joined(separator: ", "))
                }
                return channel
            }
            let methods = try paymentMethods?.map { raw in
                guard let method = PaymentMethod(rawValue: raw) else {
                    throw invalid("payment_methods", PaymentMethod.allCases.map(\.rawValue).joined(separator: ", "))
                }
                return method
            }
            let bonus: PromotionBonus
            switch (self.bonus.fixed, self.bonus.bps, self.bonus.cap) {
            case (let fixed?, nil, nil): bonus = .fixed(fixed)
            case (nil, let bps?, let cap?): bonus = .rate(basisPoints: bps, cap: cap)
            default: throw invalid("bonus", #"{"fixed": money} or {"bps": n, "cap": money}"#)
            }
            let budget: PromotionBudget
            switch (self.budget.count, self.budget.amount) {
            case (let count?, nil): budget = .count(count)
            case (nil, let amount?): budget = .amount(amount)
            default: throw invalid("budget", #"{"count": n} or {"amount": money}"#)
            }
            return PromotionRules(
                code: code, nameZh: name.zh, nameEn: name.en, startsAt: starts, endsAt: ends, channels: channels,
                paymentMethods: methods, faceValues: faceValues, minimum: minimum, bonus: bonus,
                firstRechargeOnly: firstRechargeOnly ?? false, perNumberLimit: perNumberLimit, budget: budget,
                fundedBy: fundedBy ?? "operator")
        }
    }
}
