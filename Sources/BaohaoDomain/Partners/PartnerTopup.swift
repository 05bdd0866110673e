import Foundation

/// Where a partner's top-up is: accepted (its cost held on the float), then credited (the hold
/// captured) or failed (the hold released). States only move forward.
public enum PartnerTopupStatus: String, Sendable, Codable, CaseIterable {
    case accepted
    case credited
    case failed
}

/// What a partner asks: top up `msisdn` by `amount`, under its own unique `reference`.
public struct PartnerTopupRequest: Sendable, Hashable {
    public let reference: String
    public let msisdn: String
    public let amount: Money

    public init(reference: String, msisdn: String, amount: Money) {
        self.reference = reference
        self.msisdn = msisdn
        self.amount = amount
    }

    /// The longest reference kept.
    public static let maximumReference = 64
}

/// A partner's top-up: a recharge order of channel `partner`, paid from its float.
public struct PartnerTopup: Sendable, Hashable {
    public let id: String
    public let partnerID: String
    /// The partner's own unique id for it (its idempotency key).
    public let reference: String
    /// The recharge order that credits the line.
    public let orderID: String
    public let msisdnMasked: String
    /// The face value that reaches the line.
    public let amount: Money
    /// What the float pays: the face value less the partner's discount.
    public let cost: Money
    /// A fingerprint of the request (number and amount), to tell a retry from a reused reference.
    public let fingerprint: String
    public var status: PartnerTopupStatus
    /// Why it failed, e.g. `line_suspended`.
    public var failureReason: String?
    public let holdTransferID: String
    /// The transfer that captured (the order's recharge transfer) or released the hold.
    public var settleTransferID: String?
    /// The receipt of the credit.
    public var receiptNumber: String?
    public let createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, partnerID: String, reference: String, orderID: String, msisdnMasked: String, amount: Money, cost: Money,
        fingerprint: String, status: PartnerTopupStatus, failureReason: String? = nil, holdTransferID: String,
        settleTransferID: String? = nil, receiptNumber: String? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.partnerID = partnerID
        self.reference = reference
        self.orderID = orderID
        self.msisdnMasked = msisdnMasked
        self.amount = amount
        self.cost = cost
        self.fingerprint = fingerprint
        self.status = status
        self.failureReason = failureReason
        self.holdTransferID = holdTransferID
        self.settleTransferID = settleTransferID
        self.receiptNumber = receiptNumber
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The wholesale discount: face value less cost.
    public var discount: Money { Money(amount.amountMinor - cost.amountMinor, amount.currency) }
}

/// The top-up object of the partner API and of its callbacks (the JSON partners' code reads).
public struct PartnerTopupView: Sendable, Hashable, Codable {
    public struct FloatView: Sendable, Hashable, Codable {
        /// Minor units (fen).
        public let available: Int64
        public let held: Int64
        public let currency: String

        public init(_ float: PartnerFloat) {
            available = float.available.amountMinor
            held = float.held.amountMinor
            currency = float.currency.code
        }
    }

    public let id: String
    public let reference: String
    public let status: String
    public let msisdnMasked: String
    public let amount: Money
    public let cost: Money
    public let float: FloatView
    public let receiptNo: String?
    public let failureReason: String?
    public let createdAt: String
    public let updatedAt: String

    public init(_ topup: PartnerTopup, float: PartnerFloat) {
        id = topup.id
        reference = topup.reference
        status = topup.status.rawValue
        msisdnMasked = topup.msisdnMasked
        amount = topup.amount
        cost = topup.cost
        self.float = FloatView(float)
        receiptNo = topup.receiptNumber
        failureReason = topup.failureReason
        createdAt = Timestamp.format(topup.createdAt)
        updatedAt = Timestamp.format(topup.updatedAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, reference, status, amount, cost, float
        case msisdnMasked = "msisdn_masked"
        case receiptNo = "receipt_no"
        case failureReason = "failure_reason"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(reference, forKey: .reference)
        try container.encode(status, forKey: .status)
        try container.encode(msisdnMasked, forKey: .msisdnMasked)
        try container.encode(amount, forKey: .amount)
        try container.encode(cost, forKey: .cost)
        try container.encode(float, forKey: .float)
        try container.encode(receiptNo, forKey: .receiptNo)
        try container.encode(failureReason, forKey: .failureReason)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}
