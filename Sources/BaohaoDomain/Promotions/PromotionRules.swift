import Foundation

/// A promotion's rules as an operator writes them (`POST /v1/admin/promotions`); they never
/// change once the promotion is created (``Promotion`` reads them through `rules`).
public struct PromotionRules: Sendable, Hashable {
    public var code: String
    public var nameZh: String
    public var nameEn: String
    public var startsAt: Date
    public var endsAt: Date
    public var channels: [Channel]
    public var paymentMethods: [PaymentMethod]?
    public var faceValues: [Money]?
    public var minimum: Money?
    public var bonus: PromotionBonus
    public var firstRechargeOnly: Bool
    public var perNumberLimit: Int?
    public var budget: PromotionBudget
    public var fundedBy: String

    public init(
        code: String, nameZh: String, nameEn: String, startsAt: Date, endsAt: Date, channels: [Channel],
        paymentMethods: [PaymentMethod]? = nil, faceValues: [Money]? = nil, minimum: Money? = nil, bonus: PromotionBonus,
        firstRechargeOnly: Bool = false, perNumberLimit: Int? = nil, budget: PromotionBudget, fundedBy: String = "operator"
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
    }

    /// Largest bonus one recharge may get, and largest budget: a typo of a few zeros is refused.
    public static let maximumBonus = Money.major(10_000)
    public static let maximumBudgetAmount = Money.major(100_000_000)
    public static let maximumBudgetCount = 100_000_000
    /// Longest a promotion may run.
    public static let maximumDuration: TimeInterval = 366 * 86_400

    /// The promotion these rules describe, created by `by` at `now`; throws the first rule broken.
    public func checked(by: String, at now: Date) throws(ValidationError) -> Promotion {
        func fail(_ field: String, _ reason: ValidationError.Reason, _ detail: String) -> ValidationError {
            ValidationError(field: field, reason: reason, detail: detail)
        }
        guard (2...32).contains(code.count), code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
        else { throw fail("code", .invalidFormat, "2 to 32 letters, digits, '-' or '_'") }
        for (field, name) in [("name.zh", nameZh), ("name.en", nameEn)] {
            let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw fail(field, .missing, "a name payers read") }
            guard name.count <= 40, trimmed == name, !name.contains(where: { $0.isNewline }) else {
                throw fail(field, .invalidFormat, "one line of at most 40 characters")
            }
        }
        guard startsAt < endsAt else { throw fail("ends_at", .outOfRange, "after starts_at") }
        guard endsAt.timeIntervalSince(startsAt) <= Self.maximumDuration else { throw fail("ends_at", .outOfRange, "at most 366 days after starts_at") }
        guard endsAt > now else { throw fail("ends_at", .outOfRange, "in the future") }
        guard !channels.isEmpty, Set(channels).count == channels.count else {
            throw fail("channels", .invalidFormat, "one or more of \(Channel.allCases.map(\.rawValue).joined(separator: ", ")), each once")
        }
        if let methods = paymentMethods, methods.isEmpty || Set(methods).count != methods.count {
            throw fail("payment_methods", .invalidFormat, "null, or one or more methods, each once")
        }
        let currency = bonus.largest.currency
        switch bonus {
        case .fixed(let amount):
            guard amount.amountMinor > 0, amount.amountMinor <= Self.maximumBonus.amountMinor, amount.currency == .cny else {
                throw fail("bonus.fixed", .outOfRange, "more than zero and at most \(Self.maximumBonus.formatted), in CNY")
            }
        case .rate(let bps, let cap):
            guard (1...10_000).contains(bps) else { throw fail("bonus.bps", .outOfRange, "1 to 10000 basis points") }
            guard cap.amountMinor > 0, cap.amountMinor <= Self.maximumBonus.amountMinor, cap.currency == .cny else {
                throw fail("bonus.cap", .outOfRange, "more than zero and at most \(Self.maximumBonus.formatted), in CNY")
            }
        }
        if let faces = faceValues {
            guard !faces.isEmpty, faces.count <= 50, Set(faces).count == faces.count,
                faces.allSatisfy({ $0.amountMinor > 0 && $0.currency == currency })
            else { throw fail("face_values", .invalidFormat, "null, or 1 to 50 different positive amounts in CNY") }
        }
        if let minimum, minimum.amountMinor <= 0 || minimum.currency != currency {
            throw fail("minimum", .outOfRange, "null, or a positive amount in CNY")
        }
        if let limit = perNumberLimit, !(1...1_000).contains(limit) { throw fail("per_number_limit", .outOfRange, "null, or 1 to 1000") }
        switch budget {
        case .count(let count):
            guard (1...Self.maximumBudgetCount).contains(count) else { throw fail("budget.count", .outOfRange, "1 to \(Self.maximumBudgetCount)") }
        case .amount(let amount):
            guard amount.currency == currency, amount.amountMinor >= bonus.largest.amountMinor,
                amount.amountMinor <= Self.maximumBudgetAmount.amountMinor
            else { throw fail("budget.amount", .outOfRange, "at least one bonus and at most \(Self.maximumBudgetAmount.formatted), in CNY") }
        }
        guard fundedBy == "operator" else {
            throw fail("funded_by", .notAllowed, "operator (partner-funded promotions are not supported yet)")
        }
        var rules = self
        rules.faceValues = faceValues?.sorted { $0.amountMinor < $1.amountMinor }
        return Promotion(rules: rules, createdBy: by, createdAt: now, used: PromotionUsage(count: 0, amount: .zero(currency)))
    }
}
