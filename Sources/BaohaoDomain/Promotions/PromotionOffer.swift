import Foundation

/// Why a promotion gives no bonus to a recharge.
public enum PromotionRefusal: String, Sendable, Hashable {
    case notRunning = "not_running"
    case channel
    case paymentMethod = "payment_method"
    case faceValue = "face_value"
    case belowMinimum = "below_minimum"
    case notFirstRecharge = "not_first_recharge"
    case perNumberLimit = "per_number_limit"
    case budgetExhausted = "budget_exhausted"
}

/// What is known about one recharge when a promotion is weighed for it.
public struct PromotionCandidate: Sendable, Hashable {
    public let channel: Channel
    public let paymentMethod: PaymentMethod
    public let faceValue: Money
    /// When the payment is (or, for a quote, would be) made.
    public let at: Date
    /// Whether the number has had a recharge credited before.
    public let creditedBefore: Bool

    public init(channel: Channel, paymentMethod: PaymentMethod, faceValue: Money, at: Date, creditedBefore: Bool) {
        self.channel = channel
        self.paymentMethod = paymentMethod
        self.faceValue = faceValue
        self.at = at
        self.creditedBefore = creditedBefore
    }
}

/// A promotion's bonus for one recharge.
public struct PromotionOffer: Sendable, Hashable {
    public let promotion: Promotion
    public let bonus: Money

    public init(promotion: Promotion, bonus: Money) {
        self.promotion = promotion
        self.bonus = bonus
    }

    /// The best offer for the payer among `promotions`: the largest bonus; on a tie, the one that
    /// ends first (it would be gone sooner), then the code. `usesOnLine` gives how many bonuses
    /// the number has had from each promotion.
    public static func best(
        among promotions: [Promotion], for candidate: PromotionCandidate, usesOnLine: (String) -> Int
    ) -> PromotionOffer? {
        promotions.compactMap { promotion -> PromotionOffer? in
            guard case .success(let bonus) = promotion.weigh(candidate, usesOnLine: usesOnLine(promotion.code)) else { return nil }
            return PromotionOffer(promotion: promotion, bonus: bonus)
        }
        .min(by: isBetter)
    }

    /// The payer's order of preference: the larger bonus; on a tie, the promotion that ends first,
    /// then the code.
    public static func isBetter(_ a: PromotionOffer, than b: PromotionOffer) -> Bool {
        if a.bonus.amountMinor != b.bonus.amountMinor { return a.bonus.amountMinor > b.bonus.amountMinor }
        if a.promotion.effectiveEnd != b.promotion.effectiveEnd { return a.promotion.effectiveEnd < b.promotion.effectiveEnd }
        return a.promotion.code < b.promotion.code
    }
}

extension Promotion {
    /// The bonus this promotion gives `candidate`, or why it gives none. `usesOnLine` is how many
    /// bonuses of this promotion the number has had.
    public func weigh(_ candidate: PromotionCandidate, usesOnLine: Int) -> Result<Money, PromotionRefusalError> {
        func no(_ reason: PromotionRefusal) -> Result<Money, PromotionRefusalError> { .failure(PromotionRefusalError(reason)) }
        let rules = self.rules
        guard isRunning(at: candidate.at) else { return no(.notRunning) }
        guard rules.channels.contains(candidate.channel) else { return no(.channel) }
        if let methods = rules.paymentMethods, !methods.contains(candidate.paymentMethod) { return no(.paymentMethod) }
        guard candidate.faceValue.currency == rules.bonus.largest.currency else { return no(.faceValue) }
        if let faces = rules.faceValues, !faces.contains(candidate.faceValue) { return no(.faceValue) }
        if let minimum = rules.minimum, candidate.faceValue.amountMinor < minimum.amountMinor { return no(.belowMinimum) }
        if rules.firstRechargeOnly, candidate.creditedBefore { return no(.notFirstRecharge) }
        if let limit = rules.perNumberLimit, usesOnLine >= limit { return no(.perNumberLimit) }
        let amount = rules.bonus.amount(on: candidate.faceValue)
        guard amount.amountMinor > 0 else { return no(.faceValue) }
        guard rules.budget.allows(amount, after: used) else { return no(.budgetExhausted) }
        return .success(amount)
    }
}

/// ``PromotionRefusal`` as an error, for `Result`.
public struct PromotionRefusalError: Error, Sendable, Hashable {
    public let reason: PromotionRefusal

    public init(_ reason: PromotionRefusal) {
        self.reason = reason
    }
}
