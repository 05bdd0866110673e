import Foundation
import SQLKit

/// Which SQL dialect a statement is written for when the two differ.
public enum DatabaseKind: String, Sendable {
    case sqlite
    case postgres
}

/// One versioned schema change. Versions only grow; a shipped migration is never edited.
struct Migration: Sendable {
    /// Triggers that make `table` append-only in the database itself: any UPDATE or DELETE aborts.
    /// PostgreSQL's use the `baohao_append_only()` function that migration 1 creates.
    static func appendOnly(_ table: String, _ kind: DatabaseKind) -> [String] {
        switch kind {
        case .sqlite:
            return ["UPDATE", "DELETE"].map {
                "CREATE TRIGGER \(table)_no_\($0.lowercased()) BEFORE \($0) ON \(table) BEGIN SELECT RAISE(ABORT, '\(table) is append-only'); END"
            }
        case .postgres:
            return [
                "CREATE TRIGGER \(table)_append_only BEFORE UPDATE OR DELETE ON \(table) FOR EACH ROW EXECUTE FUNCTION baohao_append_only()"
            ]
        }
    }

    let version: Int
    let name: String
    /// Statements for a dialect, run in order inside one transaction.
    let statements: @Sendable (DatabaseKind) -> [String]
}

/// Applies pending migrations in version order, each in its own transaction, recording them in
/// `schema_migrations`. Safe to run from several processes at once on PostgreSQL (advisory lock).
enum Migrator {
    static let all: [Migration] = [
        Migration_0001_Core.migration, Migration_0002_Providers.migration, Migration_0003_Retention.migration,
        Migration_0004_Subscribers.migration, Migration_0005_Staff.migration, Migration_0006_CheckedWrites.migration,
        Migration_0007_ChannelPolicies.migration, Migration_0008_StaffTokens.migration, Migration_0009_Outlets.migration,
        Migration_0010_CounterShifts.migration, Migration_0011_CounterSales.migration, Migration_0012_Voids.migration,
        Migration_0013_IVRCalls.migration, Migration_0014_Partners.migration, Migration_0015_Refunds.migration,
        Migration_0016_Promotions.migration, Migration_0017_Vouchers.migration, Migration_0018_OrderHousekeeping.migration,
        Migration_0019_StaffTwoFactor.migration,
        Migration_0020_PlanEnglishName.migration,
        Migration_0021_PostingAmountsInIndex.migration,
    ]

    /// A digest of every migration's statements for `kind` (FNV-1a, 64 bits, hex): it names a
    /// template database migrated by exactly this code, so a changed migration list never reuses one.
    static func fingerprint(_ kind: DatabaseKind) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for migration in all {
            for byte in "\(migration.version)|\(migration.name)|\(migration.statements(kind).joined(separator: ";"))\n".utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
        }
        return String(hash, radix: 16)
    }

    static func run(on database: any SQLDatabase, kind: DatabaseKind) async throws -> [Int] {
        try await database.raw(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
        ).run()
        var applied: [Int] = []
        for migration in all {
            try await database.raw(SQLQueryString(kind == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN")).run()
            do {
                if kind == .postgres {
                    try await database.raw("SELECT pg_advisory_xact_lock(724051)").run()
                }
                let done = try await database.raw(
                    "SELECT version FROM schema_migrations WHERE version = \(bind: migration.version)"
                ).first()
                if done == nil {
                    for statement in migration.statements(kind) {
                        try await database.raw(SQLQueryString(statement)).run()
                    }
                    let now = Int64(Date().timeIntervalSince1970 * 1000)
                    try await database.raw(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: now))"
                    ).run()
                    applied.append(migration.version)
                }
                try await database.raw("COMMIT").run()
            } catch {
                try? await database.raw("ROLLBACK").run()
                throw error
            }
        }
        return applied
    }
}
