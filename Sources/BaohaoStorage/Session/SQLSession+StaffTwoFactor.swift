import BaohaoDomain
import Foundation
import SQLKit

extension SQLSession {
    func twoFactor(staffID: String) async throws -> StaffTwoFactor? {
        guard
            let row = try await db.raw(
                "SELECT staff_id, sealed_secret, enabled_at, last_step FROM staff_two_factor WHERE staff_id = \(bind: staffID)"
            ).first()
        else { return nil }
        return StaffTwoFactor(
            staffID: try row.decode(column: "staff_id", as: String.self),
            sealedSecret: try row.decode(column: "sealed_secret", as: String.self),
            enabledAt: try Self.optionalDate(row, "enabled_at"), lastStep: try row.decode(column: "last_step", as: Int64.self))
    }

    func saveTwoFactor(_ factor: StaffTwoFactor) async throws {
        try await db.raw(
            """
            INSERT INTO staff_two_factor (staff_id, sealed_secret, enabled_at, last_step)
            VALUES (\(bind: factor.staffID), \(bind: factor.sealedSecret), \(bind: factor.enabledAt?.millis), \(bind: factor.lastStep))
            ON CONFLICT (staff_id) DO UPDATE SET sealed_secret = excluded.sealed_secret, enabled_at = excluded.enabled_at,
              last_step = excluded.last_step
            """
        ).run()
    }

    func deleteTwoFactor(staffID: String) async throws {
        try await db.raw("DELETE FROM staff_recovery_codes WHERE staff_id = \(bind: staffID)").run()
        try await db.raw("DELETE FROM staff_two_factor WHERE staff_id = \(bind: staffID)").run()
    }

    func useTwoFactorStep(staffID: String, step: Int64) async throws -> Bool {
        !(try await db.raw(
            """
            UPDATE staff_two_factor SET last_step = \(bind: step) WHERE staff_id = \(bind: staffID) AND last_step < \(bind: step)
            RETURNING staff_id
            """
        ).all()).isEmpty
    }

    func replaceRecoveryCodes(staffID: String, hashes: [String], at: Date) async throws {
        try await db.raw("DELETE FROM staff_recovery_codes WHERE staff_id = \(bind: staffID)").run()
        for hash in hashes {
            try await db.raw(
                """
                INSERT INTO staff_recovery_codes (staff_id, code_hash, created_at) VALUES (\(bind: staffID), \(bind: hash), \(bind: at.millis))
                """
            ).run()
        }
    }

    func useRecoveryCode(staffID: String, hash: String, at: Date) async throws -> Bool {
        !(try await db.raw(
            """
            UPDATE staff_recovery_codes SET used_at = \(bind: at.millis)
            WHERE staff_id = \(bind: staffID) AND code_hash = \(bind: hash) AND used_at IS NULL RETURNING staff_id
            """
        ).all()).isEmpty
    }

    func unusedRecoveryCodes(staffID: String) async throws -> Int {
        try await db.raw(
            "SELECT COUNT(*) AS n FROM staff_recovery_codes WHERE staff_id = \(bind: staffID) AND used_at IS NULL"
        ).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
