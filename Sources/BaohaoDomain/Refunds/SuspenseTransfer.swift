import Crypto
import Foundation

/// The ledger entry for money taken that cannot be credited: from the provider's clearing account
/// into suspense, one per provider transaction (its id is derived from the transaction, so it
/// can be written once only).
public enum SuspenseTransfer {
    /// The transfer id for a provider transaction's suspense entry.
    public static func id(provider: String, transactionID: String) -> String {
        let digest = SHA256.hash(data: Data("suspense\u{0}\(provider)\u{0}\(transactionID)".utf8))
        return "tr_sus_" + Hex.encode(digest.prefix(16))
    }

    /// The suspense entry for `payment`, dated `at`.
    public static func make(for payment: PaymentRecord, at: Date) throws -> Transfer {
        try Transfer(
            id: id(provider: payment.provider, transactionID: payment.transactionID), kind: .suspense, orderID: nil,
            postings: [
                Posting(.providerClearing(provider: payment.provider), try payment.amount.negated()), Posting(.suspense, payment.amount),
            ], createdAt: at)
    }
}
