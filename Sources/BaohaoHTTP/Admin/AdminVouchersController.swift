import BaohaoDomain
import Foundation
import Hummingbird

/// Recharge cards (充值卡) for staff (an admin or operator staff token, or `BAOHAO_ADMIN_TOKEN`):
/// - `GET /v1/admin/vouchers/batches`: batches, newest first, with counts per state;
/// - `GET /v1/admin/vouchers/{serial}`: one card (never its PIN or PIN hash);
/// - `POST /v1/admin/vouchers/freeze` and `/unfreeze` with `{"serials": [...]}` or `{"from", "to"}`
///   and a `reason` → `{"changed": n}`;
/// - `POST /v1/admin/vouchers/activate` with `{"batch_id"}` or `{"from", "to"}` (administrators
///   only: it moves money) → `{"changed": n}`;
/// - `GET /v1/admin/vouchers/redemptions?date=YYYY-MM-DD` (Beijing day; today by default) and
///   `GET /v1/admin/vouchers/events`: the redemption report and the audit trail.
struct AdminVouchersController<Context: StaffIdentityContext> {
    let vouchers: VoucherService
    let adminToken: String?
    let staff: StaffService
    let clock: any WallClock

    func addRoutes(to router: Router<Context>) {
        let read = router.group("/v1/admin/vouchers").add(
            middleware: AdminAuthMiddleware<Context>(token: adminToken, staff: staff, roles: [.admin, .operator]))
        read.get("/batches", use: batches)
        read.get("/redemptions", use: redemptions)
        read.get("/events", use: events)
        read.post("/freeze", use: freeze)
        read.post("/unfreeze", use: unfreeze)
        read.get("/:serial", use: show)
        router.group("/v1/admin/vouchers/activate").add(middleware: AdminAuthMiddleware<Context>(token: adminToken, staff: staff))
            .post(use: activate)
    }

    func actor(_ context: Context) -> String { context.staff?.username ?? "admin-token" }

    struct Changed: Encodable {
        let changed: Int
    }

    struct RangeBody: Decodable {
        let serials: [String]?
        let from: String?
        let to: String?
        let reason: String?
        let batchID: String?

        enum CodingKeys: String, CodingKey {
            case serials, from, to, reason
            case batchID = "batch_id"
        }
    }

