import BaohaoDomain
import Foundation
import PostgresNIO
import VaporCSQLite

/// Bounds on waiting for the database, and the errors that mean it is unavailable rather than
/// that a request was wrong: PostgreSQL down or refusing connections, a full, read-only or
/// failing disk under SQLite. Both become ``StoreError/unavailable(_:)``, which the server
/// answers with 503 and `Retry-After` instead of 500, and which `/readyz` reports.
public enum StoreAvailability {
    /// Longest a read or write waits for a connection, and a ping for its answer
    /// (`BAOHAO_DB_TIMEOUT_SECONDS`).
    public static let defaultDeadline: Duration = .seconds(10)

    /// `error` as ``StoreError/unavailable(_:)`` when it says the database cannot be used now.
    static func classified(_ error: any Error) -> any Error {
        if let error = error as? PSQLError {
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown, .sslUnsupported:
                return StoreError.unavailable("PostgreSQL connection: \(error.code)")
            case .server:
                // 08: connection exceptions; 53: insufficient resources (disk full, out of memory,
                // too many connections); 57P01-57P03: shutting down or starting up.
                let state = error.serverInfo?[.sqlState] ?? ""
                if state.hasPrefix("08") || state.hasPrefix("53") || ["57P01", "57P02", "57P03"].contains(state) {
                    return StoreError.unavailable("PostgreSQL \(state)")
                }
                return error
            default:
                return error
            }
        }
        if let error = error as? SQLiteDirectError {
            switch error.code & 0xff {
            case SQLITE_FULL, SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_NOMEM:
                return StoreError.unavailable("SQLite: \(error.message)")
            default:
                return error
            }
        }
        return error
    }

    /// Runs `body`, giving up with ``StoreError/unavailable(_:)`` if it has not called
    /// ``Lease/taken()`` (it has a connection) within `deadline`; once it has, it runs as long as
    /// its work takes (an import or a retention run may take minutes). What it throws is classified.
    static func leased<T: Sendable>(
        _ deadline: Duration, reason: String? = nil, _ body: @escaping @Sendable (Lease) async throws -> T
    ) async throws -> T {
        let lease = Lease()
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { try await body(lease) }
                group.addTask {
                    try await Task.sleep(for: deadline)
                    return nil
                }
                while let next = try await group.next() {
                    if let value = next {
                        group.cancelAll()
                        return value
                    }
                    if !lease.isTaken {
                        group.cancelAll()
                        throw StoreError.unavailable(reason ?? "no database connection within \(deadline)")
                    }
                }
                throw StoreError.unavailable("the database work ended without an answer")
            }
        } catch {
            throw classified(error)
        }
    }

    /// Whether a connection was obtained.
    final class Lease: @unchecked Sendable {
        private let lock = NSLock()
        private var taken = false
        var isTaken: Bool { lock.withLock { taken } }
        func take() { lock.withLock { taken = true } }
    }

    /// Runs `body`, giving up with ``StoreError/unavailable(_:)`` after `deadline` (the body is
    /// cancelled), and classifying what it throws. For short calls (a ping, the readiness probe).
    static func bounded<T: Sendable>(_ deadline: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        // A lease never taken: the deadline holds for the whole call.
        try await leased(deadline, reason: "no answer from the database within \(deadline)") { _ in try await body() }
    }
}

/// The last write that failed because the database was unavailable: `/readyz` stays 503 for a
/// while after one, even when its own small probe write gets through (a nearly full disk takes
/// a one-row update but not a recharge).
final class WriteFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var last: (at: ContinuousClock.Instant, reason: String)?
    /// How long a failed write keeps the store not ready.
    static let memory: Duration = .seconds(10)

    /// Classifies `error` and remembers it when it means the database is unavailable.
    func classified(_ error: any Error) -> any Error {
        let classified = StoreAvailability.classified(error)
        if case StoreError.unavailable(let reason) = classified { lock.withLock { last = (ContinuousClock.now, reason) } }
        return classified
    }

    /// Throws ``StoreError/unavailable(_:)`` if a write failed so within ``memory``.
    func checkRecent() throws {
        guard let last = lock.withLock({ last }), ContinuousClock.now - last.at < Self.memory else { return }
        throw StoreError.unavailable("a write failed \(ContinuousClock.now - last.at) ago: \(last.reason)")
    }
}
