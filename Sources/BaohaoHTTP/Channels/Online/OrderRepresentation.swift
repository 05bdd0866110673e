import BaohaoDomain
import Foundation

/// Money in JSON: `{"amount": <minor units>, "currency": "CNY"}` — `Money`'s own coding.
typealias MoneyJSON = Money

/// An order as the public API shows it: the number masked, never the balance.
struct OrderRepresentation: Encodable, Sendable {
    struct Payment: Encodable, Sendable {
        let provider: String
        let payURL: String?
        let qrCode: String?

        enum CodingKeys: String, CodingKey {
            case provider
            case payURL = "pay_url"
            case qrCode = "qr_code"
        }

        /// The payment kept for the order, as the payer's device needs it.
        init(_ link: PaymentLink) {
            provider = link.provider
            payURL = link.payURL
            qrCode = link.qrCode
        }
    }

    let id: String
    let status: String
    let statusName: String
    let msisdnMasked: String
    let channel: String
    let paymentMethod: String
    let amount: Money
    let fee: Money
    let total: Money
    let createdAt: String
    let expiresAt: String
    let paidAt: String?
    let creditedAt: String?
    let receiptNo: String?
    let latePayment: Bool
    let payment: Payment?
    /// The promotion the order was offered (the best one for the payer when it was made), if any.
    let promotionCode: String?
    /// 赠送: the bonus offered; once credited, the bonus actually paid (zero if the promotion no
    /// longer held when the payment was made, e.g. its budget was spent).
    var bonus: Money
    /// The order's refunds, oldest first: a second payment refunded automatically, or credited
    /// money an operator refunded. Shown by `GET /v1/recharges/{id}`.
    var refunds: [OrderRefund]?

    /// A refund as the payer sees it: how much, how far, never who decided or why.
    struct OrderRefund: Encodable, Sendable {
        let id: String
        let amount: Money
        let status: String
        let statusName: String
        let automatic: Bool
        let requestedAt: String
        let completedAt: String?

        enum CodingKeys: String, CodingKey {
            case id, amount, status, automatic
            case statusName = "status_name"
            case requestedAt = "requested_at"
            case completedAt = "completed_at"
        }

        init(_ refund: Refund, language: Language) {
            id = refund.id
            amount = refund.amount
            status = refund.status.rawValue
            statusName = Messages.refundStatus(of: refund, language)
            automatic = refund.automatic
            requestedAt = ISO8601.string(refund.requestedAt)
            completedAt = refund.completedAt.map(ISO8601.string)
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, status, channel, amount, fee, total, payment, refunds, bonus
        case promotionCode = "promotion_code"
        case statusName = "status_name"
        case msisdnMasked = "msisdn_masked"
        case paymentMethod = "payment_method"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case paidAt = "paid_at"
        case creditedAt = "credited_at"
        case receiptNo = "receipt_no"
        case latePayment = "late_payment"
    }

    init(_ order: RechargeOrder, language: Language, payment: Payment? = nil) {
        id = order.id
        status = order.status.rawValue
        statusName = Messages.orderStatus(order.status, language)
        msisdnMasked = order.msisdn.masked
        channel = order.channel.rawValue
        paymentMethod = order.paymentMethod.rawValue
        amount = order.amount
        fee = order.fee
        total = order.total
        createdAt = ISO8601.string(order.createdAt)
        expiresAt = ISO8601.string(order.expiresAt)
        paidAt = order.paidAt.map(ISO8601.string)
        creditedAt = order.creditedAt.map(ISO8601.string)
        receiptNo = order.receiptNumber
        latePayment = order.latePayment
        self.payment = payment
        promotionCode = order.promotionCode
        bonus = order.offeredBonus
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(status, forKey: .status)
        try c.encode(statusName, forKey: .statusName)
        try c.encode(msisdnMasked, forKey: .msisdnMasked)
        try c.encode(channel, forKey: .channel)
        try c.encode(paymentMethod, forKey: .paymentMethod)
        try c.encode(amount, forKey: .amount)
        try c.encode(fee, forKey: .fee)
        try c.encode(total, forKey: .total)
        try c.encode(bonus, forKey: .bonus)
        try c.encode(promotionCode, forKey: .promotionCode)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(expiresAt, forKey: .expiresAt)
        try c.encodeIfPresent(paidAt, forKey: .paidAt)
        try c.encodeIfPresent(creditedAt, forKey: .creditedAt)
        try c.encodeIfPresent(receiptNo, forKey: .receiptNo)
        try c.encode(latePayment, forKey: .latePayment)
        try c.encodeIfPresent(payment, forKey: .payment)
        try c.encodeIfPresent(refunds, forKey: .refunds)
    }
}

/// ISO 8601 timestamps in UTC.
enum ISO8601 {
    static func string(_ date: Date) -> String {
        Timestamp.format(date)
    }

    /// Local time for people reading a receipt, e.g. `2026-11-24 21:05:09` (Beijing time).
    static func local(_ date: Date, timeZone: TimeZone = Deadline.mainlandTimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }
}
