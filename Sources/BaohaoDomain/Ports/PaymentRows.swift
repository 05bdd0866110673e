import Foundation

/// Payment notifications, payment links, the reconciler's asks and settlement runs.
///
/// One of the narrow ports ``StoreSession`` is made of; methods marked "locks" take a row lock on
/// databases that have them.
public protocol PaymentRows: Sendable {
    func notifications(outcome: NotificationOutcome?, limit: Int) async throws -> [NotificationRecord]
    /// Keeps what a provider returned for an order's payment; `false` if the order has one already.
    func insertPaymentLink(_ link: PaymentLink) async throws -> Bool
    func paymentLink(orderID: String) async throws -> PaymentLink?
    /// Claims up to `limit` unpaid or expired orders due to be asked about (created before
    /// `createdBefore`, expired no earlier than `expiredAfter`, fewer than `maximumAttempts` asks,
    /// next ask due by `now`), leasing each until `leaseUntil` so another process skips it.
    func claimReconciliationCandidates(
        now: Date, createdBefore: Date, expiredAfter: Date, maximumAttempts: Int, leaseUntil: Date, limit: Int
    ) async throws -> [ReconciliationCandidate]
    /// Records an ask's result and when to ask next.
    func recordReconciliation(orderID: String, attempts: Int, result: ReconciliationResult, nextAt: Date, at: Date) async throws
    /// This provider's payments with these transaction ids.
    func payments(provider: String, transactionIDs: [String]) async throws -> [PaymentRecord]
    /// This provider's payments paid in `[from, until)`, at most `limit`.
    func payments(provider: String, paidFrom: Date, until: Date, limit: Int) async throws -> [PaymentRecord]
    /// Keeps a settlement report's summary.
    func insertSettlementRun(_ report: SettlementReport) async throws
}
