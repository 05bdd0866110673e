import BaohaoDomain
import Foundation
import SQLKit

/// Group commit for a single-writer database: write bodies that arrive while a transaction is
/// being committed wait, and are then run together in the next transaction, each inside its own
/// savepoint. A body that throws is rolled back to its savepoint alone; the others commit. Every
/// caller is answered only after the transaction holding its body is durable.
actor GroupCommitQueue {
    /// Most bodies committed in one transaction.
    static let maximumBatch = 256

    struct Job {
        /// Set for a payment application: it runs in the batch's ``BufferedCreditSession``.
        let payment: PaymentKey?
        let body: @Sendable (any StoreSession) async throws -> Void
        let finish: @Sendable ((any Error)?) -> Void
    }

    let db: any SQLDatabase
    let kind: DatabaseKind
    private var pending: [Job] = []
    private var draining = false

    init(db: any SQLDatabase, kind: DatabaseKind) {
        self.db = db
        self.kind = kind
    }

    /// Runs `body` in a transaction shared with whatever else is waiting, and returns its result
    /// once that transaction committed.
    func submit<T: Sendable>(
        payment: PaymentKey? = nil, _ body: @escaping @Sendable (any StoreSession) async throws -> T
    ) async throws -> T {
        let box = ResultBox<T>()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            pending.append(
                Job(
                    payment: payment,
                    body: { session in box.value = try await body(session) },
                    finish: { error in
                        if let error { continuation.resume(throwing: error) } else { continuation.resume() }
                    }))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
        return box.value!
    }

    /// Runs `body` on the writer connection with no transaction open around it (migrations).
    func exclusive<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        while draining { await Task.yield() }
        draining = true
        defer { draining = false; if !pending.isEmpty { draining = true; Task { await self.drain() } } }
        return try await body(db)
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(Self.maximumBatch))
            pending.removeFirst(batch.count)
            await run(batch)
        }
        draining = false
    }

    private func run(_ batch: [Job]) async {
        let session = SQLSession(db: db, kind: kind)
        let buffered = BufferedCreditSession(base: session)
        var failures: [(any Error)?] = Array(repeating: nil, count: batch.count)
        do {
            try await db.raw("BEGIN IMMEDIATE").run()
            let keys = batch.compactMap(\.payment)
            if !keys.isEmpty { try await buffered.prefetch(keys) }
            for (index, job) in batch.enumerated() {
                if job.payment != nil {
                    // Payment applications share the buffer; a failing one is undone in memory.
                    let before = buffered.overlay
                    do { try await job.body(buffered) } catch {
                        buffered.overlay = before
                        failures[index] = error
                    }
                } else {
                    // Any other write runs against the database itself, after what is buffered.
                    try await buffered.flush()
                    do {
                        try await db.raw("SAVEPOINT job").run()
                        try await job.body(session)
                        try await db.raw("RELEASE job").run()
                    } catch {
                        failures[index] = error
                        try? await db.raw("ROLLBACK TO job").run()
                        try? await db.raw("RELEASE job").run()
                    }
                }
            }
            try await buffered.flush()
            try await db.raw("COMMIT").run()
        } catch {
            try? await db.raw("ROLLBACK").run()
            for (index, job) in batch.enumerated() { job.finish(failures[index] ?? error) }
            return
        }
        for (index, job) in batch.enumerated() { job.finish(failures[index]) }
    }
}

/// Carries a body's result out of the type-erased job.
final class ResultBox<T: Sendable>: @unchecked Sendable {
    var value: T?
}
