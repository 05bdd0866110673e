import BaohaoDomain
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO

/// The embedded default: one SQLite file in WAL mode with `synchronous=FULL`.
///
/// One writer connection behind a ``GroupCommitQueue``, called synchronously on its own thread
/// (``ThreadExecutor``, ``SQLiteWriterConnection``) with its prepared statements reused; a few
/// SQLiteNIO reader connections that each read a consistent snapshot. Several processes (a server
/// and a CLI) may open the same file.
public final class SQLiteStore: RechargeStore {
    let writer: SQLiteWriterConnection
    let writerDatabase: SQLiteWriterDatabase
    /// The writer's own thread: batches and migrations run there, calling SQLite synchronously.
    let writerExecutor: ThreadExecutor
    let readers: ReaderPool
    let queue: GroupCommitQueue
    /// WAL pages after which the writer's commit copies them back into the database file.
    static let walAutocheckpointPages = 10_000
    let logger: Logger

    /// Opens (creating if needed) the database at `path` and runs pending migrations.
    public static func open(path: String, readers readerCount: Int = 3, logger: Logger) async throws -> SQLiteStore {
        let writer = try SQLiteWriterConnection(path: path)
        let executor = ThreadExecutor(name: "baohao-sqlite-writer")
        let database = SQLiteWriterDatabase(connection: writer, logger: logger)
        var readers: [SQLiteConnection] = []
        do {
            try await withTaskExecutorPreference(executor) {
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
            for _ in 0..<max(1, readerCount) {
                let reader = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
                readers.append(reader)
                try await configure(reader.sql())
            }
            return SQLiteStore(writer: writer, executor: executor, readers: ReaderPool(readers), logger: logger)
        } catch {
            for reader in readers { try? await reader.close() }
            writer.close()
            executor.shutdown()
            throw error
        }
    }

    private init(writer: SQLiteWriterConnection, executor: ThreadExecutor, readers: ReaderPool, logger: Logger) {
        self.writer = writer
        self.writerExecutor = executor
        self.readers = readers
        let database = SQLiteWriterDatabase(connection: writer, logger: logger)
        self.writerDatabase = database
        self.queue = GroupCommitQueue(kind: .sqlite, maximumInFlight: 1) { body in
            try await withTaskExecutorPreference(executor) { try await body(database) }
        }
        self.logger = logger
    }

    static func configure(_ db: any SQLDatabase) async throws {
        _ = try await db.raw("PRAGMA busy_timeout = 10000").all()
        _ = try await db.raw("PRAGMA synchronous = FULL").all()
        _ = try await db.raw("PRAGMA foreign_keys = ON").all()
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) async throws -> T) async throws -> T {
        let connection = await readers.take()
        defer { Task { await readers.give(connection) } }
        return try await SQLTransaction.run(on: connection.sql(), kind: .sqlite, begin: "BEGIN", body)
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) async throws -> T) async throws -> T {
        try await queue.submit(body)
    }

    /// Applies pending migrations; returns the versions applied (none when up to date).
    public func migrate() async throws -> [Int] {
        try await queue.exclusive { db in try await Migrator.run(on: db, kind: .sqlite) }
    }

    public func write<T: Sendable>(
        applyingPaymentTo key: PaymentKey, _ body: @escaping @Sendable (any StoreSession) async throws -> T
    ) async throws -> T {
        try await queue.submit(payment: key, body)
    }

    public func ping() async throws {
        let database = writerDatabase
        _ = try await withTaskExecutorPreference(writerExecutor) { try await database.raw("SELECT 1 AS one").all() }
    }

    public func shutdown() async throws {
        for connection in await readers.drain() { try await connection.close() }
        writer.close()
        writerExecutor.shutdown()
    }
}

/// Reader connections handed out one caller at a time.
actor ReaderPool {
    private var idle: [SQLiteConnection]
    private var all: [SQLiteConnection]
    private var waiters: [CheckedContinuation<SQLiteConnection, Never>] = []

    init(_ connections: [SQLiteConnection]) {
        idle = connections
        all = connections
    }

    func take() async -> SQLiteConnection {
        if let connection = idle.popLast() { return connection }
        return await withCheckedContinuation { waiters.append($0) }
    }

    func give(_ connection: SQLiteConnection) {
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: connection)
        } else {
            idle.append(connection)
        }
    }

    func drain() -> [SQLiteConnection] {
        defer { idle = []; all = [] }
        return all
    }
}
