/// A channel's amount rules: its denominations, the range of free amounts, and its handling fee (手续费).
public struct ChannelPolicy: Sendable, Hashable {
    public let channel: Channel
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

    public init(
        channel: Channel, currency: Currency, denominations: [Money], minimumAmount: Money, maximumAmount: Money,
        freeAmountStepMinor: Int64?, fee: FeeRule
    ) {
        precondition(minimumAmount.amountMinor > 0 && minimumAmount.amountMinor <= maximumAmount.amountMinor)
        precondition(denominations.allSatisfy { $0.currency == currency })
        self.channel = channel
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
        minimumAmount: .major(10), maximumAmount: .major(500), freeAmountStepMinor: 100, fee: .none)

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
public struct Quote: Sendable, Hashable {
    /// What reaches the line.
    public let faceValue: Money
    /// 手续费 charged on top.
    public let fee: Money
    /// What the payment provider collects: face value + fee.
    public let total: Money
}

/// A channel's handling fee.
public enum FeeRule: Sendable, Hashable {
    case none
    /// A fixed fee per recharge.
    case fixed(Money)
    /// Basis points of the face value (100 = 1%), rounded up to the minor unit, at least `minimum`.
    case proportional(basisPoints: Int64, minimum: Money)

    public func fee(for amount: Money) -> Money {
        switch self {
        case .none:
            return .zero(amount.currency)
        case .fixed(let fee):
            return fee
        case .proportional(let basisPoints, let minimum):
            let raw = (amount.amountMinor * basisPoints + 9_999) / 10_000
            return Money(max(raw, minimum.amountMinor), amount.currency)
        }
    }
}
