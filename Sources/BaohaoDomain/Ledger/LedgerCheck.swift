/// One check of `baohao verify`. Each is an invariant of every committed state (everything it
/// compares is written in one transaction), so each may read its own snapshot, and the checks run
/// side by side (``AdminService/verify(step:)``).
public enum LedgerCheck: String, CaseIterable, Sendable {
    case transfers = "transfers"
    case lineBalances = "line balances"
    case creditedOrders = "credited orders"
    case reversalsAndVoids = "reversals and voids"
    case counterTills = "counter tills"
    case partnerFloats = "partner floats"
    case refunds = "refunds"
    case promotions = "promotions"
    case rechargeCards = "recharge cards"
    /// The whole ledger sums to zero; also counts what was checked.
    case ledgerTotal = "ledger total"
}
