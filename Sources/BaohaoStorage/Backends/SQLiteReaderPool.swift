import Foundation

/// SQLite's reader connections, handed out one caller at a time.
///
/// A lock, not an actor: taking and giving back a connection costs no task hop, and giving it back
/// needs no task of its own.
final class SQLiteReaderPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [SQLiteDirectDatabase]
    private var all: [SQLiteDirectDatabase]
    private var waiters: [CheckedContinuation<SQLiteDirectDatabase, Never>] = []

    init(_ connections: [SQLiteDirectDatabase]) {
        idle = connections
        all = connections
    }

    /// An idle connection, or `nil` when every one is in use.
    func takeIfIdle() -> SQLiteDirectDatabase? {
        lock.withLock { idle.popLast() }
    }

    /// An idle connection, waiting for one to be given back when every one is in use.
    func take() async -> SQLiteDirectDatabase {
        if let connection = takeIfIdle() { return connection }
        return await withCheckedContinuation { continuation in
            let connection: SQLiteDirectDatabase? = lock.withLock {
                if let connection = idle.popLast() { return connection }
                waiters.append(continuation)
                return nil
            }
            if let connection { continuation.resume(returning: connection) }
        }
    }

    /// Gives `connection` back: to the longest waiter, or to the idle ones.
    func give(_ connection: SQLiteDirectDatabase) {
        let waiter: CheckedContinuation<SQLiteDirectDatabase, Never>? = lock.withLock {
            if waiters.isEmpty {
                idle.append(connection)
                return nil
            }
            return waiters.removeFirst()
        }
        waiter?.resume(returning: connection)
    }

    /// Every connection, for closing; the pool hands out none after this.
    func drain() -> [SQLiteDirectDatabase] {
        lock.withLock {
            defer { idle = []; all = [] }
            return all
        }
    }
}
