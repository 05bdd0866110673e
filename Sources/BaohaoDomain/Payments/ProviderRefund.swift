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
    /// When the refund was first asked for: the request time a provider keys a refund by
    /// besides our id (UnionPay's `txnTime`), the same on every ask.
    public let requestedAt: Date?

    public init(
        orderID: String, transactionID: String, refundID: String, amount: Money, paymentTotal: Money, reason: String,
        requestedAt: Date? = nil
    ) {
        self.orderID = orderID
        self.transactionID = transactionID
        self.refundID = refundID
        self.amount = amount
        self.paymentTotal = paymentTotal
        self.reason = reason
        self.requestedAt = requestedAt
    }
}

/// What the provider says about a refund asked for before.
public enum RefundQueryResult: Sendable, Hashable {
    /// Paid back; the provider's refund id.
    case succeeded(providerRefundID: String)
    /// Still under way.
    case processing(providerRefundID: String)
    /// The provider made this refund fail for good (closed, abnormal): nothing was paid back.
    case failed(code: String)
    /// The provider has no refund under our id: the earlier ask never arrived.
    case notFound
    /// An answer that is neither (a repeat refused, say): nobody can tell from it whether money went back.
    case unknown(code: String)
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

/// A provider's verified notification about a refund (WeChat Pay's `REFUND.*`, Stripe's
/// `charge.refund.updated`): which of our refunds, and how it ended. It settles the refund at once
/// instead of at the next query, by the same rules as a query's answer.
public struct RefundNotice: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        /// Paid back.
        case succeeded
        /// Closed or failed for good: nothing was paid back.
        case failed(code: String)
        /// Neither final nor clear (WeChat Pay's ABNORMAL): asking stops, an operator checks.
        case unclear(code: String)
        /// Still under way: nothing to do.
        case processing
    }

    public let provider: String
    public let eventID: String
    /// Our refund id, as the refund request gave it (`out_refund_no`, `metadata[refund_id]`).
    public let refundID: String
    public let providerRefundID: String?
    public let outcome: Outcome

    public init(provider: String, eventID: String, refundID: String, providerRefundID: String?, outcome: Outcome) {
        self.provider = provider
        self.eventID = eventID
        self.refundID = refundID
        self.providerRefundID = providerRefundID
        self.outcome = outcome
    }
}
