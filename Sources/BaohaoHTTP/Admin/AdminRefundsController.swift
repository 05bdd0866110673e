import BaohaoDomain
import Foundation
import Hummingbird

/// Refunds (退费), maker-checker, with staff tokens (`POST /v1/staff/tokens`):
/// - `POST /v1/admin/refunds` `{"order_id", "amount": money, "reason"}` → 201 `{"id", "status":
///   "requested", ...}`, by an operator or an administrator;
/// - `POST /v1/admin/refunds/{id}/approve` `{"reason"?}` or `/reject` `{"reason"}`, by an
///   administrator other than the one who asked (403 `refund-needs-another-approver`);
/// - `POST /v1/admin/refunds/{id}/resolve` `{"outcome": "succeeded" | "failed", "reason"}`, by an
///   administrator, for a refund whose asking stopped on an unclear provider answer;
/// - `GET /v1/admin/refunds?status=` (automatic refunds of payments that could not be credited
///   are listed beside the requested ones) and `GET /v1/admin/refunds/{id}`.
///
/// `BAOHAO_ADMIN_TOKEN` may read but not request or decide: it names no person.
struct AdminRefundsController<Context: StaffIdentityContext> {
    let refunds: RefundService
    let adminToken: String?
    let staff: StaffService

    func addRoutes(to router: Router<Context>) {
        let group = router.group("/v1/admin/refunds").add(
            middleware: AdminAuthMiddleware<Context>(token: adminToken, staff: staff, roles: [.admin, .operator]))
        group.get(use: list)
        group.post(use: create)
        group.get("/:id", use: show)
        group.post("/:id/approve", use: approve)
        group.post("/:id/reject", use: reject)
        group.post("/:id/resolve", use: resolve)
    }

    /// The member of staff behind the request; the shared admin token names nobody.
    func person(_ context: Context) throws -> StaffAccount {
        guard let staff = context.staff else {
            throw Problem(.forbidden, "forbidden", detail: "a refund records who asked and who decided: use a staff token")
        }
        return staff
    }

    func id(_ context: Context) -> String { String((context.parameters.get("id") ?? "").prefix(65)) }

    @Sendable func list(_ request: Request, context: Context) async throws -> JSONResponse<[RefundView]> {
        var status: RefundStatus? = nil
        if let raw = request.uri.queryParameters.get("status") {
            guard let parsed = RefundStatus(rawValue: raw) else {
                throw Problem(
                    DomainError.validation(
                        ValidationError(
                            field: "status", reason: .notAllowed, detail: RefundStatus.allCases.map(\.rawValue).joined(separator: ", "))))
            }
            status = parsed
        }
        let names = try await usernames()
        return JSONResponse(try await refunds.refunds(status: status).map { RefundView($0, usernames: names) })
    }

    @Sendable func show(_ request: Request, context: Context) async throws -> JSONResponse<RefundView> {
        JSONResponse(RefundView(try await refunds.refund(id: id(context)), usernames: try await usernames()))
    }

    struct CreateBody: Decodable {
        let orderID: String
        let amount: Money
        let reason: String
        enum CodingKeys: String, CodingKey {
            case amount, reason
            case orderID = "order_id"
        }
    }

    struct DecisionBody: Decodable {
        let reason: String?
    }

    @Sendable func create(_ request: Request, context: Context) async throws -> JSONResponse<RefundView> {
        let body = try await request.decodeJSON(CreateBody.self, limit: 4096)
        let refund = try await refunds.request(orderID: body.orderID, amount: body.amount, reason: body.reason, by: try person(context))
        return JSONResponse(RefundView(refund, usernames: try await usernames()), status: .created)
    }

    @Sendable func approve(_ request: Request, context: Context) async throws -> JSONResponse<RefundView> {
        let staff = try person(context)
        let body = try await Self.decision(request)
        let refund = try await refunds.approve(id: id(context), reason: body?.reason, by: staff)
        return JSONResponse(RefundView(refund, usernames: try await usernames()))
    }

    @Sendable func reject(_ request: Request, context: Context) async throws -> JSONResponse<RefundView> {
        let staff = try person(context)
        guard let reason = try await Self.decision(request)?.reason else {
            throw Problem(DomainError.validation(ValidationError(field: "reason", reason: .missing, detail: "why it is rejected")))
        }
        let refund = try await refunds.reject(id: id(context), reason: reason, by: staff)
        return JSONResponse(RefundView(refund, usernames: try await usernames()))
    }

    struct ResolveBody: Decodable {
        let outcome: String
        let reason: String
    }

    /// `{"outcome": "succeeded" | "failed", "reason"}`: an administrator settles a refund whose
    /// asking stopped on an unclear answer, after checking with the provider.
    @Sendable func resolve(_ request: Request, context: Context) async throws -> JSONResponse<RefundView> {
        let staff = try person(context)
        let body = try await request.decodeJSON(ResolveBody.self, limit: 4096)
        guard body.outcome == "succeeded" || body.outcome == "failed" else {
            throw Problem(DomainError.validation(ValidationError(field: "outcome", reason: .notAllowed, detail: "succeeded or failed")))
        }
        let refund = try await refunds.resolve(id: id(context), paidBack: body.outcome == "succeeded", reason: body.reason, by: staff)
        return JSONResponse(RefundView(refund, usernames: try await usernames()))
    }

