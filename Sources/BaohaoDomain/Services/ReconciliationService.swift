import Foundation

/// The bookkeeping of the reconciler: which unpaid orders to ask a provider about, and what the
/// asks found. The asking itself is done by the payment module, which applies any payment it
/// finds through ``RechargeService/applyPayment(_:)``, exactly as a notification would be.
public struct ReconciliationService: Sendable {
    /// The ports this service uses, and no others.
    let store: Transactions<any PaymentRows>
    let clock: any WallClock
    public let policy: ReconciliationPolicy

    public init(store: any RechargeStore, clock: any WallClock, policy: ReconciliationPolicy = ReconciliationPolicy()) {
        self.store = Transactions(store) { $0 }
        self.clock = clock
        self.policy = policy
    }

    /// Claims the orders due to be asked about now; another process will not claim them until
    /// the lease ends.
    public func claimDue(limit: Int) async throws -> [ReconciliationCandidate] {
        let now = clock.now()
        let policy = self.policy
        return try await store.write { session in
            try await session.claimReconciliationCandidates(
                now: now, createdBefore: now - policy.firstAskAfter, expiredAfter: now - policy.keepAskingAfterExpiry,
                maximumAttempts: policy.maximumAttempts, leaseUntil: now + policy.lease, limit: min(max(limit, 1), 500))
        }
    }

    /// Records what an ask found and schedules the next one with exponential backoff; a final
    /// answer (paid, closed) ends the asking.
    public func record(_ candidate: ReconciliationCandidate, result: ReconciliationResult) async throws {
        let now = clock.now()
        let attempts = candidate.attempts + 1
        let final = result == .paid || result == .closed
        let next = final ? Date.distantFuture.addingTimeInterval(-1) : now + policy.delay(afterAttempt: attempts)
        let finalAttempts = final ? policy.maximumAttempts : attempts
        try await store.write { session in
            try await session.recordReconciliation(
                orderID: candidate.order.id, attempts: finalAttempts, result: result, nextAt: next, at: now)
        }
    }
}

/// When and how often the reconciler asks.
public struct ReconciliationPolicy: Sendable, Hashable {
    /// An order is first asked about this long after it was created (its notification had time to come).
    public var firstAskAfter: TimeInterval
    /// Asking continues this long after the order expired (a payment may land just before expiry).
    public var keepAskingAfterExpiry: TimeInterval
    /// Asks per order before giving up.
    public var maximumAttempts: Int
    /// First backoff; doubles each attempt up to ``maximumDelay``.
    public var initialDelay: TimeInterval
    public var maximumDelay: TimeInterval
    /// How long a claimed order is hidden from other reconcilers.
    public var lease: TimeInterval

    public init(
        firstAskAfter: TimeInterval = 5 * 60, keepAskingAfterExpiry: TimeInterval = 24 * 3600, maximumAttempts: Int = 12,
        initialDelay: TimeInterval = 60, maximumDelay: TimeInterval = 3600, lease: TimeInterval = 120
    ) {
        precondition(firstAskAfter >= 0 && keepAskingAfterExpiry >= 0 && (1...100).contains(maximumAttempts))
        precondition(initialDelay > 0 && maximumDelay >= initialDelay && lease > 0)
        self.firstAskAfter = firstAskAfter
        self.keepAskingAfterExpiry = keepAskingAfterExpiry
        self.maximumAttempts = maximumAttempts
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.lease = lease
    }

    /// The wait after the given (1-based) attempt.
    public func delay(afterAttempt attempt: Int) -> TimeInterval {
        min(maximumDelay, initialDelay * pow(2, Double(min(max(attempt - 1, 0), 30))))
    }
}
