import Foundation

/// One bonus paid: which promotion, to which line, for which order, by which transfer; and how
/// much of it a refund took back (claw-back).
public struct PromotionUse: Sendable, Hashable {
    public let orderID: String
    public let promotionCode: String
    public let lineID: String
    public let bonus: Money
    public let transferID: String
    public let createdAt: Date
    public var clawedBack: Money

    public init(
        orderID: String, promotionCode: String, lineID: String, bonus: Money, transferID: String, createdAt: Date, clawedBack: Money
    ) {
        self.orderID = orderID
        self.promotionCode = promotionCode
        self.lineID = lineID
        self.bonus = bonus
        self.transferID = transferID
        self.createdAt = createdAt
        self.clawedBack = clawedBack
    }

    /// What a refund of `refunded` out of `faceValue` (counting earlier refunds) leaves to claw
    /// back: the bonus in proportion to the face value refunded so far, rounded up, less what was
    /// taken back already.
    public func clawBackDue(refundedFace: Money, of faceValue: Money) -> Money {
        guard faceValue.amountMinor > 0 else { return .zero(bonus.currency) }
        let refunded = min(max(refundedFace.amountMinor, 0), faceValue.amountMinor)
        let product = bonus.amountMinor.multipliedReportingOverflow(by: refunded)
        let share = product.overflow ? bonus.amountMinor : (product.partialValue + faceValue.amountMinor - 1) / faceValue.amountMinor
        return Money(max(min(share, bonus.amountMinor) - clawedBack.amountMinor, 0), bonus.currency)
    }
}

/// The promotion an order was offered, as a credit reads it: the promotion (locked), how many
/// bonuses of it the order's number has had, and whether the number was credited before.
public struct PromotionState: Sendable, Hashable {
    public let promotion: Promotion
    public let usesOnLine: Int
    public let lineCreditedBefore: Bool

    public init(promotion: Promotion, usesOnLine: Int, lineCreditedBefore: Bool) {
        self.promotion = promotion
        self.usesOnLine = usesOnLine
        self.lineCreditedBefore = lineCreditedBefore
    }
}
