import BaohaoDomain
import Foundation
import Logging
import SQLKit

/// The embedded default: one SQLite file in WAL mode with `synchronous=FULL`.
///
/// One writer connection behind a ``GroupCommitQueue`` and a few reader connections that each read
/// a consistent snapshot. Every connection is a ``SQLiteDirectDatabase``: called synchronously on
/// its own thread, with its prepared statements reused, so a batch or a read of several statements
/// costs no thread hand-offs. Several processes (a server and a CLI) may open the same file.
public final class SQLiteStore: RechargeStore {
    let writer: SQLiteDirectDatabase
    let readers: SQLiteReaderPool
    let queue: GroupCommitQueue
    /// Writes that failed because the database could not take them (for `/readyz`).
    let failures = WriteFailures()
    /// WAL pages after which the writer's commit copies them back into the database file.
    static let walAutocheckpointPages = 10_000
    let logger: Logger

    /// Opens (creating if needed) the database at `path` and runs pending migrations.
    public static func open(path: String, readers readerCount: Int = 3, logger: Logger) async throws -> SQLiteStore {
        let writer = try SQLiteDirectDatabase.open(path: path, name: "sqlite-writer", logger: logger)
        var readers: [SQLiteDirectDatabase] = []
        do {
            try await writer.onThread { database in
                try await configure(database)
                // Statement journals (multi-row UPDATEs inside a batch) stay in memory, not temp files.
                _ = try await database.raw("PRAGMA temp_store = MEMORY").all()
                _ = try await database.raw("PRAGMA journal_mode=WAL").all()
                // Checkpoint every 10,000 WAL pages (about 40 MB), not 1,000: the pages every batch
                // rewrites (index and table tails) are copied back once per checkpoint instead of ten
                // times. Measured at 32 clients: 5,100-5,500 -> 6,100-6,200 credits/s.
                _ = try await database.raw("PRAGMA wal_autocheckpoint = \(unsafeRaw: String(Self.walAutocheckpointPages))").all()
                _ = try await Migrator.run(on: database, kind: .sqlite)
            }
            for index in 0..<max(1, readerCount) {
                let reader = try SQLiteDirectDatabase.open(path: path, name: "sqlite-reader-\(index)", logger: logger)
                readers.append(reader)
                try await reader.onThread { try await configure($0) }
            }
            return SQLiteStore(writer: writer, readers: SQLiteReaderPool(readers), logger: logger)
        } catch {
            for reader in readers { reader.close() }
            writer.close()
            throw error
        }
    }

    private init(writer: SQLiteDirectDatabase, readers: SQLiteReaderPool, logger: Logger) {
        self.writer = writer
        self.readers = readers
        self.queue = GroupCommitQueue(kind: .sqlite, maximumInFlight: 1, clock: ContinuousClock(), logger: logger) { body in
            try await writer.onThread(body)
        }
        self.logger = logger
    }

    static func configure(_ db: any SQLDatabase) async throws {
        _ = try await db.raw("PRAGMA busy_timeout = 10000").all()
        _ = try await db.raw("PRAGMA synchronous = FULL").all()
        _ = try await db.raw("PRAGMA foreign_keys = ON").all()
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) async throws -> T) async throws -> T {
        let reader = await readers.take()
        defer { readers.give(reader) }
        do {
            return try await reader.onThread { db in try await SQLTransaction.run(on: db, kind: .sqlite, begin: "BEGIN", body) }
        } catch { throw StoreAvailability.classified(error) }
    }

    /// Runs `body` on the caller's own thread with an idle reader connection (SQLite answers an
    /// indexed lookup from its page cache in microseconds, less than the hand-off to the reader's
    /// thread and back); on the reader's thread, as ``read(_:)``, when none is idle.
    public func lookup<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) async throws -> T) async throws -> T {
        guard let reader = readers.takeIfIdle() else { return try await read(body) }
        defer { readers.give(reader) }
        do {
            return try await SQLTransaction.run(on: reader, kind: .sqlite, begin: "BEGIN", body)
        } catch { throw StoreAvailability.classified(error) }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) async throws -> T) async throws -> T {
        do { return try await queue.submit(body) } catch { throw failures.classified(error) }
    }

    /// Applies pending migrations; returns the versions applied (none when up to date).
    public func migrate() async throws -> [Int] {
        try await queue.exclusive { db in try await Migrator.run(on: db, kind: .sqlite) }
    }

    public func credit<T: Sendable>(
        _ key: PaymentKey, _ decide: @escaping @Sendable (CreditSnapshot) throws -> (T, CreditChanges)
    ) async throws -> T {
        do { return try await queue.submitCredit(key, decide) } catch { throw failures.classified(error) }
    }

    public func ping() async throws {
        do { _ = try await writer.onThread { try await $0.raw("SELECT 1 AS one").all() } } catch {
            throw StoreAvailability.classified(error)
        }
    }

    public func probeWrite(at now: Date) async throws {
        do { try await queue.exclusive { db in try await db.raw(HealthProbe.statement(now)).run() } } catch {
            throw failures.classified(error)
        }
        try failures.checkRecent()
    }

    public func shutdown() async throws {
        for reader in readers.drain() { reader.close() }
        writer.close()
    }
}
