import Foundation

/// What a provider returned when an order's payment was started: kept so that showing the order
/// again does not start a second payment, and so the reconciler can ask about it later.
public struct PaymentLink: Sendable, Hashable {
    public let orderID: String
    public let provider: String
    public let payURL: String?
    public let qrCode: String?
    /// The provider's id for the payment session (Stripe `cs_…`, UnionPay `txnTime`).
    public let providerReference: String?
    public let createdAt: Date

    public init(orderID: String, provider: String, payURL: String?, qrCode: String?, providerReference: String?, createdAt: Date) {
        self.orderID = orderID
        self.provider = provider
        self.payURL = payURL
        self.qrCode = qrCode
        self.providerReference = providerReference
        self.createdAt = createdAt
    }
}
