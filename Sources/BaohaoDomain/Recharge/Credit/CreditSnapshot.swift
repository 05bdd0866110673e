import Foundation

/// The rows one payment application reads, and nothing else: the order its notification names,
/// that order's line, the payment already recorded under the notification's
/// (provider, transaction id), and the promotion the order was offered.
///
/// A store loads exactly these for a ``PaymentKey`` (locking them where the database locks, or
/// remembering their versions where it checks them at commit), so the decision made from them
/// can only be about the order that was locked: the "lock what you read" rule is in the type.
public struct CreditSnapshot: Sendable, Hashable {
    public var order: RechargeOrder?
    public var line: Line?
    public var payment: PaymentRecord?
    /// The promotion the order was offered, when it names one.
    public var promotion: PromotionState?

    public init(order: RechargeOrder?, line: Line?, payment: PaymentRecord?, promotion: PromotionState? = nil) {
        self.order = order
        self.line = line
        self.payment = payment
        self.promotion = promotion
    }
}
