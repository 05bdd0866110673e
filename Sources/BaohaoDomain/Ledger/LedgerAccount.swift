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

    public var code: String {
        switch self {
        case .line(let id): return "line:\(id)"
        case .providerClearing(let provider): return "clearing:\(provider)"
        case .feeRevenue: return "revenue:fees"
        case .openingBalances: return "equity:opening_balances"
        case .serviceRevenue: return "revenue:service"
        case .till(let shift, let tender): return "till:\(shift):\(tender)"
        }
    }

    public init?(code: String) {
        if code.hasPrefix("line:") {
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
