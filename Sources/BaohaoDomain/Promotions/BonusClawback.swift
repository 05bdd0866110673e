import Foundation

/// Taking back a bonus when the recharge that earned it is refunded or voided: in proportion to
/// the face value given back, and only as far as the line's balance still holds it (the unused
/// part), by a ``TransferKind/bonusClawback`` transfer that reverses (part of) the bonus transfer.
enum BonusClawback {
    /// Claws back what `refundedFace` (all of the order's face value refunded or voided so far,
    /// this time included) leaves due of the order's bonus, at most `available`; records it on the
    /// bonus and returns what was taken (zero when the order earned no bonus). The caller lowers
    /// the line's cached balance by it, in the same transaction.
    static func take(
        order: RechargeOrder, refundedFace: Money, available: Money, session: some PromotionRows & CreditRows,
        ids: IdentifierFactory, now: Date
    ) async throws -> Money {
        guard var use = try await session.promotionUse(orderID: order.id, forUpdate: true) else { return .zero(order.amount.currency) }
        let due = use.clawBackDue(refundedFace: refundedFace, of: order.amount)
        let taken = Money(min(due.amountMinor, max(available.amountMinor, 0)), due.currency)
        guard taken.amountMinor > 0 else { return taken }
        try await session.appendTransfer(
            try Transfer(
                id: ids.make("tr", at: now), kind: .bonusClawback, orderID: nil, reverses: use.transferID,
                postings: [Posting(.line(id: use.lineID), try taken.negated()), Posting(.promotion(code: use.promotionCode), taken)],
                createdAt: now))
        let before = use.clawedBack
        use.clawedBack = try before.adding(taken)
        guard try await session.setClawedBack(orderID: order.id, to: use.clawedBack, expected: before) else { throw StoreError.conflict }
        return taken
    }
}
