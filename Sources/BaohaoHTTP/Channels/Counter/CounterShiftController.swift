import BaohaoDomain
import Foundation
import Hummingbird

/// The counter terminal's shifts, with a staff token (`Authorization: Bearer`):
/// `POST /v1/counter/shifts` `{"opening_float": money}` → 201 (409 if the clerk has one open),
/// `GET /v1/counter/shifts/{id}/report` → the X report (the Z report once closed), and
/// `POST /v1/counter/shifts/{id}/close` `{"counted_cash": money, "note"}` → the Z report (409 if
/// closed already). Clerks open and close their own; operators and admins read any.
struct CounterShiftController<Context: StaffIdentityContext> {
    let shifts: ShiftService
    let staff: StaffService

    func addRoutes(to router: Router<Context>) {
        let group = router.group("/v1/counter/shifts").add(middleware: StaffTokenMiddleware<Context>(staff: staff))
        group.post(use: open)
        group.get("/:id/report", use: report)
        group.post("/:id/close", use: close)
    }

    @Sendable func open(_ request: Request, context: Context) async throws -> JSONResponse<ShiftView> {
        let clerk = try context.signedInStaff
        let body = try await request.decodeJSON(OpenBody.self)
        return JSONResponse(ShiftView(try await shifts.open(by: clerk, openingFloat: body.openingFloat), clerk: clerk), status: .created)
    }

    @Sendable func report(_ request: Request, context: Context) async throws -> JSONResponse<ShiftReportView> {
        JSONResponse(ShiftReportView(try await shifts.report(shiftID: Self.id(context), viewer: try context.signedInStaff)))
    }

    @Sendable func close(_ request: Request, context: Context) async throws -> JSONResponse<ShiftReportView> {
        let body = try await request.decodeJSON(CloseBody.self)
        let report = try await shifts.close(
            shiftID: Self.id(context), by: try context.signedInStaff, countedCash: body.countedCash, note: body.note)
        return JSONResponse(ShiftReportView(report))
    }

    static func id(_ context: Context) -> String { String((context.parameters.get("id") ?? "").prefix(65)) }

    struct OpenBody: Decodable {
        let openingFloat: Money
        enum CodingKeys: String, CodingKey { case openingFloat = "opening_float" }
    }

    struct CloseBody: Decodable {
        let countedCash: Money
        let note: String?
        enum CodingKeys: String, CodingKey {
            case countedCash = "counted_cash"
            case note
        }
    }
}

/// A shift as the counter API shows it.
struct ShiftView: Encodable, Sendable {
    let id: String
    let outlet: String
    let clerk: String
    let status: String
    let openedAt: String
    let openingFloat: Money

    init(_ shift: Shift, clerk: StaffAccount) {
        id = shift.id
        outlet = shift.outletCode
        self.clerk = clerk.username
        status = shift.status.rawValue
        openedAt = Timestamp.format(shift.openedAt)
        openingFloat = shift.openingFloat
    }

    enum CodingKeys: String, CodingKey {
        case id, outlet, clerk, status
        case openedAt = "opened_at"
        case openingFloat = "opening_float"
    }
}

/// An X or Z report as the counter API shows it; `z_number`, `counted_cash`, `over_short` and
/// `note` are `null` in an X report. Only a closed shift has a Z report, so its status follows.
struct ShiftReportView: Encodable, Sendable {
    let report: ShiftReport

    init(_ report: ShiftReport) {
        self.report = report
    }

    enum CodingKeys: String, CodingKey {
        case kind, shift, outlet, status, at
        case zNumber = "z_number"
        case openingFloat = "opening_float"
        case salesCount = "sales_count"
        case salesTotal = "sales_total"
        case fees
        case byTender = "by_tender"
        case voidsCount = "voids_count"
        case voidsTotal = "voids_total"
        case refundsCount = "refunds_count"
        case refundsTotal = "refunds_total"
        case expectedCash = "expected_cash"
        case countedCash = "counted_cash"
        case overShort = "over_short"
        case note
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(report.number == nil ? "x" : "z", forKey: .kind)
        try c.encode(report.shiftID, forKey: .shift)
        try c.encode(report.outletCode, forKey: .outlet)
        try c.encode((report.number == nil ? Shift.Status.open : .closed).rawValue, forKey: .status)
        try c.encode(Timestamp.format(report.at), forKey: .at)
        try c.encode(report.number, forKey: .zNumber)
        try c.encode(report.openingFloat, forKey: .openingFloat)
        try c.encode(report.salesCount, forKey: .salesCount)
        try c.encode(report.salesTotal, forKey: .salesTotal)
        try c.encode(report.fees, forKey: .fees)
        try c.encode(report.byTender, forKey: .byTender)
        try c.encode(report.voidsCount, forKey: .voidsCount)
        try c.encode(report.voidsTotal, forKey: .voidsTotal)
        try c.encode(report.refundsCount ?? 0, forKey: .refundsCount)
        try c.encode(report.refundsTotal ?? .zero(report.openingFloat.currency), forKey: .refundsTotal)
        try c.encode(report.expectedCash, forKey: .expectedCash)
        try c.encode(report.countedCash, forKey: .countedCash)
        try c.encode(report.overShort, forKey: .overShort)
        try c.encode(report.note, forKey: .note)
    }
}
