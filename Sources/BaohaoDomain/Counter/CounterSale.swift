import Foundation

/// How the payer pays at the counter.
public enum Tender: String, Sendable, Hashable, CaseIterable {
    case cash
    /// A bank card on the counter's POS terminal; the terminal's reference is kept.
    case card
    /// The payer shows an Alipay payment code (付款码) that the clerk scans.
    case alipayCode = "alipay_code"
    /// The payer shows a WeChat Pay payment code.
    case wechatCode = "wechat_code"

    /// The order's payment method for money in hand; `nil` for payment codes, whose method is the
    /// provider's that charges them.
    public var paymentMethod: PaymentMethod? {
        switch self {
        case .cash: return .cash
        case .card: return .cardPresent
        case .alipayCode, .wechatCode: return nil
        }
    }

    /// The wallet a payment-code tender charges.
    public var wallet: CodeWallet? {
        switch self {
        case .alipayCode: return .alipay
        case .wechatCode: return .wechat
        case .cash, .card: return nil
        }
    }

    /// The tender's name on receipts and reports.
    public func displayName(_ language: Language) -> String {
        switch (self, language) {
        case (.cash, .zh): return "现金"
        case (.cash, .en): return "Cash"
        case (.card, .zh): return "银行卡（POS）"
        case (.card, .en): return "Bank card (POS)"
        case (.alipayCode, .zh): return "支付宝付款码"
        case (.alipayCode, .en): return "Alipay payment code"
        case (.wechatCode, .zh): return "微信付款码"
        case (.wechatCode, .en): return "WeChat Pay payment code"
        }
    }

    /// The shift's till account this tender's takings go to: cash in the drawer, card at the
    /// acquirer until it settles; `nil` for payment codes, which the provider's clearing account
    /// holds as it does for online payments.
    public func till(shiftID: String) -> LedgerAccount? {
        switch self {
        case .cash, .card: return .till(shiftID: shiftID, tender: rawValue)
        case .alipayCode, .wechatCode: return nil
        }
    }
}

/// One sale at the counter: a recharge order credited at once from the shift's till, with what
/// the clerk took and checked.
public struct CounterSale: Sendable, Hashable {
    public let id: String
    public let orderID: String
    public let shiftID: String
    public let clerkID: String
    public let tender: Tender
    public let amount: Money
    public let fee: Money
    public let total: Money
    /// Cash handed over (cash only) and the change given back.
    public let tendered: Money?
    public let change: Money?
    /// The bank POS terminal's reference (card only).
    public let cardTerminalRef: String?
    /// The payer's ID number as a keyed hash and its last four characters; never the number.
    public let idHash: String?
    public let idMasked: String?
    /// What the request said beyond the order (tender, cash handed over, terminal reference, ID),
    /// hashed: a retry with the same key must say the same.
    public let fingerprint: String
    public let createdAt: Date
    /// The line's validity (lapse day) before and after this sale, when its policy has validity by
    /// amount: a void gives back what the sale added.
    public var validUntilBefore: LocalDate?
    public var validUntilAfter: LocalDate?
    /// Set once when the clerk voids the sale in its shift; never cleared.
    public var voided: CounterVoid?
    /// The order's status when the sale was read (a payment-code sale waits for the payer); not
    /// stored with the sale.
    public var orderStatus: OrderStatus?

    /// Whether the sale's money is in: credited (voided and later refunded ones included, as they
    /// were taken in this shift; a refund after the shift is not the shift's).
    public var isTaken: Bool {
        orderStatus.map { [.credited, .voided, .partiallyRefunded, .refunded].contains($0) } ?? true
    }

    public init(
        id: String, orderID: String, shiftID: String, clerkID: String, tender: Tender, amount: Money, fee: Money, total: Money,
        tendered: Money?, change: Money?, cardTerminalRef: String?, idHash: String?, idMasked: String?, fingerprint: String,
        createdAt: Date
    ) {
        self.id = id
        self.orderID = orderID
        self.shiftID = shiftID
        self.clerkID = clerkID
        self.tender = tender
        self.amount = amount
        self.fee = fee
        self.total = total
        self.tendered = tendered
        self.change = change
        self.cardTerminalRef = cardTerminalRef
        self.idHash = idHash
        self.idMasked = idMasked
        self.fingerprint = fingerprint
        self.createdAt = createdAt
    }
}

/// A void: when, why, and the reversing transfer.
public struct CounterVoid: Sendable, Hashable {
    public let at: Date
    public let reason: String
    public let transferID: String

    public init(at: Date, reason: String, transferID: String) {
        self.at = at
        self.reason = reason
        self.transferID = transferID
    }
}

/// What a clerk asks for: a number, an amount, a tender, and what the tender and the real-name
/// check need.
public struct CounterSaleRequest: Sendable {
    public var msisdn: String
    public var amount: Money
    public var tender: Tender
    public var tendered: Money?
    public var idNumber: String?
    public var cardTerminalRef: String?
    public var paymentCode: String?

    public init(
        msisdn: String, amount: Money, tender: Tender, tendered: Money? = nil, idNumber: String? = nil, cardTerminalRef: String? = nil,
        paymentCode: String? = nil
    ) {
        self.msisdn = msisdn
        self.amount = amount
        self.tender = tender
        self.tendered = tendered
        self.idNumber = idNumber
        self.cardTerminalRef = cardTerminalRef
        self.paymentCode = paymentCode
    }
}
