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
/// One writer connection behind a ``GroupCommitQueue``; a few reader connections that each read
/// a consistent snapshot. Several processes (a server and a CLI) may open the same file.
public final class SQLiteStore: RechargeStore {
    let writer: SQLiteConnection
    let readers: ReaderPool
    let queue: GroupCommitQueue
    let logger: Logger

    /// Opens (creating if needed) the database at `path` and runs pending migrations.
    public static func open(path: String, readers readerCount: Int = 3, logger: Logger) async throws -> SQLiteStore {
        let writer = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        do {
            try await configure(writer, logger: logger)
            _ = try await writer.sql().raw("PRAGMA journal_mode=WAL").all()
            _ = try await Migrator.run(on: writer.sql(), kind: .sqlite)
            var readers: [SQLiteConnection] = []
            for _ in 0..<max(1, readerCount) {
                let reader = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
                try await configure(reader, logger: logger)
                readers.append(reader)
            }
            return SQLiteStore(writer: writer, readers: ReaderPool(readers), logger: logger)
        } catch {
            try? await writer.close()
            throw error
        }
    }

    private init(writer: SQLiteConnection, readers: ReaderPool, logger: Logger) {
        self.writer = writer
        self.readers = readers
        let database = writer.sql()
        self.queue = GroupCommitQueue(kind: .sqlite, maximumInFlight: 1) { body in try await body(database) }
        self.logger = logger
    }

    static func configure(_ connection: SQLiteConnection, logger: Logger) async throws {
        let db = connection.sql()
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
        _ = try await writer.sql().raw("SELECT 1 AS one").all()
    }

    public func shutdown() async throws {
        for connection in await readers.drain() { try await connection.close() }
        try await writer.close()
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
