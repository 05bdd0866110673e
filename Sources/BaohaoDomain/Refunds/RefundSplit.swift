/// How a refund of credited money divides between the line's balance and the handling fee, and
/// how much can still be refunded: the line first (the payer gets their recharge back), the fee
/// only once the whole face value has gone back.
public struct RefundSplit: Sendable, Hashable {
    public let linePart: Money
    public let feePart: Money

    /// What of the order's face value and fee (minor units) is not yet taken by `earlier`
    /// refunds that hold money or wait for a decision.
    static func left(order: RechargeOrder, earlier: [Refund]) -> (line: Int64, fee: Int64) {
        let holding = earlier.filter { $0.status.holdsMoney || $0.status == .requested }
        return (
            order.amount.amountMinor - holding.reduce(0) { $0 + $1.linePart.amountMinor },
            order.fee.amountMinor - holding.reduce(0) { $0 + $1.feePart.amountMinor }
        )
    }

    /// How `amount` divides, given what `earlier` refunds took; `nil` if it exceeds what is left.
    public static func split(amount: Money, order: RechargeOrder, earlier: [Refund]) -> RefundSplit? {
        let currency = order.total.currency
        let left = left(order: order, earlier: earlier)
        guard amount.currency == currency, amount.amountMinor > 0, amount.amountMinor <= left.line + left.fee else { return nil }
        let line = min(amount.amountMinor, left.line)
        return RefundSplit(linePart: Money(line, currency), feePart: Money(amount.amountMinor - line, currency))
    }

    /// Everything left of the order to refund, before the line's balance is considered.
    public static func unrefunded(order: RechargeOrder, earlier: [Refund]) -> Money {
        let left = left(order: order, earlier: earlier)
        return Money(left.line + left.fee, order.total.currency)
    }

    /// The most that can be refunded now: what is left of the order, limited by the line's
    /// balance for the face-value part (the fee part only when the balance covers all the face value left).
    public static func refundable(order: RechargeOrder, earlier: [Refund], balance: Money) -> Money {
        let left = left(order: order, earlier: earlier)
        let fromLine = min(left.line, max(0, balance.amountMinor))
        return Money(fromLine + (fromLine == left.line ? left.fee : 0), order.total.currency)
    }
}
