import Foundation

/// Where a refund stands.
///
/// `requested` waits for a second person (maker-checker); `rejected` ends there. An approved
/// refund is `processing` while the provider is asked, then `succeeded` or, if the provider
/// finally refuses, `failed` (the money goes back where it was taken from).
public enum RefundStatus: String, Sendable, Codable, CaseIterable {
    case requested
    case rejected
    case processing
    case succeeded
    case failed

    /// A refund that holds (or held) money: approved and not given back by a failure.
    public var holdsMoney: Bool { self == .processing || self == .succeeded }
}

/// Where the money of a refund comes from.
public enum RefundSource: String, Sendable, Codable, CaseIterable {
    /// Credited money, taken back from the line's balance (and the handling fee, last).
    case credit
    /// Money that was never credited, held in suspense (a second payment, a payment for a line
    /// that no longer takes recharges).
    case suspense
}

/// 退费: money going back to the payer of one provider transaction, by the way it came.
///
/// A refund of credited money is requested by one member of staff and approved by another (an
/// administrator); a refund of money that was never credited is automatic. Approval moves the
/// money in the ledger at once (``TransferKind/refund``); the provider's answer then pays it out
/// (``TransferKind/refundPayout``) or gives it back (``TransferKind/refundCancel``).
public struct Refund: Sendable, Hashable {
    public let id: String
    public let orderID: String
    public let lineID: String
    /// The payment being refunded.
    public let provider: String
    public let transactionID: String
    public let source: RefundSource
    public let amount: Money
    /// The amount taken from the line, and from the handling fee (credit refunds; zero otherwise).
    public let linePart: Money
    public let feePart: Money
    public let reason: String
    /// No person asked for it: a payment that could not be credited.
    public let automatic: Bool
    public var status: RefundStatus
    /// The staff id of who asked; `nil` when automatic or asked by the subscriber.
    public let requestedBy: String?
    /// The subscriber account that asked from its order history (申请退款), if one did.
    public let requestedBySubscriber: String?
    public let requestedAt: Date
    public var decidedBy: String?
    public var decidedAt: Date?
    public var decisionReason: String?
    /// The transfer that took the money (approval), paid it out, or gave it back.
    public var transferID: String?
    public var payoutTransferID: String?
    public var cancelTransferID: String?
    public var providerRefundID: String?
    /// Provider asks so far, when to ask next, and the last answer that was not final.
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastError: String?
    public var completedAt: Date?
    /// The administrator who settled by hand a refund whose provider answer was unclear, and why.
    public var resolvedBy: String?
    public var resolutionReason: String?
    /// A counter sale's refund (cash or card terminal) is paid back at a counter: the shift it was
    /// paid out in, and the till's tender (`cash`, `card`).
    public var payoutShiftID: String?
    public var payoutTender: String?

    public init(
        id: String, orderID: String, lineID: String, provider: String, transactionID: String, source: RefundSource, amount: Money,
        linePart: Money, feePart: Money, reason: String, automatic: Bool, status: RefundStatus, requestedBy: String?,
        requestedBySubscriber: String? = nil, requestedAt: Date, decidedBy: String? = nil, decidedAt: Date? = nil,
        decisionReason: String? = nil, transferID: String? = nil,
        payoutTransferID: String? = nil, cancelTransferID: String? = nil, providerRefundID: String? = nil, attempts: Int = 0,
        nextAttemptAt: Date? = nil, lastError: String? = nil, completedAt: Date? = nil, resolvedBy: String? = nil,
        resolutionReason: String? = nil, payoutShiftID: String? = nil, payoutTender: String? = nil
    ) {
        self.payoutShiftID = payoutShiftID
        self.payoutTender = payoutTender
        self.resolvedBy = resolvedBy
        self.resolutionReason = resolutionReason
        self.id = id
        self.orderID = orderID
        self.lineID = lineID
        self.provider = provider
        self.transactionID = transactionID
        self.source = source
        self.amount = amount
        self.linePart = linePart
        self.feePart = feePart
        self.reason = reason
        self.automatic = automatic
        self.status = status
        self.requestedBy = requestedBy
        self.requestedBySubscriber = requestedBySubscriber
        self.requestedAt = requestedAt
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.decisionReason = decisionReason
        self.transferID = transferID
        self.payoutTransferID = payoutTransferID
        self.cancelTransferID = cancelTransferID
        self.providerRefundID = providerRefundID
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.completedAt = completedAt
    }

    /// The provider name of money taken at a counter (cash, or a card on the counter's terminal).
    public static let counterProvider = "counter"

    /// Paid back at a counter with an open shift, not through a payment provider.
    public var paidAtCounter: Bool { provider == Self.counterProvider }

    /// Who asked, as the API names it: a member of staff, the subscriber, or nobody (automatic).
    public var requestedVia: String { automatic ? "automatic" : requestedBySubscriber != nil ? "subscriber" : "staff" }

    /// The longest reason kept.
    public static let maximumReason = 200

    /// A reason as given: trimmed, 1–200 characters on one line.
    public static func checkedReason(_ input: String, field: String = "reason") throws -> String {
        let reason = input.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...maximumReason).contains(reason.count),
            !reason.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw DomainError.validation(
                ValidationError(field: field, reason: .invalidFormat, detail: "1–\(maximumReason) characters, one line"))
        }
        return reason
    }
}
