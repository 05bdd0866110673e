import Foundation

/// Refunds, and the flagged payments waiting for one.
///
/// One of the narrow ports ``StoreSession`` is made of; methods marked "locks" take a row lock on
/// databases that have them.
public protocol RefundRows: Sendable {
    /// Inserts a refund; `false` if it is automatic and its payment has an automatic refund already.
    func insertRefund(_ refund: Refund) async throws -> Bool
    /// A refund; locks it when `forUpdate`.
    func refund(id: String, forUpdate: Bool) async throws -> Refund?
    /// An order's refunds, oldest first.
    func refunds(orderID: String) async throws -> [Refund]
    /// Refunds in `status` (every status when `nil`), newest first, at most `limit`.
    func refunds(status: RefundStatus?, limit: Int) async throws -> [Refund]
    /// Writes the status, decision, transfers, provider answer and schedule if the status is still `expected`.
    func updateRefund(_ refund: Refund, expected: RefundStatus) async throws -> Bool
    /// Processing refunds whose provider is due to be asked at `now`, oldest due first.
    func dueRefunds(at now: Date, limit: Int) async throws -> [Refund]
    /// Takes a due refund for one ask by moving its due time to `leaseUntil`, if it is still
    /// processing and due at `expected`; `false` if another process took it first.
    func claimRefund(id: String, expected: Date, leaseUntil: Date) async throws -> Bool
    /// Refunds paid out at a counter in a shift, oldest first.
    func refunds(payoutShiftID: String) async throws -> [Refund]
    /// Payments flagged for a refund that have no automatic refund yet, oldest first.
    func paymentsAwaitingRefund(limit: Int) async throws -> [PaymentRecord]
    /// A transfer by id, with its postings.
    func transfer(id: String) async throws -> Transfer?
}
