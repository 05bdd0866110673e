/// Where a recharge order stands.
public enum OrderStatus: String, Sendable, Codable, CaseIterable {
    /// Created; the payer has not paid yet.
    case pendingPayment = "pending_payment"
    /// The provider confirmed the money was taken; the credit is not on the line yet.
    case paid
    /// 到账: the amount is on the line, with a ledger transfer and a receipt.
    case credited
    /// The provider reported the payment failed.
    case failed
    /// Nobody paid before the order's expiry time.
    case expired
    /// The payer cancelled before paying.
    case cancelled
    /// A counter sale undone by its clerk in the same shift: the credit reversed, the money handed back.
    case voided
    /// Part of the credited money went back to the payer (a refund the provider confirmed).
    case partiallyRefunded = "partially_refunded"
    /// All the money paid went back to the payer.
    case refunded

    /// A status a waiting payer stops waiting at.
    public var isFinalForPayer: Bool {
        switch self {
        case .credited, .failed, .expired, .cancelled, .voided, .partiallyRefunded, .refunded: return true
        case .pendingPayment, .paid: return false
        }
    }
}

/// Something that happens to an order.
public enum OrderEvent: String, Sendable, CaseIterable {
    /// A verified notification or query says the money was taken.
    case paymentSucceeded
    /// A verified notification or query says the payment failed.
    case paymentFailed
    /// The amount was put on the line.
    case credit
    /// The order's time ran out unpaid.
    case expire
    /// The payer gave up before paying.
    case cancel
    /// The clerk undid a credited counter sale in its shift.
    case void
    /// A refund of part of what was paid was confirmed; more remains.
    case refundPartially
    /// Refunds of everything that was paid were confirmed.
    case refundFully
}

/// The recharge order state machine: the only place that decides which transitions exist.
///
/// Money that was really taken always wins: a success arriving after an order failed, expired or
/// was cancelled still moves it on to `paid` (and then `credited`), and the order is flagged as a
/// late payment for the operator.
public enum OrderStateMachine {
    /// The status after `event`, or an error when the transition is forbidden.
    public static func next(_ status: OrderStatus, on event: OrderEvent) throws(OrderTransitionError) -> OrderStatus {
        switch (status, event) {
        case (.pendingPayment, .paymentSucceeded): return .paid
        case (.pendingPayment, .paymentFailed): return .failed
        case (.pendingPayment, .expire): return .expired
        case (.pendingPayment, .cancel): return .cancelled
        case (.paid, .credit): return .credited
        case (.credited, .void): return .voided
        case (.credited, .refundPartially), (.partiallyRefunded, .refundPartially): return .partiallyRefunded
        case (.credited, .refundFully), (.partiallyRefunded, .refundFully): return .refunded
        case (.failed, .paymentSucceeded), (.expired, .paymentSucceeded), (.cancelled, .paymentSucceeded): return .paid
        default: throw OrderTransitionError(from: status, event: event)
        }
    }

    /// Whether a success in this status is a late payment the operator should look at.
    public static func isLatePayment(_ status: OrderStatus) -> Bool {
        status == .failed || status == .expired || status == .cancelled
    }
}

/// A transition the state machine forbids.
public struct OrderTransitionError: Error, Equatable, Sendable {
    public let from: OrderStatus
    public let event: OrderEvent
}
