import BaohaoDomain
import SQLKit

/// Runs a body inside one explicit transaction on one connection: committed if it returns,
/// rolled back if it throws.
enum SQLTransaction {
    static func run<T: Sendable>(
        on db: any SQLDatabase, kind: DatabaseKind, begin: String,
        _ body: @Sendable (any StoreSession) async throws -> T
    ) async throws -> T {
        try await db.raw(SQLQueryString(begin)).run()
        do {
            let result = try await body(SQLSession(db: db, kind: kind))
            try await db.raw("COMMIT").run()
            return result
        } catch {
            try? await db.raw("ROLLBACK").run()
            throw error
        }
    }
}
