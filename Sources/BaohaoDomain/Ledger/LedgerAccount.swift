/// An account in the double-entry ledger, identified by a stable text code.
///
/// Sign convention: a posting's amount is signed and the postings of one transfer sum to zero.
/// A line account's sum is the line's balance (what Baohao owes the subscriber in service).
public enum LedgerAccount: Hashable, Sendable {
    /// A subscriber line's prepaid balance (余额).
    case line(id: String)
    /// Money collected by a payment provider and owed to us until it settles.
    case providerClearing(provider: String)
    /// Handling fees (手续费) earned.
    case feeRevenue
    /// Opening balances brought in when a line is added or imported.
    case openingBalances
    /// Monthly fees and validity charges earned.
    case serviceRevenue
    /// What a counter shift took in one tender (`cash`, `card`): the drawer, or the bank POS
    /// terminal's takings until the acquirer settles.
    case till(shiftID: String, tender: String)
    /// 第三方平台: what a partner prefunded and may spend (its float), owed to the partner.
    case partnerFloat(partnerID: String)
    /// The part of a partner's float held for top-ups accepted and not yet credited or failed.
    case partnerHeld(partnerID: String)
    /// Partners' deposits received (bank transfers) until they are matched with the bank statement.
    case partnerDeposits
    /// The wholesale discount partners get: face value credited minus what the float paid.
    case partnerDiscounts
    /// Money taken that was never credited (a second payment for one order, a payment for a line
    /// that no longer takes recharges), owed back to the payer until it is refunded.
    case suspense
    /// Refunds approved and on their way back to the payer: taken from a line or from suspense,
    /// not yet confirmed by the provider.
    case refundsPending
    /// A promotion's bonuses (赠送): paid from here to lines, taken back here by claw-backs. Its
    /// balance is minus what the promotion has cost so far.
    case promotion(code: String)
    /// 充值卡: the face value of cards sold (activated) and not yet redeemed, owed to their holders.
    case vouchersOutstanding
    /// What card distributors owe for cards activated, until they pay.
    case voucherSales

    public var code: String {
        switch self {
        case .line(let id): return "line:\(id)"
        case .providerClearing(let provider): return "clearing:\(provider)"
        case .feeRevenue: return "revenue:fees"
        case .openingBalances: return "equity:opening_balances"
        case .serviceRevenue: return "revenue:service"
        case .till(let shift, let tender): return "till:\(shift):\(tender)"
        case .partnerFloat(let partner): return "partner:\(partner):float"
        case .partnerHeld(let partner): return "partner:\(partner):held"
        case .partnerDeposits: return "clearing:partner_deposits"
        case .partnerDiscounts: return "expense:partner_discounts"
        case .suspense: return "suspense:payments"
        case .refundsPending: return "liability:refunds_pending"
        case .promotion(let code): return "promotion:\(code)"
        case .vouchersOutstanding: return "liability:vouchers"
        case .voucherSales: return "clearing:voucher_sales"
        }
    }

    public init?(code: String) {
        if code == "liability:vouchers" {
            self = .vouchersOutstanding
        } else if code == "clearing:voucher_sales" {
            self = .voucherSales
        } else if code == "suspense:payments" {
            self = .suspense
        } else if code == "liability:refunds_pending" {
            self = .refundsPending
        } else if code == "clearing:partner_deposits" {
            self = .partnerDeposits
        } else if code == "expense:partner_discounts" {
            self = .partnerDiscounts
        } else if code.hasPrefix("partner:"), code.hasSuffix(":float") || code.hasSuffix(":held") {
            let body = code.dropFirst(8)
            let held = code.hasSuffix(":held")
            let id = String(body.dropLast(held ? 5 : 6))
            self = held ? .partnerHeld(partnerID: id) : .partnerFloat(partnerID: id)
        } else if code.hasPrefix("promotion:"), code.count > 10 {
            self = .promotion(code: String(code.dropFirst(10)))
        } else if code.hasPrefix("line:") {
            self = .line(id: String(code.dropFirst(5)))
        } else if code.hasPrefix("clearing:") {
            self = .providerClearing(provider: String(code.dropFirst(9)))
        } else if code.hasPrefix("till:"), let separator = code.lastIndex(of: ":"), separator > code.index(code.startIndex, offsetBy: 4) {
            self = .till(
                shiftID: String(code[code.index(code.startIndex, offsetBy: 5)..<separator]),
                tender: String(code[code.index(after: separator)...]))
        } else if code == "revenue:fees" {
            self = .feeRevenue
        } else if code == "revenue:service" {
            self = .serviceRevenue
        } else if code == "equity:opening_balances" {
            self = .openingBalances
        } else {
            return nil
        }
    }
}
