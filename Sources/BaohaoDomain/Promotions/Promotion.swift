import Foundation

/// How big a promotion's bonus is for a face value.
public enum PromotionBonus: Sendable, Hashable {
    /// The same bonus on every eligible recharge (充100送20).
    case fixed(Money)
    /// A share of the face value in basis points, at most `cap` (充值送5%，最高送10元).
    case rate(basisPoints: Int, cap: Money)

    /// The bonus on `faceValue` (rounded down to the minor unit).
    public func amount(on faceValue: Money) -> Money {
        switch self {
        case .fixed(let bonus): return bonus
        case .rate(let bps, let cap):
            let share = faceValue.amountMinor.multipliedReportingOverflow(by: Int64(bps))
            let minor = share.overflow ? cap.amountMinor : share.partialValue / 10_000
            return Money(min(minor, cap.amountMinor), cap.currency)
        }
    }

    /// The most one recharge can get.
    public var largest: Money {
        switch self {
        case .fixed(let bonus): return bonus
        case .rate(_, let cap): return cap
        }
    }
}

/// What a promotion may spend in all.
public enum PromotionBudget: Sendable, Hashable {
    /// At most this many bonuses (名额).
    case count(Int)
    /// At most this much money in bonuses.
    case amount(Money)

    /// Whether one more bonus of `bonus` fits after `used`.
    public func allows(_ bonus: Money, after used: PromotionUsage) -> Bool {
        switch self {
        case .count(let count): return used.count < count
        case .amount(let budget): return used.amount.amountMinor + bonus.amountMinor <= budget.amountMinor
        }
    }

    /// Bonuses still possible, when the budget counts them (剩余名额).
    public func remainingCount(after used: PromotionUsage) -> Int? {
        if case .count(let count) = self { return max(count - used.count, 0) }
        return nil
    }
}

/// What a promotion has paid so far.
public struct PromotionUsage: Sendable, Hashable {
    public var count: Int
    public var amount: Money

    public init(count: Int, amount: Money) {
        self.count = count
        self.amount = amount
    }
}

/// 优惠活动: rules, kept as operator data, that add a bonus (赠送) to eligible recharges, paid
/// from the promotion's own ledger account (``LedgerAccount/promotion(code:)``) as a separate
/// transfer inside the credit. Its ``PromotionRules`` never change once created (end it and create
/// another to change them), read as its own members (`promotion.code`); only its usage and an
/// early end are written after that.
@dynamicMemberLookup
public struct Promotion: Sendable, Hashable {
    public let rules: PromotionRules
    public let createdBy: String
    public let createdAt: Date
    public var endedAt: Date?
    public var endedBy: String?
    public var used: PromotionUsage

    public init(
        rules: PromotionRules, createdBy: String, createdAt: Date, endedAt: Date? = nil, endedBy: String? = nil, used: PromotionUsage
    ) {
        self.rules = rules
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.endedAt = endedAt
        self.endedBy = endedBy
        self.used = used
    }

    public subscript<T>(dynamicMember rule: KeyPath<PromotionRules, T>) -> T { rules[keyPath: rule] }

    /// The end that applies: the planned one, or an earlier end by an operator.
    public var effectiveEnd: Date { endedAt.map { min($0, rules.endsAt) } ?? rules.endsAt }

    /// Whether payments made at `time` are inside the window.
    public func isRunning(at time: Date) -> Bool { rules.startsAt <= time && time < effectiveEnd }

    public func name(_ language: Language) -> String { language == .zh ? rules.nameZh : rules.nameEn }
}