    func apply(_ request: Request, context: Context, _ change: VoucherChange) async throws -> JSONResponse<Changed> {
        let body = try await request.decodeJSON(RangeBody.self, limit: 64 * 1024)
        var change = change
        if case .freeze = change {
            guard let reason = body.reason else {
                throw Problem(DomainError.validation(ValidationError(field: "reason", reason: .missing, detail: "why they are frozen")))
            }
            change = .freeze(reason: reason)
        }
        let by = actor(context)
        if let serials = body.serials {
            guard body.from == nil, body.to == nil else {
                throw Problem(DomainError.validation(ValidationError(field: "serials", reason: .notAllowed, detail: "serials or from/to")))
            }
            return JSONResponse(Changed(changed: try await vouchers.change(serials: serials, change, by: by)))
        }
        guard (body.from != nil && body.to != nil) || body.batchID != nil else {
            throw Problem(
                DomainError.validation(ValidationError(field: "from", reason: .missing, detail: #"{"serials": [...]} or {"from", "to"}"#)))
        }
        return JSONResponse(
            Changed(changed: try await vouchers.change(from: body.from, to: body.to, batchID: body.batchID, change, by: by)))
    }

    @Sendable func freeze(_ request: Request, context: Context) async throws -> JSONResponse<Changed> {
        try await apply(request, context: context, .freeze(reason: ""))
    }

    @Sendable func unfreeze(_ request: Request, context: Context) async throws -> JSONResponse<Changed> {
        try await apply(request, context: context, .unfreeze)
    }

    @Sendable func activate(_ request: Request, context: Context) async throws -> JSONResponse<Changed> {
        try await apply(request, context: context, .activate)
    }

    @Sendable func batches(_ request: Request, context: Context) async throws -> JSONResponse<[BatchView]> {
        JSONResponse(try await vouchers.batches().map(BatchView.init))
    }

    @Sendable func show(_ request: Request, context: Context) async throws -> JSONResponse<VoucherView> {
        let serial = String((context.parameters.get("serial") ?? "").prefix(25))
        return JSONResponse(VoucherView(try await vouchers.voucher(serial: serial), now: clock.now()))
    }

    @Sendable func redemptions(_ request: Request, context: Context) async throws -> JSONResponse<[VoucherView]> {
        var day = LocalDate(clock.now(), in: Deadline.mainlandTimeZone)
        if let raw = request.uri.queryParameters.get("date") {
            guard let parsed = LocalDate(iso: String(raw)) else {
                throw Problem(.unprocessableContent, "validation-error", detail: "a date as YYYY-MM-DD (Beijing time)", field: "date")
            }
            day = parsed
        }
        let now = clock.now()
        return JSONResponse(try await vouchers.redeemed(on: day).map { VoucherView($0, now: now) })
    }

    @Sendable func events(_ request: Request, context: Context) async throws -> JSONResponse<[EventView]> {
        JSONResponse(try await vouchers.events().map(EventView.init))
    }

    struct BatchView: Encodable {
        let id: String
        let face: Money
        let count: Int
        let expiresOn: String
        let firstSerial: String
        let lastSerial: String
        let createdBy: String
        let createdAt: String
        let counts: [String: Int]

        enum CodingKeys: String, CodingKey {
            case id, face, count, counts
            case expiresOn = "expires_on", firstSerial = "first_serial", lastSerial = "last_serial", createdBy = "created_by"
            case createdAt = "created_at"
        }

        init(_ summary: VoucherService.BatchSummary) {
            let b = summary.batch
            id = b.id
            face = b.face
            count = b.count
            expiresOn = b.expiresOn.iso
            firstSerial = b.firstSerial
            lastSerial = b.lastSerial
            createdBy = b.createdBy
            createdAt = ISO8601.string(b.createdAt)
            counts = Dictionary(uniqueKeysWithValues: VoucherState.allCases.map { ($0.rawValue, summary.counts[$0] ?? 0) })
        }
    }

    /// A card as staff see it: never its PIN or the PIN's hash.
    struct VoucherView: Encodable {
        let voucher: Voucher
        let now: Date

        init(_ voucher: Voucher, now: Date) {
            self.voucher = voucher
            self.now = now
        }

        enum CodingKeys: String, CodingKey {
            case serial, face, state
            case batchID = "batch_id", expiresOn = "expires_on", activatedAt = "activated_at", usedAt = "used_at"
            case orderID = "order_id", usedOn = "used_on", frozenReason = "frozen_reason"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(voucher.serial, forKey: .serial)
            try c.encode(voucher.batchID, forKey: .batchID)
            try c.encode(voucher.face, forKey: .face)
            try c.encode(voucher.state(at: now).rawValue, forKey: .state)
            try c.encode(voucher.expiresOn.iso, forKey: .expiresOn)
            try c.encode(voucher.activatedAt.map(ISO8601.string), forKey: .activatedAt)
            try c.encode(voucher.usedAt.map(ISO8601.string), forKey: .usedAt)
            try c.encode(voucher.usedOrderID, forKey: .orderID)
            try c.encode(voucher.usedOnMasked, forKey: .usedOn)
            try c.encode(voucher.frozenReason, forKey: .frozenReason)
        }
    }

    struct EventView: Encodable {
        let event: VoucherEvent

        init(_ event: VoucherEvent) { self.event = event }

        enum CodingKeys: String, CodingKey {
            case id, kind, count, by, reason, at
            case batchID = "batch_id", from, to
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(event.id, forKey: .id)
            try c.encode(event.kind.rawValue, forKey: .kind)
            try c.encode(event.batchID, forKey: .batchID)
            try c.encode(event.fromSerial, forKey: .from)
            try c.encode(event.toSerial, forKey: .to)
            try c.encode(event.count, forKey: .count)
            try c.encode(event.by, forKey: .by)
            try c.encode(event.reason, forKey: .reason)
            try c.encode(ISO8601.string(event.at), forKey: .at)
        }
    }
}
