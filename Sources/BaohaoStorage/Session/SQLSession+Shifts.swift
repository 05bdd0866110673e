import BaohaoDomain
import Foundation
import SQLKit

/// Counter shifts. A closed shift's Z report is kept whole as JSON beside its number, so it can
/// never be recomputed differently later.
extension SQLSession {
    static let shiftColumns = "id, outlet_code, clerk_id, status, opened_at, opening_float, currency, closed_at, z_report"

    static func shift(_ row: any SQLRow) throws -> Shift {
        var report: ShiftReport? = nil
        if let text = try row.decode(column: "z_report", as: String?.self) {
            do { report = try StoredJSON.decode(ShiftReport.self, text) } catch {
                throw StoreError.corrupt("z report: \(error)")
            }
        }
        return Shift(
            id: try row.decode(column: "id", as: String.self), outletCode: try row.decode(column: "outlet_code", as: String.self),
            clerkID: try row.decode(column: "clerk_id", as: String.self), status: try enumValue(row, "status", Shift.Status.self),
            openedAt: try date(row, "opened_at"), openingFloat: try money(row, "opening_float", "currency"),
            closedAt: try optionalDate(row, "closed_at"), zReport: report)
    }

    func insertShift(_ s: Shift) async throws -> Bool {
        !(try await db.raw(
            """
            INSERT INTO counter_shifts (id, outlet_code, clerk_id, status, opened_at, opening_float, currency)
            VALUES (\(bind: s.id), \(bind: s.outletCode), \(bind: s.clerkID), \(bind: s.status.rawValue), \(bind: s.openedAt.millis),
                    \(bind: s.openingFloat.amountMinor), \(bind: s.openingFloat.currency.code))
            ON CONFLICT DO NOTHING RETURNING id
            """
        ).all().isEmpty)
    }

    func shift(id: String, forUpdate: Bool) async throws -> Shift? {
        try await db.raw(
            "SELECT \(unsafeRaw: Self.shiftColumns) FROM counter_shifts WHERE id = \(bind: id)\(unsafeRaw: forUpdate ? forUpdateClause : "")"
        ).first().map(Self.shift)
    }

    func openShift(clerkID: String) async throws -> Shift? {
        try await db.raw(
            "SELECT \(unsafeRaw: Self.shiftColumns) FROM counter_shifts WHERE clerk_id = \(bind: clerkID) AND status = 'open'"
        ).first().map(Self.shift)
    }

    func shifts(outletCode: String, limit: Int) async throws -> [Shift] {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.shiftColumns) FROM counter_shifts WHERE outlet_code = \(bind: outletCode)
            ORDER BY opened_at DESC, id DESC LIMIT \(unsafeRaw: String(max(limit, 0)))
            """
        ).all().map(Self.shift)
    }

    func closeShift(_ s: Shift) async throws -> Bool {
        let report = try s.zReport.map(StoredJSON.text)
        return
            !(try await db.raw(
                """
                UPDATE counter_shifts SET status = \(bind: s.status.rawValue), closed_at = \(bind: s.closedAt?.millis),
                  z_number = \(bind: s.zReport?.number.map(Int64.init)), z_report = \(bind: report)
                WHERE id = \(bind: s.id) AND status = 'open' RETURNING id
                """
            ).all().isEmpty)
    }

    func takeZNumber(outletCode: String) async throws -> Int {
        guard
            let row = try await db.raw(
                "UPDATE outlets SET last_z_number = last_z_number + 1 WHERE code = \(bind: outletCode) RETURNING last_z_number"
            ).first()
        else { throw StoreError.corrupt("no outlet \(outletCode)") }
        return Int(try row.decode(column: "last_z_number", as: Int64.self))
    }
}
