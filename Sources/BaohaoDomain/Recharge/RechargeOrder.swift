import Foundation

/// A recharge order (充值订单): one payer's request to put an amount on one line.
public struct RechargeOrder: Sendable, Hashable {
    public let id: String
    public let lineID: String
    public let msisdn: MSISDN
    public let channel: Channel
    public let paymentMethod: PaymentMethod
    /// The face value that reaches the line.
    public let amount: Money
    /// 手续费.
    public let fee: Money
    /// What the payer pays: amount + fee. A payment notification must match it exactly.
    public let total: Money
    public var status: OrderStatus
    /// Client idempotency key and a fingerprint of the request it came with.
    public let idempotencyKey: String?
    public let requestFingerprint: String?
    public let createdAt: Date
    public let expiresAt: Date
    public var paidAt: Date?
    public var creditedAt: Date?
    public var providerTransactionID: String?
    public var receiptNumber: String?
    /// Set when money arrived after the order had failed, expired or been cancelled.
    public var latePayment: Bool
    /// The promotion offered when the order was made (the best one for the payer then), and its
    /// bonus; the credit weighs it again and pays it only if it still holds (``PaymentCredit``).
    public let promotionCode: String?
    public let offeredBonus: Money

    public init(
        id: String, lineID: String, msisdn: MSISDN, channel: Channel, paymentMethod: PaymentMethod, amount: Money,
        fee: Money, total: Money, status: OrderStatus, idempotencyKey: String?, requestFingerprint: String?,
        createdAt: Date, expiresAt: Date, paidAt: Date? = nil, creditedAt: Date? = nil,
        providerTransactionID: String? = nil, receiptNumber: String? = nil, latePayment: Bool = false,
        promotionCode: String? = nil, offeredBonus: Money? = nil
    ) {
        self.promotionCode = promotionCode
        self.offeredBonus = offeredBonus ?? .zero(amount.currency)
        self.id = id
        self.lineID = lineID
        self.msisdn = msisdn
        self.channel = channel
        self.paymentMethod = paymentMethod
        self.amount = amount
        self.fee = fee
        self.total = total
        self.status = status
        self.idempotencyKey = idempotencyKey
        self.requestFingerprint = requestFingerprint
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.paidAt = paidAt
        self.creditedAt = creditedAt
        self.providerTransactionID = providerTransactionID
        self.receiptNumber = receiptNumber
        self.latePayment = latePayment
    }
}
