import Foundation

/// A recharge receipt (充值凭证): the subscriber's proof that the money arrived. Not a tax invoice.
public struct Receipt: Sendable, Hashable {
    public let number: String
    public let orderID: String
    public let lineID: String
    public let msisdn: MSISDN
    public let mobileOperator: MobileOperator
    public let channel: Channel
    public let paymentMethod: PaymentMethod
    public let paymentProvider: String
    public let providerTransactionID: String
    /// Face value put on the line.
    public let faceValue: Money
    /// What the payer paid (face value + fee).
    public let amountPaid: Money
    public let fee: Money
    /// Promotional bonus credited with it (none yet).
    public let bonus: Money
    /// Balance right after the credit.
    public let balanceAfter: Money
    public let paidAt: Date
    public let creditedAt: Date
    /// The cheapest keep-alive action right after the credit (保号提示), Chinese and English; `nil` without a policy.
    public var keepAliveZh: String?
    public var keepAliveEn: String?
    /// When the sale behind it was voided, and why; a voided receipt proves nothing was kept.
    public var voidedAt: Date?
    public var voidReason: String?
    /// Set for a counter sale's receipt.
    public var counter: CounterReceiptDetails?

    public init(
        number: String, orderID: String, lineID: String, msisdn: MSISDN, mobileOperator: MobileOperator,
        channel: Channel, paymentMethod: PaymentMethod, paymentProvider: String, providerTransactionID: String,
        faceValue: Money, amountPaid: Money, fee: Money, bonus: Money, balanceAfter: Money, paidAt: Date,
        creditedAt: Date, keepAliveZh: String? = nil, keepAliveEn: String? = nil
    ) {
        self.keepAliveZh = keepAliveZh
        self.keepAliveEn = keepAliveEn
        self.number = number
        self.orderID = orderID
        self.lineID = lineID
        self.msisdn = msisdn
        self.mobileOperator = mobileOperator
        self.channel = channel
        self.paymentMethod = paymentMethod
        self.paymentProvider = paymentProvider
        self.providerTransactionID = providerTransactionID
        self.faceValue = faceValue
        self.amountPaid = amountPaid
        self.fee = fee
        self.bonus = bonus
        self.balanceAfter = balanceAfter
        self.paidAt = paidAt
        self.creditedAt = creditedAt
    }
}
