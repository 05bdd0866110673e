import BaohaoDomain
import Foundation
import Hummingbird

/// The operator's API under `/v1/admin`, behind ``AdminAuthMiddleware``.
struct AdminController<Context: StaffIdentityContext> {
    let admin: AdminService
    /// `BAOHAO_ADMIN_TOKEN`; `nil`: only admins' staff tokens are accepted.
    let adminToken: String?
    let clock: any WallClock
    let lines: LineService
    let staff: StaffService
    /// Largest CSV import body.
    static var maximumImportBytes: Int { 2 * 1024 * 1024 }

    func addRoutes(to router: Router<Context>) {
        let group = router.group("/v1/admin").add(
            middleware: AdminAuthMiddleware<Context>(token: self.adminToken, staff: self.staff))
        group.get("/plans", use: plans)
        group.post("/plans", use: addPlan)
        group.post("/lines", use: addLine)
        group.post("/lines/import", use: importLines)
        group.get("/lines", use: listLines)
        group.get("/lines/:msisdn", use: showLine)
        group.get("/lines/:msisdn/ledger", use: ledger)
        group.get("/lines/:msisdn/orders", use: orders)
        group.get("/notifications", use: notifications)
        group.post("/verify", use: verify)
    }

    @Sendable func plans(_ request: Request, context: Context) async throws -> JSONResponse<[PlanRepresentation]> {
        JSONResponse(try await self.admin.plans().map(PlanRepresentation.init))
    }

    @Sendable func addPlan(_ request: Request, context: Context) async throws -> JSONResponse<PlanRepresentation> {
        let body = try await request.decodeJSON(PlanRepresentation.self)
        let plan: Plan
        do {
            plan = try Plan(
                code: body.code, name: body.name, englishName: body.nameEN, monthlyFee: body.monthlyFee, policyCode: body.policy)
        } catch { throw DomainError.validation(error) }
        try await self.admin.addPlan(plan)
        return JSONResponse(PlanRepresentation(plan), status: .created)
    }

    struct NewLineBody: Decodable {
        let msisdn: String
        let plan: String
        let holderName: String
        let openingBalance: Money?
        let `operator`: String?
        /// `yyyy-MM-dd`: a line moved from another system already in arrears since that day.
        let arrearsSince: String?

        enum CodingKeys: String, CodingKey {
            case msisdn, plan
            case arrearsSince = "arrears_since"
            case holderName = "holder_name"
            case openingBalance = "opening_balance"
            case `operator` = "operator"
        }
    }

    @Sendable func addLine(_ request: Request, context: Context) async throws -> JSONResponse<LineRepresentation> {
        let body = try await request.decodeJSON(NewLineBody.self)
        var mobileOperator: MobileOperator? = nil
        if let raw = body.operator {
            guard let parsed = MobileOperator(rawValue: raw) else {
                throw Problem(.unprocessableContent, "validation-error", detail: "unknown operator", field: "operator")
            }
            mobileOperator = parsed
        }
        var arrearsSince: LocalDate? = nil
        if let raw = body.arrearsSince {
            guard let day = LocalDate(iso: raw) else {
                throw Problem(.unprocessableContent, "validation-error", detail: "expected yyyy-MM-dd", field: "arrears_since")
            }
            arrearsSince = day
        }
        let line = try await self.lines.add(
            NewLine(
                msisdn: body.msisdn, planCode: body.plan, holderName: body.holderName,
                openingBalance: body.openingBalance ?? .zero(.cny), mobileOperator: mobileOperator, arrearsSince: arrearsSince))
        return JSONResponse(LineRepresentation(line, assessment: try await self.admin.assessment(of: line)), status: .created)
    }

    struct ImportResult: Encodable, Sendable {
        let imported: Int
        let rowsRead: Int

        enum CodingKeys: String, CodingKey {
            case imported
            case rowsRead = "rows_read"
        }
    }

