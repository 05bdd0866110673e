/// A channel's rules, kept as operator data (`PUT /v1/admin/channels/{channel}`): whether it takes
/// recharges, its denominations, the range and step of free amounts, its handling fee (手续费) and
/// the payment methods it offers.
public struct ChannelPolicy: Sendable, Hashable {
    public let channel: Channel
    /// Whether the channel takes recharges at all.
    public let enabled: Bool
    public let currency: Currency
    /// Face values offered as buttons, ascending.
    public let denominations: [Money]
    /// 最低充值金额: the smallest amount accepted.
    public let minimumAmount: Money
    /// The largest amount accepted in one recharge.
    public let maximumAmount: Money
    /// Free amounts must be a multiple of this (100 = whole yuan). `nil`: denominations only.
    public let freeAmountStepMinor: Int64?
    public let fee: FeeRule
    /// The payment methods a payer may choose on this channel, in display order.
    public let paymentMethods: [PaymentMethod]

    /// A policy from values already checked (``validated(channel:enabled:currency:denominations:minimumAmount:maximumAmount:freeAmountStepMinor:fee:paymentMethods:)``
    /// checks operator input).
    public init(
        channel: Channel, enabled: Bool = true, currency: Currency, denominations: [Money], minimumAmount: Money, maximumAmount: Money,
        freeAmountStepMinor: Int64?, fee: FeeRule, paymentMethods: [PaymentMethod] = PaymentMethod.online
    ) {
        precondition(minimumAmount.amountMinor > 0 && minimumAmount.amountMinor <= maximumAmount.amountMinor)
        precondition(denominations.allSatisfy { $0.currency == currency })
        self.channel = channel
        self.enabled = enabled
        self.paymentMethods = paymentMethods
        self.currency = currency
        self.denominations = denominations.sorted { $0.amountMinor < $1.amountMinor }
        self.minimumAmount = minimumAmount
        self.maximumAmount = maximumAmount
        self.freeAmountStepMinor = freeAmountStepMinor
        self.fee = fee
    }

    /// The online channel's defaults: ¥10–¥500 in whole yuan, buttons for the usual face values, no fee.
    public static let onlineDefault = ChannelPolicy(
        channel: .online, currency: .cny,
        denominations: [10, 20, 30, 50, 100, 200, 300, 500].map { Money.major($0) },
        minimumAmount: .major(10), maximumAmount: .major(500), freeAmountStepMinor: 100, fee: .none,
        paymentMethods: PaymentMethod.online)

    /// The policy a channel has until an operator sets one. The online channel, and the partner
    /// channel (gated by adding partners and funding their floats), take recharges at once; the
    /// counter and the hotline wait until an operator enables them.
    public static func defaultPolicy(for channel: Channel) -> ChannelPolicy {
        switch channel {
        case .online:
            return onlineDefault
        case .counter:
            return ChannelPolicy(
                channel: .counter, enabled: false, currency: .cny, denominations: [20, 30, 50, 100, 200, 300, 500].map { Money.major($0) },
                minimumAmount: .major(1), maximumAmount: .major(1000), freeAmountStepMinor: 100, fee: .none,
                paymentMethods: [.cash, .cardPresent, .alipay, .wechatPay, .sandbox])
        case .ivr:
            return ChannelPolicy(
                channel: .ivr, enabled: false, currency: .cny, denominations: [10, 20, 30, 50, 100].map { Money.major($0) },
                minimumAmount: .major(10), maximumAmount: .major(500), freeAmountStepMinor: 100,
                fee: .proportional(basisPoints: 100, minimum: Money(50, .cny), rounding: .halfUp), paymentMethods: [.card, .sandbox])
        case .partner:
            return ChannelPolicy(
                channel: .partner, enabled: true, currency: .cny,
                denominations: [10, 20, 30, 50, 100, 200, 300, 500].map { Money.major($0) }, minimumAmount: .major(10),
                maximumAmount: .major(500), freeAmountStepMinor: 100, fee: .none, paymentMethods: [.partnerFloat])
        case .voucher:
            // A card's face value is set when it is issued; the policy only bounds it.
            return ChannelPolicy(
                channel: .voucher, enabled: true, currency: .cny,
                denominations: [10, 20, 30, 50, 100, 200, 300, 500].map { Money.major($0) },
                minimumAmount: .major(1), maximumAmount: .major(1000), freeAmountStepMinor: 1, fee: .none, paymentMethods: [.voucher])
        }
    }

    /// Most face values offered as buttons.
    public static let maximumDenominations = 20
    /// The largest amount any channel may accept in one recharge: ¥100,000.
    public static let ceilingMinor: Int64 = 10_000_000
    /// The largest proportional fee: 20 %.
    public static let maximumFeeBasisPoints: Int64 = 2_000

