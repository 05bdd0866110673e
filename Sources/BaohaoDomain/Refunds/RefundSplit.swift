/// How a refund of credited money divides between the line's balance and the handling fee, and
/// how much can still be refunded: the line first (the payer gets their recharge back), the fee
/// only once the whole face value has gone back.
public struct RefundSplit: Sendable, Hashable {
    public let linePart: Money
    public let feePart: Money

    /// What of the order's face value and fee is left to refund after `earlier` refunds that hold
    /// money; `nil` if `amount` exceeds it.
    public static func split(amount: Money, order: RechargeOrder, earlier: [Refund]) throws -> RefundSplit? {
        let currency = order.total.currency
        let holding = earlier.filter { $0.status.holdsMoney || $0.status == .requested }
        let lineLeft = order.amount.amountMinor - holding.reduce(0) { $0 + $1.linePart.amountMinor }
        let feeLeft = order.fee.amountMinor - holding.reduce(0) { $0 + $1.feePart.amountMinor }
        guard amount.currency == currency, amount.amountMinor > 0, amount.amountMinor <= lineLeft + feeLeft else { return nil }
        let line = min(amount.amountMinor, lineLeft)
        return RefundSplit(linePart: Money(line, currency), feePart: Money(amount.amountMinor - line, currency))
    }

    /// The most that can be refunded now: what is left of the order, limited by the line's
    /// balance for the face-value part (the fee part only when the balance covers all the face value left).
    public static func refundable(order: RechargeOrder, earlier: [Refund], balance: Money) -> Money {
        let holding = earlier.filter { $0.status.holdsMoney || $0.status == .requested }
        let lineLeft = order.amount.amountMinor - holding.reduce(0) { $0 + $1.linePart.amountMinor }
        let feeLeft = order.fee.amountMinor - holding.reduce(0) { $0 + $1.feePart.amountMinor }
        let available = max(0, balance.amountMinor)
        let fromLine = min(lineLeft, available)
        return Money(fromLine + (fromLine == lineLeft ? feeLeft : 0), order.total.currency)
    }
}
