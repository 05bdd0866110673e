import Foundation

/// One leg of a transfer: a signed amount on one account.
public struct Posting: Hashable, Sendable {
    public let account: LedgerAccount
    public let amount: Money

    public init(_ account: LedgerAccount, _ amount: Money) {
        self.account = account
        self.amount = amount
    }
}

/// Why money moved.
public enum TransferKind: String, Sendable, Codable, CaseIterable {
    case recharge
    case openingBalance = "opening_balance"
    /// A plan's monthly fee (月租), one per line and month.
    case monthlyFee = "monthly_fee"
    /// A minimum-balance validity extension, one per line and due day.
    case extensionCharge = "extension_charge"
    /// A counter sale voided in its own shift: the sale's recharge transfer reversed.
    case void
    /// Money a partner prefunded, into its float.
    case partnerDeposit = "partner_deposit"
    /// A top-up's cost held on its partner's float when it is accepted.
    case floatHold = "float_hold"
    /// A held cost given back to the float when the top-up failed.
    case floatRelease = "float_release"
    /// Money taken that cannot be credited, put in suspense until it is refunded.
    case suspense
    /// A refund approved: the amount taken back from the line (or from suspense) into refunds
    /// pending, reversing (part of) the transfer that brought it in.
    case refund
    /// A refund the provider confirmed: refunds pending paid out of the provider's clearing account.
    case refundPayout = "refund_payout"
    /// A refund the provider finally refused: the refund transfer reversed, the money back where it was.
    case refundCancel = "refund_cancel"
    /// A promotion's bonus (赠送) paid to a line, inside the credit of the recharge that earned it.
    case bonus
    /// The unused part of a bonus taken back when the recharge that earned it is refunded.
    case bonusClawback = "bonus_clawback"
    /// Recharge cards sold: their face value, owed by the distributor, now owed to the holders.
    case voucherActivation = "voucher_activation"
}

/// An immutable double-entry transfer: at least two postings that sum to zero per currency.
/// Transfers are only ever appended; a correction is a new transfer.
public struct Transfer: Hashable, Sendable {
    public let id: String
    public let kind: TransferKind
    /// The recharge order this transfer settles, if any. At most one transfer per order.
    public let orderID: String?
    /// The transfer this one reverses (a void or refund), never an edit of it. A reversing
    /// transfer names no order: the order's one transfer is the one it reverses.
    public let reverses: String?
    public let postings: [Posting]
    public let createdAt: Date

    /// Builds a transfer, checking that it balances.
    public init(id: String, kind: TransferKind, orderID: String?, reverses: String? = nil, postings: [Posting], createdAt: Date)
        throws(LedgerError)
    {
        guard postings.count >= 2 else { throw .tooFewPostings }
        guard postings.allSatisfy({ $0.amount.amountMinor != 0 }) else { throw .zeroPosting }
        var sums: [Currency: Int64] = [:]
        for posting in postings {
            let (sum, overflow) = sums[posting.amount.currency, default: 0].addingReportingOverflow(
                posting.amount.amountMinor)
            if overflow { throw .overflow }
            sums[posting.amount.currency] = sum
        }
        guard sums.values.allSatisfy({ $0 == 0 }) else { throw .unbalanced }
        self.id = id
        self.kind = kind
        self.orderID = orderID
        self.reverses = reverses
        self.postings = postings
        self.createdAt = createdAt
    }

    /// The transfer that undoes this one in full: every posting negated, pointing at this one.
    public func reversal(id: String, kind: TransferKind, at: Date) throws -> Transfer {
        try Transfer(
            id: id, kind: kind, orderID: nil, reverses: self.id,
            postings: try postings.map { Posting($0.account, try $0.amount.negated()) },
            createdAt: at)
    }
}

/// Why a transfer was refused.
public enum LedgerError: Error, Equatable, Sendable {
    case tooFewPostings
    case zeroPosting
    case unbalanced
    case overflow
}
