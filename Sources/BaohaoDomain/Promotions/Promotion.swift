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

/// 优惠活动: a rule, kept as operator data, that adds a bonus (赠送) to eligible recharges, paid
/// from its own ledger account (``LedgerAccount/promotion(code:)``) as a separate transfer inside
/// the credit. Its rules never change once created (end it and create another to change them);
/// only its usage and an early end are written after that.
public struct Promotion: Sendable, Hashable {
    public let code: String
    public let nameZh: String
    public let nameEn: String
    /// The window, start included and end excluded, judged on the time the payment was made.
    public let startsAt: Date
    public let endsAt: Date
    public let channels: [Channel]
    /// `nil`: every payment method.
    public let paymentMethods: [PaymentMethod]?
    /// `nil`: every face value (subject to `minimum`).
    public let faceValues: [Money]?
    public let minimum: Money?
    public let bonus: PromotionBonus
    /// Only a number's first recharge through Baohao (首充).
    public let firstRechargeOnly: Bool
    /// Bonuses one number may get from this promotion; `nil`: no limit.
    public let perNumberLimit: Int?
    public let budget: PromotionBudget
    /// Who pays the bonuses: `operator`.
    public let fundedBy: String
    public let createdBy: String
    public let createdAt: Date
    public var endedAt: Date?
    public var endedBy: String?
    public var used: PromotionUsage

    public init(
        code: String, nameZh: String, nameEn: String, startsAt: Date, endsAt: Date, channels: [Channel],
        paymentMethods: [PaymentMethod]?, faceValues: [Money]?, minimum: Money?, bonus: PromotionBonus, firstRechargeOnly: Bool,
        perNumberLimit: Int?, budget: PromotionBudget, fundedBy: String, createdBy: String, createdAt: Date, endedAt: Date? = nil,
        endedBy: String? = nil, used: PromotionUsage
    ) {
        self.code = code
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.channels = channels
        self.paymentMethods = paymentMethods
        self.faceValues = faceValues
        self.minimum = minimum
        self.bonus = bonus
        self.firstRechargeOnly = firstRechargeOnly
        self.perNumberLimit = perNumberLimit
        self.budget = budget
        self.fundedBy = fundedBy
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.endedAt = endedAt
        self.endedBy = endedBy
        self.used = used
    }

    /// The end that applies: the planned one, or an earlier end by an operator.
    public var effectiveEnd: Date { endedAt.map { min($0, endsAt) } ?? endsAt }

    /// Whether payments made at `time` are inside the window.
    public func isRunning(at time: Date) -> Bool { startsAt <= time && time < effectiveEnd }

    public func name(_ language: Language) -> String { language == .zh ? nameZh : nameEn }

    /// The same rules (what a repeated create must match to be a harmless retry).
    public func hasSameRules(as other: Promotion) -> Bool {
        code == other.code && nameZh == other.nameZh && nameEn == other.nameEn && startsAt == other.startsAt
            && endsAt == other.endsAt && channels == other.channels && paymentMethods == other.paymentMethods
            && faceValues == other.faceValues && minimum == other.minimum && bonus == other.bonus
            && firstRechargeOnly == other.firstRechargeOnly && perNumberLimit == other.perNumberLimit && budget == other.budget
            && fundedBy == other.fundedBy
    }
}