    /// `text/csv` body: `msisdn,plan,holder_name,opening_balance`. All rows or none.
    @Sendable func importLines(_ request: Request, context: Context) async throws -> JSONResponse<ImportResult> {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("text/csv") || contentType.hasPrefix("text/plain") else {
            throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: "expected text/csv")
        }
        let bytes = try await request.bodyBytes(limit: Self.maximumImportBytes)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Problem(.unprocessableContent, "validation-error", detail: "the file is not UTF-8", field: "body")
        }
        let parsed = LineImportCSV.parse(text)
        let report = try await self.lines.importLines(parsed.rows, parseErrors: parsed.errors)
        return JSONResponse(ImportResult(imported: report.imported, rowsRead: report.rowsRead), status: .created)
    }

    struct LinePage: Encodable, Sendable {
        let lines: [LineRepresentation]
        let nextCursor: String?

        enum CodingKeys: String, CodingKey {
            case lines
            case nextCursor = "next_cursor"
        }
    }

    @Sendable func listLines(_ request: Request, context: Context) async throws -> JSONResponse<LinePage> {
        let query = request.uri.queryParameters
        var status: LineStatus? = nil
        if let raw = query.get("status") {
            guard let parsed = LineStatus(rawValue: raw) else {
                throw Problem(.unprocessableContent, "validation-error", detail: "unknown status", field: "status")
            }
            status = parsed
        }
        let limit = try request.queryInteger("limit", in: 1...500, default: 100)
        let cursor = query.get("cursor")
        let lines = try await self.lines.list(status: status, after: cursor, limit: limit)
        let assessments = try await self.admin.assessments(of: lines)
        return JSONResponse(
            LinePage(
                lines: zip(lines, assessments).map { LineRepresentation($0, assessment: $1) },
                nextCursor: lines.count == limit ? lines.last?.msisdn.e164 : nil))
    }

    func line(_ context: Context) async throws -> Line {
        let raw = try context.parameters.require("msisdn")
        return try await self.lines.line(msisdn: raw.removingPercentEncoding ?? raw)
    }

    @Sendable func showLine(_ request: Request, context: Context) async throws -> JSONResponse<LineRepresentation> {
        let line = try await line(context)
        return JSONResponse(LineRepresentation(line, assessment: try await self.admin.assessment(of: line)))
    }

    @Sendable func ledger(_ request: Request, context: Context) async throws -> JSONResponse<[TransferRepresentation]> {
        let line = try await line(context)
        let limit = try request.queryInteger("limit", in: 1...1_000, default: 100)
        return JSONResponse(try await self.admin.ledger(lineID: line.id, limit: limit).map(TransferRepresentation.init))
    }

    @Sendable func orders(_ request: Request, context: Context) async throws -> JSONResponse<[OrderRepresentation]> {
        let line = try await line(context)
        let limit = try request.queryInteger("limit", in: 1...1_000, default: 100)
        let language = request.language
        return JSONResponse(
            try await self.admin.orders(lineID: line.id, limit: limit).map { OrderRepresentation($0, language: language) })
    }

    @Sendable func notifications(_ request: Request, context: Context) async throws -> JSONResponse<[NotificationRepresentation]> {
        var outcome: NotificationOutcome? = nil
        if let raw = request.uri.queryParameters.get("outcome") {
            guard let parsed = NotificationOutcome(rawValue: raw) else {
                throw Problem(.unprocessableContent, "validation-error", detail: "unknown outcome", field: "outcome")
            }
            outcome = parsed
        }
        let limit = try request.queryInteger("limit", in: 1...1_000, default: 100)
        return JSONResponse(try await self.admin.notifications(outcome: outcome, limit: limit).map(NotificationRepresentation.init))
    }

    @Sendable func verify(_ request: Request, context: Context) async throws -> JSONResponse<VerificationRepresentation> {
        JSONResponse(VerificationRepresentation(try await self.admin.verify()))
    }
}
