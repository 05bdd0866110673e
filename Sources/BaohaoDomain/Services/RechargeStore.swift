import Foundation

/// The persistence the domain needs, implemented by the storage module on SQLite and PostgreSQL.
///
/// The domain never sees SQL: it asks for a session and works through ``StoreSession``.
public protocol RechargeStore: Sendable {
    /// Runs `body` against committed data.
    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) async throws -> T) async throws -> T

    /// ``read(_:)`` for a few indexed lookups on a hot path (the anonymous confirm step): a store
    /// may run it on the caller's own thread, sparing the hand-off to a reader and back. `body`
    /// must stay small: it may hold up the thread that serves other requests.
    func lookup<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) async throws -> T) async throws -> T

    /// Runs `body` in one database transaction and returns only once it is durable.
    ///
    /// If `body` throws, nothing it wrote is kept. An implementation may commit several concurrent
    /// bodies in one transaction (group commit), each isolated so that one failing body does not
    /// affect the others; callers cannot tell the difference.
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) async throws -> T) async throws -> T

    /// Applies one payment: loads the ``CreditSnapshot`` for `key`, lets `decide` turn it into a
    /// result and ``CreditChanges``, and writes those changes durably. The store may load the
    /// snapshots of many such calls in one go and commit their changes together; each decision
    /// sees the changes of the ones before it, exactly as in ``write(_:)``. If `decide` throws,
    /// nothing of it is written.
    func credit<T: Sendable>(
        _ key: PaymentKey, _ decide: @escaping @Sendable (CreditSnapshot) throws -> (T, CreditChanges)
    ) async throws -> T

    /// Succeeds when the database answers.
    func ping() async throws
    /// Succeeds when the database takes a write (one row of its own): a full or read-only disk
    /// answers reads but not this.
    func probeWrite(at now: Date) async throws

    /// Closes connections. No call may follow.
    func shutdown() async throws
}

extension RechargeStore {
    /// Without a faster way, a lookup is a ``read(_:)``.
    public func lookup<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) async throws -> T) async throws -> T {
        try await read(body)
    }
}

/// Every port a storage backend implements: what the composition root opens and hands, port by
/// port, to the services.
public typealias BaohaoDatabase = RechargeStore & ChannelPolicyRepository

/// Reads and writes inside one session: every port of the database together. Methods marked
/// "locks" take a row lock on databases that have them, so a read-decide-write sequence in
/// ``RechargeStore/write(_:)`` is race-free. A payment application goes through the narrower
/// ``CreditRows`` only.
public protocol StoreSession:
    CreditRows, PlanRows, LineRows, OrderRows, PaymentRows, RetentionRows, ReminderRows, SubscriberRows, StaffRows, LedgerRows,
    OutletRows, ShiftRows, CounterSaleRows, IVRCallRows, PartnerRows, RefundRows, PromotionRows, VoucherRows, InboundMessageRows,
    StaffTwoFactorRows
{}

/// What a payment-applying write will touch: its order and its (provider, transaction id).
public struct PaymentKey: Sendable, Hashable {
    public let orderID: String
    public let provider: String
    public let transactionID: String

    public init(orderID: String, provider: String, transactionID: String) {
        self.orderID = orderID
        self.provider = provider
        self.transactionID = transactionID
    }
}

extension RechargeStore {
    /// Stores without batching apply a payment as a plain write: snapshot, decision, changes.
    public func credit<T: Sendable>(
        _ key: PaymentKey, _ decide: @escaping @Sendable (CreditSnapshot) throws -> (T, CreditChanges)
    ) async throws -> T {
        try await write { session in try await session.credit(key, decide) }
    }
}

extension CreditRows {
    /// One payment application on these rows: snapshot, decision, changes.
    public func credit<T: Sendable>(_ key: PaymentKey, _ decide: (CreditSnapshot) throws -> (T, CreditChanges)) async throws -> T {
        let (result, changes) = try decide(try await creditSnapshot(for: key))
        try await apply(changes)
        return result
    }
}

/// How many times a write that lost a race is retried.
let maximumConflictRetries = 3

/// Runs `body` again (up to ``maximumConflictRetries`` times) while it throws
/// ``StoreError/conflict``: a write that lost a race to a concurrent one retries on fresh rows.
func retryingConflicts<T: Sendable>(_ body: () async throws -> T) async throws -> T {
    var attempt = 0
    while true {
        do {
            return try await body()
        } catch StoreError.conflict where attempt < maximumConflictRetries {
            attempt += 1
        }
    }
}

/// Storage-level failures the domain reacts to.
public enum StoreError: Error, Equatable, Sendable {
    /// A unique constraint refused the write.
    case duplicate(String)
    /// A stored value could not be read back (corrupt or foreign data).
    case corrupt(String)
    /// A concurrent writer changed a row between read and write; the write may be retried.
    case conflict
    /// The database did not answer in time; the write may or may not have happened, and is safe
    /// to retry because every write Baohao retries is idempotent.
    case timedOut
    /// The database cannot be reached or cannot write (PostgreSQL down, a full or read-only
    /// disk); nothing was written. Try again later.
    case unavailable(String)
}
