import Foundation

/// The ledger's reads, receipts, and the verification of the books.
///
/// One of the narrow ports ``StoreSession`` is made of; methods marked "locks" take a row lock on
/// databases that have them.
public protocol LedgerRows: Sendable {
    /// Transfers touching an account, newest first.
    func transfers(account: LedgerAccount, limit: Int) async throws -> [Transfer]
    /// The order's recharge transfer (the one that names it), if any.
    func transfer(orderID: String) async throws -> Transfer?
    /// A receipt, with its void if it was voided.
    func receipt(number: String) async throws -> Receipt?
    /// Marks a receipt voided (append-only: a receipt is never edited); `false` if it was already.
    func voidReceipt(number: String, at: Date, reason: String) async throws -> Bool
    /// Logs a printing as the receipt's next copy number; `nil` if another printing took that
    /// number at the same moment (try again).
    func recordPrint(number: String, format: String, at: Date, by staffID: String?) async throws -> ReceiptPrint?
    /// Runs one check of the books in a few set-based queries and lists every difference it finds;
    /// ``LedgerCheck/ledgerTotal`` also counts what the books hold.
    func verify(_ check: LedgerCheck) async throws -> VerificationReport
}
