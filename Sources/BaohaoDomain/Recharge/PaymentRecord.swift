import Foundation

/// A verified payment from a provider. One per (provider, provider transaction id): the key that
/// makes a repeated notification harmless.
public struct PaymentRecord: Sendable, Hashable {
    public let provider: String
    public let transactionID: String
    public let orderID: String
    public let amount: Money
    public let paidAt: Date
    public let recordedAt: Date
    /// Set when money arrived for an order that was already credited by another payment, or for a
    /// line that can no longer take it: the operator must refund it.
    public let needsRefund: Bool

    public init(
        provider: String, transactionID: String, orderID: String, amount: Money, paidAt: Date, recordedAt: Date,
        needsRefund: Bool
    ) {
        self.provider = provider
        self.transactionID = transactionID
        self.orderID = orderID
        self.amount = amount
        self.paidAt = paidAt
        self.recordedAt = recordedAt
        self.needsRefund = needsRefund
    }
}

/// A provider's verified statement about one payment, as a payment adapter hands it to the domain.
public struct PaymentEvent: Sendable, Hashable {
    public enum Outcome: String, Sendable {
        case succeeded
        case failed
    }

    public let provider: String
    /// The provider's id for this notification (for the operator's audit trail).
    public let eventID: String
    public let orderID: String
    public let providerTransactionID: String
    public let outcome: Outcome
    public let amount: Money
    public let occurredAt: Date

    public init(
        provider: String, eventID: String, orderID: String, providerTransactionID: String, outcome: Outcome,
        amount: Money, occurredAt: Date
    ) {
        self.provider = provider
        self.eventID = eventID
        self.orderID = orderID
        self.providerTransactionID = providerTransactionID
        self.outcome = outcome
        self.amount = amount
        self.occurredAt = occurredAt
    }
}

/// What became of a notification.
public enum NotificationOutcome: String, Sendable, Codable, CaseIterable {
    /// It changed the order (credited, or marked failed).
    case applied
    /// It repeated one already applied; nothing changed.
    case duplicate
    /// It was valid but changed nothing (e.g. a failure for an order already credited).
    case ignored
    /// Money was taken but cannot be credited (order already paid by another transaction, or the
    /// line was reclaimed): kept for a refund.
    case flagged
    /// It failed a check and was refused: bad signature, stale, unknown order, amount mismatch.
    case rejected
}

/// A received notification and its fate, kept for the operator. Never holds signatures or secrets.
public struct NotificationRecord: Sendable, Hashable {
    public let id: String
    public let provider: String
    public let eventID: String?
    public let orderID: String?
    public let providerTransactionID: String?
    public let outcome: NotificationOutcome
    /// A stable reason code, e.g. `bad_signature`, `amount_mismatch`, `late_payment`.
    public let reason: String?
    public let receivedAt: Date

    public init(
        id: String, provider: String, eventID: String?, orderID: String?, providerTransactionID: String?,
        outcome: NotificationOutcome, reason: String?, receivedAt: Date
    ) {
        self.id = id
        self.provider = provider
        self.eventID = eventID
        self.orderID = orderID
        self.providerTransactionID = providerTransactionID
        self.outcome = outcome
        self.reason = reason
        self.receivedAt = receivedAt
    }
}
