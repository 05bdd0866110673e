import Foundation

/// The rows one payment application reads, and nothing else: the order its notification names,
/// that order's line, and the payment already recorded under the notification's
/// (provider, transaction id).
///
/// A store loads exactly these for a ``PaymentKey`` (locking them where the database locks, or
/// remembering their versions where it checks them at commit), so the decision made from them
/// can only be about the order that was locked: the "lock what you read" rule is in the type.
public struct CreditSnapshot: Sendable, Hashable {
    public var order: RechargeOrder?
    public var line: Line?
    public var payment: PaymentRecord?

    public init(order: RechargeOrder?, line: Line?, payment: PaymentRecord?) {
        self.order = order
        self.line = line
        self.payment = payment
    }
}