    /// Checks rules an operator sent and builds the policy, or names the first field that is wrong.
    public static func validated(
        channel: Channel, enabled: Bool, currency: Currency, denominations: [Money], minimumAmount: Money, maximumAmount: Money,
        freeAmountStepMinor: Int64?, fee: FeeRule, paymentMethods: [PaymentMethod]
    ) throws(ValidationError) -> ChannelPolicy {
        func check(_ condition: Bool, _ field: String, _ reason: ValidationError.Reason, _ detail: String? = nil) throws(ValidationError) {
            if !condition { throw ValidationError(field: field, reason: reason, detail: detail) }
        }
        try check(minimumAmount.currency == currency, "minimum.currency", .notAllowed, currency.code)
        try check(maximumAmount.currency == currency, "maximum.currency", .notAllowed, currency.code)
        try check(minimumAmount.amountMinor > 0, "minimum.amount", .outOfRange, "> 0")
        try check(maximumAmount.amountMinor >= minimumAmount.amountMinor, "maximum.amount", .outOfRange, ">= minimum")
        try check(maximumAmount.amountMinor <= ceilingMinor, "maximum.amount", .outOfRange, "<= \(ceilingMinor)")
        try check(denominations.count <= maximumDenominations, "denominations", .outOfRange, "at most \(maximumDenominations)")
        try check(Set(denominations).count == denominations.count, "denominations", .notAllowed, "duplicates")
        for (index, value) in denominations.enumerated() {
            try check(value.currency == currency, "denominations[\(index)].currency", .notAllowed, currency.code)
            try check(
                value.amountMinor >= minimumAmount.amountMinor && value.amountMinor <= maximumAmount.amountMinor,
                "denominations[\(index)].amount", .outOfRange, "minimum–maximum")
        }
        if let step = freeAmountStepMinor {
            try check(step > 0 && step <= maximumAmount.amountMinor, "step.amount", .outOfRange, "> 0 and <= maximum")
        } else {
            try check(!denominations.isEmpty, "denominations", .missing, "needed when step is null")
        }
        switch fee {
        case .none:
            break
        case .fixed(let amount):
            try check(amount.currency == currency, "fee.amount.currency", .notAllowed, currency.code)
            try check(amount.amountMinor >= 0 && amount.amountMinor <= maximumAmount.amountMinor, "fee.amount.amount", .outOfRange)
        case .proportional(let basisPoints, let minimum, _):
            try check(
                basisPoints > 0 && basisPoints <= maximumFeeBasisPoints, "fee.basis_points", .outOfRange, "1–\(maximumFeeBasisPoints)")
            try check(minimum.currency == currency, "fee.minimum.currency", .notAllowed, currency.code)
            try check(minimum.amountMinor >= 0 && minimum.amountMinor <= maximumAmount.amountMinor, "fee.minimum.amount", .outOfRange)
        }
        try check(Set(paymentMethods).count == paymentMethods.count, "payment_methods", .notAllowed, "duplicates")
        try check(!enabled || !paymentMethods.isEmpty || channel == .counter || channel == .partner, "payment_methods", .missing)
        return ChannelPolicy(
            channel: channel, enabled: enabled, currency: currency, denominations: denominations, minimumAmount: minimumAmount,
            maximumAmount: maximumAmount, freeAmountStepMinor: freeAmountStepMinor, fee: fee, paymentMethods: paymentMethods)
    }

    /// Checks an amount the payer chose and prices it: face value, fee and total to pay.
    public func quote(_ amount: Money) throws(ValidationError) -> Quote {
        guard amount.currency == currency else {
            throw ValidationError(field: "amount.currency", reason: .notAllowed, detail: currency.code)
        }
        guard amount.amountMinor > 0 else { throw ValidationError(field: "amount.amount", reason: .outOfRange) }
        let isDenomination = denominations.contains(amount)
        if !isDenomination {
            guard amount.amountMinor >= minimumAmount.amountMinor, amount.amountMinor <= maximumAmount.amountMinor else {
                throw ValidationError(
                    field: "amount.amount", reason: .outOfRange,
                    detail: "\(minimumAmount.decimalString)–\(maximumAmount.decimalString)")
            }
            guard let step = freeAmountStepMinor, amount.amountMinor % step == 0 else {
                throw ValidationError(field: "amount.amount", reason: .notAllowed)
            }
        }
        let fee = fee.fee(for: amount)
        do {
            return Quote(faceValue: amount, fee: fee, total: try amount.adding(fee))
        } catch {
            throw ValidationError(field: "amount.amount", reason: .outOfRange)
        }
    }
}

/// What a payer is asked to pay for a recharge.
public struct Quote: Sendable, Hashable, Codable {
    /// What reaches the line.
    public let faceValue: Money
    /// 手续费 charged on top.
    public let fee: Money
    /// What the payment provider collects: face value + fee.
    public let total: Money
    /// 赠送: a promotion's bonus expected on top of the face value, when one is offered (paid only if
    /// it still holds when the payment is made).
    public var bonus: Money?

    public init(faceValue: Money, fee: Money, total: Money, bonus: Money? = nil) {
        self.faceValue = faceValue
        self.fee = fee
        self.total = total
        self.bonus = bonus
    }
}

/// A channel's handling fee.
public enum FeeRule: Sendable, Hashable {
    case none
    /// A fixed fee per recharge.
    case fixed(Money)
    /// Basis points of the face value (100 = 1%), rounded to the minor unit as `rounding` says, at
    /// least `minimum`.
    case proportional(basisPoints: Int64, minimum: Money, rounding: FeeRounding = .up)

    public func fee(for amount: Money) -> Money {
        switch self {
        case .none:
            return .zero(amount.currency)
        case .fixed(let fee):
            return fee
        case .proportional(let basisPoints, let minimum, let rounding):
            let product = amount.amountMinor * basisPoints
            let raw: Int64
            switch rounding {
            case .up: raw = (product + 9_999) / 10_000
            case .halfUp: raw = (product + 5_000) / 10_000
            }
            return Money(max(raw, minimum.amountMinor), amount.currency)
        }
    }
}

/// How a proportional fee is rounded to the minor unit.
public enum FeeRounding: String, Sendable, Hashable, CaseIterable {
    /// Any fraction of a fen is a whole fen (the payer never pays less than the rate).
    case up
    /// 四舍五入: half a fen or more rounds up, less rounds down.
    case halfUp = "half_up"
}
