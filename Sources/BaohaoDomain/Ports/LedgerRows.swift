import Foundation

/// The ledger's reads, receipts, and the verification of the books.
///
/// One of the narrow ports ``StoreSession`` is made of; methods marked "locks" take a row lock on
/// databases that have them.
public protocol LedgerRows: Sendable {
    /// Transfers touching an account, newest first.
    func transfers(account: LedgerAccount, limit: Int) async throws -> [Transfer]
    func receipt(number: String) async throws -> Receipt?
    /// Recomputes the books in a few set-based queries and lists every difference.
    func verify() async throws -> VerificationReport
}
