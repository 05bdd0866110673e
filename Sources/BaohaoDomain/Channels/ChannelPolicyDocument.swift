import Foundation

/// A channel policy's rules as JSON (snake_case): the body of `PUT /v1/admin/channels/{channel}`,
/// part of what `GET /v1/admin/channels` answers, and the form the store keeps each version in.
public struct ChannelPolicyDocument: Codable, Sendable, Hashable {
    /// A fee rule: `{"kind":"none"}`, `{"kind":"fixed","amount":money}` or
    /// `{"kind":"percentage","basis_points":100,"minimum":money,"rounding":"half_up"}` (`rounding`
    /// `up`, the default, or `half_up` to the minor unit).
    public struct Fee: Codable, Sendable, Hashable {
        public var kind: String
        public var amount: Money?
        public var basisPoints: Int64?
        public var minimum: Money?
        /// `up` (absent) or `half_up`.
        public var rounding: String?

        enum CodingKeys: String, CodingKey {
            case kind, amount, minimum, rounding
            case basisPoints = "basis_points"
        }

        public init(kind: String, amount: Money? = nil, basisPoints: Int64? = nil, minimum: Money? = nil, rounding: String? = nil) {
            self.kind = kind
            self.amount = amount
            self.basisPoints = basisPoints
            self.minimum = minimum
            self.rounding = rounding
        }
    }

    public var enabled: Bool
    public var currency: String
    public var denominations: [Money]
    public var minimum: Money
    public var maximum: Money
    /// Free amounts are multiples of this; `null`: denominations only.
    public var step: Money?
    public var fee: Fee
    public var paymentMethods: [String]

    enum CodingKeys: String, CodingKey {
        case enabled, currency, denominations, minimum, maximum, step, fee
        case paymentMethods = "payment_methods"
    }

    public init(_ policy: ChannelPolicy) {
        enabled = policy.enabled
        currency = policy.currency.code
        denominations = policy.denominations
        minimum = policy.minimumAmount
        maximum = policy.maximumAmount
        step = policy.freeAmountStepMinor.map { Money($0, policy.currency) }
        switch policy.fee {
        case .none: fee = Fee(kind: "none")
        case .fixed(let amount): fee = Fee(kind: "fixed", amount: amount)
        case .proportional(let basisPoints, let minimum, let rounding):
            fee = Fee(kind: "percentage", basisPoints: basisPoints, minimum: minimum, rounding: rounding.rawValue)
        }
        paymentMethods = policy.paymentMethods.map(\.rawValue)
    }

    /// The policy these rules describe for `channel`, or the first field that is wrong.
    public func policy(for channel: Channel) throws(ValidationError) -> ChannelPolicy {
        guard let currency = Currency(code: currency) else {
            throw ValidationError(field: "currency", reason: .unknownCurrency)
        }
        if let step, step.currency != currency { throw ValidationError(field: "step.currency", reason: .notAllowed, detail: currency.code) }
        let rule: FeeRule
        switch fee.kind {
        case "none":
            rule = .none
        case "fixed":
            guard let amount = fee.amount else { throw ValidationError(field: "fee.amount", reason: .missing) }
            rule = .fixed(amount)
        case "percentage":
            guard let basisPoints = fee.basisPoints else { throw ValidationError(field: "fee.basis_points", reason: .missing) }
            guard let rounding = FeeRounding(rawValue: fee.rounding ?? "up") else {
                throw ValidationError(field: "fee.rounding", reason: .notAllowed, detail: "up, half_up")
            }
            rule = .proportional(basisPoints: basisPoints, minimum: fee.minimum ?? .zero(currency), rounding: rounding)
        default:
            throw ValidationError(field: "fee.kind", reason: .notAllowed, detail: "none, fixed, percentage")
        }
        var methods: [PaymentMethod] = []
        for (index, name) in paymentMethods.enumerated() {
            guard let method = PaymentMethod(rawValue: name) else {
                throw ValidationError(
                    field: "payment_methods[\(index)]", reason: .notAllowed,
                    detail: PaymentMethod.allCases.map(\.rawValue).joined(separator: ", "))
            }
            methods.append(method)
        }
        return try ChannelPolicy.validated(
            channel: channel, enabled: enabled, currency: currency, denominations: denominations, minimumAmount: minimum,
            maximumAmount: maximum, freeAmountStepMinor: step?.amountMinor, fee: rule, paymentMethods: methods)
    }
}
