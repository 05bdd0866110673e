import BaohaoDomain
import Foundation
import SQLKit

/// Business halls.
extension SQLSession {
    static func outlet(_ row: any SQLRow) throws -> Outlet {
        Outlet(
            code: try row.decode(column: "code", as: String.self), name: try row.decode(column: "name", as: String.self),
            address: try row.decode(column: "address", as: String.self), createdAt: try date(row, "created_at"),
            disabledAt: try optionalDate(row, "disabled_at"))
    }

    func insertOutlet(_ o: Outlet) async throws -> Bool {
        !(try await db.raw(
            """
            INSERT INTO outlets (code, name, address, created_at, disabled_at)
            VALUES (\(bind: o.code), \(bind: o.name), \(bind: o.address), \(bind: o.createdAt.millis), \(bind: o.disabledAt?.millis))
            ON CONFLICT DO NOTHING RETURNING code
            """
        ).all().isEmpty)
    }

    func outlet(code: String) async throws -> Outlet? {
        try await db.raw("SELECT code, name, address, created_at, disabled_at FROM outlets WHERE code = \(bind: code)").first()
            .map(Self.outlet)
    }

    func outlets() async throws -> [Outlet] {
        try await db.raw("SELECT code, name, address, created_at, disabled_at FROM outlets ORDER BY code LIMIT 10000").all()
            .map(Self.outlet)
    }

    func updateOutlet(_ o: Outlet) async throws {
        try await db.raw(
            """
            UPDATE outlets SET name = \(bind: o.name), address = \(bind: o.address), disabled_at = \(bind: o.disabledAt?.millis)
            WHERE code = \(bind: o.code)
            """
        ).run()
    }
}
