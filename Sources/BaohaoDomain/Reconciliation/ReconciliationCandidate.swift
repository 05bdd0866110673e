import Foundation

/// An order whose payment result has not arrived, due to be asked about at the provider.
public struct ReconciliationCandidate: Sendable, Hashable {
    public let order: RechargeOrder
    /// How many times the provider was asked already.
    public let attempts: Int
    /// From the order's ``PaymentLink``.
    public let providerReference: String?

    public init(order: RechargeOrder, attempts: Int, providerReference: String?) {
        self.order = order
        self.attempts = attempts
        self.providerReference = providerReference
    }
}

/// What one reconciliation attempt found, kept per order for the operator.
public enum ReconciliationResult: String, Sendable, Codable {
    /// The provider reported the payment; it was applied (or already had been).
    case paid
    /// Still unpaid at the provider; asked again later.
    case pending
    /// The provider closed the payment unpaid.
    case closed
    /// The provider does not know the order (the payer never reached it).
    case notFound = "not_found"
    /// The provider could not be asked (network, signature, error answer).
    case error
}
