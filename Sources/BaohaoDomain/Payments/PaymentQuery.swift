import Foundation

/// What the reconciler knows about an order when it asks the provider.
public struct PaymentQuery: Sendable, Hashable {
    public let orderID: String
    public let total: Money
    /// The provider's id for the payment session, if creating it returned one (Stripe's Checkout Session).
    public let providerReference: String?

    public init(orderID: String, total: Money, providerReference: String?) {
        self.orderID = orderID
        self.total = total
        self.providerReference = providerReference
    }
}

/// What the provider's order query says.
public enum PaymentQueryResult: Sendable, Hashable {
    case paid(PaymentEvent)
    case pending
    case closed
    case notFound
}