    /// An approval may come with no body; a rejection needs its reason.
    static func decision(_ request: Request) async throws -> DecisionBody? {
        let bytes = try await request.bodyBytes(limit: 4096)
        guard !bytes.isEmpty else { return nil }
        return try Request.decodeJSON(DecisionBody.self, from: bytes)
    }

    func usernames() async throws -> [String: String] {
        Dictionary(try await staff.staff().map { ($0.id, $0.username) }, uniquingKeysWith: { first, _ in first })
    }
}

/// A refund as the admin API shows it; staff are named by username.
struct RefundView: Encodable, Sendable {
    let id: String
    let orderID: String
    let status: String
    let source: String
    let automatic: Bool
    let amount: Money
    let linePart: Money
    let feePart: Money
    let reason: String
    let provider: String
    let providerRefundID: String?
    let requestedBy: String?
    let requestedVia: String
    let requestedAt: String
    let decidedBy: String?
    let decidedAt: String?
    let decisionReason: String?
    let attempts: Int
    let nextAttemptAt: String?
    let lastError: String?
    let completedAt: String?
    let resolvedBy: String?
    let resolutionReason: String?
    let payoutShiftID: String?
    let payoutTender: String?

    enum CodingKeys: String, CodingKey {
        case id, status, source, automatic, amount, reason, provider, attempts
        case orderID = "order_id"
        case linePart = "line_part"
        case feePart = "fee_part"
        case providerRefundID = "provider_refund_id"
        case requestedBy = "requested_by"
        case requestedVia = "requested_via"
        case requestedAt = "requested_at"
        case decidedBy = "decided_by"
        case decidedAt = "decided_at"
        case decisionReason = "decision_reason"
        case nextAttemptAt = "next_attempt_at"
        case lastError = "last_error"
        case completedAt = "completed_at"
        case resolvedBy = "resolved_by"
        case resolutionReason = "resolution_reason"
        case payoutShiftID = "payout_shift_id"
        case payoutTender = "payout_tender"
    }

    /// Every member, `null` when empty, so clients see one shape.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(orderID, forKey: .orderID)
        try c.encode(status, forKey: .status)
        try c.encode(source, forKey: .source)
        try c.encode(automatic, forKey: .automatic)
        try c.encode(amount, forKey: .amount)
        try c.encode(linePart, forKey: .linePart)
        try c.encode(feePart, forKey: .feePart)
        try c.encode(reason, forKey: .reason)
        try c.encode(provider, forKey: .provider)
        try c.encode(providerRefundID, forKey: .providerRefundID)
        try c.encode(requestedBy, forKey: .requestedBy)
        try c.encode(requestedVia, forKey: .requestedVia)
        try c.encode(requestedAt, forKey: .requestedAt)
        try c.encode(decidedBy, forKey: .decidedBy)
        try c.encode(decidedAt, forKey: .decidedAt)
        try c.encode(decisionReason, forKey: .decisionReason)
        try c.encode(attempts, forKey: .attempts)
        try c.encode(nextAttemptAt, forKey: .nextAttemptAt)
        try c.encode(lastError, forKey: .lastError)
        try c.encode(completedAt, forKey: .completedAt)
        try c.encode(resolvedBy, forKey: .resolvedBy)
        try c.encode(resolutionReason, forKey: .resolutionReason)
        try c.encode(payoutShiftID, forKey: .payoutShiftID)
        try c.encode(payoutTender, forKey: .payoutTender)
    }

    init(_ refund: Refund, usernames: [String: String]) {
        id = refund.id
        orderID = refund.orderID
        status = refund.status.rawValue
        source = refund.source.rawValue
        automatic = refund.automatic
        amount = refund.amount
        linePart = refund.linePart
        feePart = refund.feePart
        reason = refund.reason
        provider = refund.provider
        providerRefundID = refund.providerRefundID
        requestedBy = refund.requestedBy.map { usernames[$0] ?? $0 }
        requestedVia = refund.requestedVia
        requestedAt = ISO8601.string(refund.requestedAt)
        decidedBy = refund.decidedBy.map { usernames[$0] ?? $0 }
        decidedAt = refund.decidedAt.map(ISO8601.string)
        decisionReason = refund.decisionReason
        attempts = refund.attempts
        nextAttemptAt = refund.status == .processing ? refund.nextAttemptAt.map(ISO8601.string) : nil
        lastError = refund.lastError
        completedAt = refund.completedAt.map(ISO8601.string)
        payoutShiftID = refund.payoutShiftID
        payoutTender = refund.payoutTender
        resolvedBy = refund.resolvedBy.map { usernames[$0] ?? $0 }
        resolutionReason = refund.resolutionReason
    }
}
