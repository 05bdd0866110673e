import BaohaoDomain
import SQLKit

/// `baohao verify` for recharge cards: what the holders are owed (`liability:vouchers`) is the face
/// value of cards sold and not used; what distributors owe (`clearing:voucher_sales`) is minus the
/// face value of every card sold; each used card has its one order and payment, of its face value;
/// no voucher payment lacks its used card.
extension SQLSession {
    func verifyVouchers(limit: Int) async throws -> [VerificationReport.Problem] {
        var problems: [VerificationReport.Problem] = []
        let outstanding = LedgerAccount.vouchersOutstanding.code
        let sales = LedgerAccount.voucherSales.code
        if let row = try await db.raw(
            """
            SELECT
              CAST(COALESCE((SELECT SUM(amount) FROM ledger_postings WHERE account = \(bind: outstanding)), 0) AS BIGINT) AS owed_ledger,
              CAST(COALESCE((SELECT SUM(face) FROM vouchers WHERE activated_at IS NOT NULL AND state <> 'used'), 0) AS BIGINT) AS owed,
              CAST(COALESCE((SELECT SUM(amount) FROM ledger_postings WHERE account = \(bind: sales)), 0) AS BIGINT) AS sold_ledger,
              CAST(COALESCE((SELECT SUM(face) FROM vouchers WHERE activated_at IS NOT NULL), 0) AS BIGINT) AS sold
            """
        ).first() {
            let owedLedger = try row.decode(column: "owed_ledger", as: Int64.self)
            let owed = try row.decode(column: "owed", as: Int64.self)
            if owedLedger != owed {
                problems.append(
                    .init(kind: "voucher_mismatch", subject: outstanding, detail: "cards sold and unused \(owed), ledger \(owedLedger)"))
            }
            let soldLedger = try row.decode(column: "sold_ledger", as: Int64.self)
            let sold = try row.decode(column: "sold", as: Int64.self)
            if soldLedger != -sold {
                problems.append(.init(kind: "voucher_mismatch", subject: sales, detail: "cards sold \(sold), ledger \(soldLedger)"))
            }
        }
        for row in try await db.raw(
            """
            SELECT v.serial AS subject, 'used' AS what FROM vouchers v
            LEFT JOIN recharge_orders o ON o.id = v.used_order_id
            LEFT JOIN payments p ON p.provider = 'voucher' AND p.provider_txn_id = v.serial
            WHERE v.state = 'used' AND (o.id IS NULL OR o.channel <> 'voucher' OR o.amount <> v.face OR p.order_id IS NULL
                                         OR p.order_id <> o.id OR p.amount <> v.face)
            UNION ALL
            SELECT p.provider_txn_id AS subject, 'orphan' AS what FROM payments p
            WHERE p.provider = 'voucher' AND NOT EXISTS (SELECT 1 FROM vouchers v WHERE v.serial = p.provider_txn_id AND v.state = 'used')
            ORDER BY 1 LIMIT \(unsafeRaw: String(limit))
            """
        ).all() {
            let what = try row.decode(column: "what", as: String.self)
            problems.append(
                .init(
                    kind: "voucher_mismatch", subject: try row.decode(column: "subject", as: String.self),
                    detail: what == "used"
                        ? "a used card without its one order and payment of its face value" : "a voucher payment without its used card"))
        }
        return problems
    }
}
