import Foundation

/// A request to give money back for one provider transaction.
public struct RefundRequest: Sendable, Hashable {
    public let orderID: String
    public let transactionID: String
    /// Our id for this refund; the provider's idempotency key.
    public let refundID: String
    public let amount: Money
    /// The payment's full amount (WeChat Pay wants it beside the refund).
    public let paymentTotal: Money
    public let reason: String

    public init(orderID: String, transactionID: String, refundID: String, amount: Money, paymentTotal: Money, reason: String) {
        self.orderID = orderID
        self.transactionID = transactionID
        self.refundID = refundID
        self.amount = amount
        self.paymentTotal = paymentTotal
        self.reason = reason
    }
}

/// What the provider said to a refund request.
public enum RefundResult: Sendable, Hashable {
    /// The money is on its way back; the provider's refund id.
    case succeeded(providerRefundID: String)
    /// Accepted; the final result comes later (WeChat Pay's PROCESSING).
    case processing(providerRefundID: String)
    /// Refused, with the provider's code.
    case refused(code: String)
}

/// A provider that cannot do something asked of it (the sandbox has no refunds).
public struct ProviderUnsupported: Error, Sendable {
    public let operation: String
    public init(_ operation: String) { self.operation = operation }
}
