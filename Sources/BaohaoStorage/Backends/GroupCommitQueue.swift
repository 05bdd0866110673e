import BaohaoDomain
import CoreMetrics
import Foundation
import Logging
import PostgresKit
import PostgresNIO
import SQLKit
import Tracing

/// Group commit: write bodies that arrive while a batch is being committed wait, and are then run
/// together in the next transaction. Payment applications share one ``BufferedCreditSession``
/// (loaded in a few queries, written in a few multi-row statements); any other body runs in its own
/// savepoint. A body that throws is undone alone; the others commit. Every caller is answered only
/// after the transaction holding its body is durable.
///
/// SQLite runs one batch at a time on its single writer; PostgreSQL may run a few batches at once
/// on pooled connections.
///
/// With `checkedConnect` (PostgreSQL), a batch of payment applications first runs in two round
/// trips and no explicit transaction: one prepared statement reads its orders, lines and payment
/// keys with their row versions, and one checked prepared statement writes everything, changing
/// each order and line only if its version is unchanged
/// (``BufferedCreditSession/flushChecked(on:logger:)``); that statement is its own durable
/// transaction. If a concurrent writer got there first, the statement keeps nothing and the batch
/// runs again the locking way: `BEGIN`, `SELECT … FOR UPDATE` in one id order, write, `COMMIT`
/// (six round trips), which always makes progress.
actor GroupCommitQueue {
    /// Most bodies committed in one transaction.
    static let maximumBatch = 256
    /// Times a batch that lost a deadlock or serialization race is run again.
    static let maximumRetries = 3

    struct Job {
        /// What a job does: a payment application runs in the batch's ``BufferedCreditSession``
        /// (it can reach nothing else); any other write runs on the database session.
        enum Work {
            case credit(PaymentKey, @Sendable (any CreditRows) async throws -> Void)
            case write(@Sendable (any StoreSession) async throws -> Void)
        }

        let work: Work
        let finish: @Sendable ((any Error)?) -> Void
        /// The caller's `db.group_commit` span (a no-op unless tracing is on): the batch it
        /// joined, its wait and its retries are written on it.
        let span: any Span
        /// When it was submitted: the wait for its batch is measured from here.
        let submitted = ContinuousClock.now

        /// The payment key of a payment application.
        var payment: PaymentKey? {
            if case .credit(let key, _) = work { return key }
            return nil
        }
    }

    /// Lends a connection for one batch.
    typealias Connect = @Sendable (@Sendable (any SQLDatabase) async throws -> Void) async throws -> Void
    /// Lends a PostgreSQL connection for one checked batch.
    typealias CheckedConnect = @Sendable (@Sendable (PostgresConnection) async throws -> Void) async throws -> Void

    let connect: Connect
    let kind: DatabaseKind
    let isRetryable: @Sendable (any Error) -> Bool
    /// Set on PostgreSQL: batches of payment applications run as checked writes on its connections.
    let checkedConnect: CheckedConnect?
    let logger: Logger
    /// Errors of a checked write that mean "run it again under locks" (changed versions, a payment
    /// key another writer inserted meanwhile).
    let isCheckedConflict: @Sendable (any Error) -> Bool
    /// Checked batches that found a concurrent change and ran again under locks.
    private(set) var checkedConflicts = 0
    /// For tests: runs between a checked batch's read and its write.
    private var afterCheckedRead: (@Sendable () async throws -> Void)?
    /// How long one batch may take before its callers are answered with an error. A transaction
    /// on a connection lost mid-way (a database restart) can wedge; the callers retry, and should
    /// the wedged transaction commit after all, their retry is a harmless duplicate.
    let batchTimeout: Duration?
    /// Measures the batch timeout and the backoff between retries: `ContinuousClock` in
    /// production, a test's own clock in tests.
    let clock: any Clock<Duration>
    private var state: GroupCommitState<Job>
    /// Exclusive requests waiting for their grant, in arrival order.
    private var exclusiveWaiters: [CheckedContinuation<Void, Never>] = []

    init(
        kind: DatabaseKind, maximumInFlight: Int, batchTimeout: Duration? = nil, clock: any Clock<Duration>,
        logger: Logger,
        isRetryable: @escaping @Sendable (any Error) -> Bool = { _ in false },
        isCheckedConflict: @escaping @Sendable (any Error) -> Bool = { _ in false }, checkedConnect: CheckedConnect? = nil,
        connect: @escaping Connect
    ) {
        precondition(maximumInFlight >= 1)
        precondition(checkedConnect == nil || kind == .postgres, "checked writes are PostgreSQL only")
        self.checkedConnect = checkedConnect
        self.logger = logger
        self.isCheckedConflict = isCheckedConflict
        self.batchTimeout = batchTimeout
        self.clock = clock
        self.kind = kind
        self.state = GroupCommitState(maximumBatch: Self.maximumBatch, maximumInFlight: maximumInFlight)
        self.isRetryable = isRetryable
        self.connect = connect
    }

    /// Runs `body` in a transaction shared with whatever else is waiting, and returns its result
    /// once that transaction committed.
    func submit<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) async throws -> T) async throws -> T {
        let box = ResultBox<T>()
        try await enqueue(.write { session in box.value = try await body(session) })
        return box.value!
    }

    /// Applies one payment in the next batch: its snapshot is loaded with the batch's, `decide`
    /// runs on it, and its changes are written with the batch's; returns once they are durable.
    func submitCredit<T: Sendable>(
        _ key: PaymentKey, _ decide: @escaping @Sendable (CreditSnapshot) throws -> (T, CreditChanges)
    ) async throws -> T {
        let box = ResultBox<T>()
        try await enqueue(.credit(key) { rows in box.value = try await rows.credit(key, decide) })
        return box.value!
    }

    /// Waits for the work's batch to commit, inside a `db.group_commit` span: the last span of a
    /// credit's trace, ending when the credit is durable.
    private func enqueue(_ work: Job.Work) async throws {
        try await withSpan("db.group_commit", ofKind: .client) { span in
            span.attributes["db.system"] = kind == .sqlite ? "sqlite" : "postgresql"
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let job = Job(
                    work: work,
                    finish: { error in
                        if let error { continuation.resume(throwing: error) } else { continuation.resume() }
                    }, span: span)
                perform(state.submit(job))
            }
        }
    }

    /// Runs `body` with no batch in flight and none starting (migrations).
    func exclusive<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        if !state.requestExclusive() {
            await withCheckedContinuation { exclusiveWaiters.append($0) }
        }
        defer { perform(state.exclusiveFinished()) }
        let box = ResultBox<T>()
        try await connect { db in box.value = try await body(db) }
        return box.value!
    }

    /// Does what a transition of ``state`` asks: starts batches, grants waiting exclusive work.
    private func perform(_ actions: GroupCommitState<Job>.Actions) {
        for batch in actions.start {
            Task {
                await self.run(batch)
                self.perform(self.state.batchFinished())
            }
        }
        for _ in 0..<actions.grantExclusive {
            precondition(!exclusiveWaiters.isEmpty, "exclusive work granted with nobody waiting")
            exclusiveWaiters.removeFirst().resume()
        }
    }

    /// For tests: `hook` runs between each checked batch's read and write.
    func setAfterCheckedRead(_ hook: (@Sendable () async throws -> Void)?) {
        afterCheckedRead = hook
    }

    private func run(_ batch: [Job]) async {
        let started = ContinuousClock.now
        for job in batch {
            let wait = started - job.submitted
            StoreMetrics.writeWait.recordNanoseconds(wait.nanoseconds)
            job.span.attributes["baohao.db.batch_size"] = batch.count
            job.span.attributes["baohao.db.batch_wait_ms"] = Double(wait.nanoseconds) / 1_000_000
        }
        StoreMetrics.batchSize.record(batch.count)
        StoreMetrics.batchesInFlight.increment()
        defer { StoreMetrics.batchesInFlight.decrement() }
        var attempt = 0
        var checked = checkedConnect != nil && batch.allSatisfy { $0.payment != nil }
        while true {
            switch await attemptWithDeadline(batch, checked: checked) {
            case .committed(let failures):
                for (index, job) in batch.enumerated() { job.finish(failures[index]) }
                return
            case .failed(let error) where checked && (isCheckedConflict(error) || error as? StoreError == .conflict):
                checked = false
                checkedConflicts += 1
                for job in batch { job.span.addEvent("checked batch conflicted: again under locks") }
            case .failed(let error) where attempt < Self.maximumRetries && isRetryable(error):
                attempt += 1
                for job in batch { job.span.addEvent("batch retried") }
                try? await clock.sleep(for: .milliseconds(Int.random(in: 1...(5 * attempt))))
            case .failed(let error):
                for job in batch { job.finish(error) }
                return
            }
        }
    }

    enum BatchOutcome: Sendable {
        case committed([(any Error)?])
        case failed(any Error)
    }

    /// Runs the batch, giving up on it after ``batchTimeout`` (the stuck work is cancelled).
    private func attemptWithDeadline(_ batch: [Job], checked: Bool) async -> BatchOutcome {
        let hook = checked ? afterCheckedRead : nil
        return await withCheckedContinuation { (continuation: CheckedContinuation<BatchOutcome, Never>) in
            let once = ResumeOnce(continuation)
            let work = Task {
                let failures = ResultBox<[(any Error)?]>()
                do {
                    if checked, let checkedConnect = self.checkedConnect {
                        try await checkedConnect { connection in
                            failures.value = try await self.commitChecked(batch, on: connection, afterRead: hook)
                        }
                    } else {
                        try await connect { db in failures.value = try await self.commit(batch, on: db) }
                    }
                    once.resume(.committed(failures.value ?? Array(repeating: nil, count: batch.count)))
                } catch {
                    once.resume(.failed(error))
                }
            }
            if let batchTimeout {
                let clock = self.clock
                // The timer ends as soon as the batch is answered: a sleeping timer would keep the
                // finished batch (and every caller's request) alive for the whole timeout.
                once.attach(
                    timer: Task {
                        try? await clock.sleep(for: batchTimeout)
                        if !Task.isCancelled, once.resume(.failed(StoreError.timedOut)) { work.cancel() }
                    })
            }
        }
    }

    /// A batch of payment applications in two statements, each its own transaction: the versioned
    /// read, then the checked write; returns each body's own failure, or throws if the write kept
    /// nothing (a changed version raises SQLSTATE 40001).
    private nonisolated func commitChecked(
        _ batch: [Job], on connection: PostgresConnection, afterRead: (@Sendable () async throws -> Void)?
    ) async throws -> [(any Error)?] {
        let buffered = BufferedCreditSession(base: SQLSession(db: connection.sql(), kind: kind))
        var failures: [(any Error)?] = Array(repeating: nil, count: batch.count)
        try await buffered.prefetchChecked(batch.compactMap(\.payment), on: connection, logger: logger)
        try await afterRead?()
        for (index, job) in batch.enumerated() {
            guard case .credit(_, let body) = job.work else { preconditionFailure("a checked batch holds payment applications only") }
            failures[index] = await buffered.runUndoable(body)
        }
        try await buffered.flushChecked(on: connection, logger: logger)
        return failures
    }

    /// One transaction for the whole batch; returns each body's own failure, or throws if the
    /// transaction itself failed (then nothing of the batch was kept).
    private nonisolated func commit(_ batch: [Job], on db: any SQLDatabase) async throws -> [(any Error)?] {
        let session = SQLSession(db: db, kind: kind)
        let buffered = BufferedCreditSession(base: session)
        var failures: [(any Error)?] = Array(repeating: nil, count: batch.count)
        do {
            try await db.raw(SQLQueryString(kind == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN")).run()
            let keys = batch.compactMap(\.payment)
            if !keys.isEmpty { try await buffered.prefetch(keys) }
            for (index, job) in batch.enumerated() {
                switch job.work {
                case .credit(_, let body):
                    // Payment applications share the buffer; a failing one is undone in memory.
                    failures[index] = await buffered.runUndoable(body)
                case .write(let body):
                    // Any other write runs against the database itself, after what is buffered.
                    try await buffered.flush()
                    do {
                        try await db.raw("SAVEPOINT job").run()
                        try await body(session)
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
            return failures
        } catch {
            try? await db.raw("ROLLBACK").run()
            throw error
        }
    }
}

/// Resumes a continuation once, whichever of several racers comes first.
final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Never>?
    private var timer: Task<Void, Never>?

    init(_ continuation: CheckedContinuation<T, Never>) {
        self.continuation = continuation
    }

    /// A timeout task, cancelled when the continuation is resumed (at once if it already was).
    func attach(timer task: Task<Void, Never>) {
        let resumed = lock.withLock {
            if continuation == nil { return true }
            timer = task
            return false
        }
        if resumed { task.cancel() }
    }

    /// `true` if this call resumed it.
    @discardableResult
    func resume(_ value: T) -> Bool {
        let (taken, pendingTimer): (CheckedContinuation<T, Never>?, Task<Void, Never>?) = lock.withLock {
            defer {
                continuation = nil
                timer = nil
            }
            return (continuation, timer)
        }
        pendingTimer?.cancel()
        taken?.resume(returning: value)
        return taken != nil
    }
}

/// Carries a body's result out of the type-erased job.
final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
