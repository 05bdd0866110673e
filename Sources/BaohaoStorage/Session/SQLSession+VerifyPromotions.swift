import BaohaoDomain
import SQLKit

/// `baohao verify` for promotions: each promotion's usage is the sum of its bonuses and within its
/// budget; its ledger account holds minus what it cost (bonuses less claw-backs); each bonus has
/// its transfer, of its amount, from its promotion to its line, and its receipt shows it; no bonus
/// transfer, promotion account or receipt bonus without a recorded bonus.
extension SQLSession {
    func verifyPromotions(limit: Int) async throws -> [VerificationReport.Problem] {
        var problems: [VerificationReport.Problem] = []
        for row in try await db.raw(
            """
            SELECT pr.code AS subject, 'usage' AS what,
                   CAST(pr.used_count AS TEXT) || ' bonus(es) of ' || CAST(pr.used_amount AS TEXT) AS detail
            FROM promotions pr
            WHERE pr.used_count <> (SELECT COUNT(*) FROM promotion_uses u WHERE u.promotion_code = pr.code)
               OR pr.used_amount <> COALESCE((SELECT SUM(u.bonus) FROM promotion_uses u WHERE u.promotion_code = pr.code), 0)
               OR (pr.budget_count IS NOT NULL AND pr.used_count > pr.budget_count)
               OR (pr.budget_amount IS NOT NULL AND pr.used_amount > pr.budget_amount)
               OR COALESCE((SELECT SUM(p.amount) FROM ledger_postings p WHERE p.account = 'promotion:' || pr.code), 0)
                  <> COALESCE((SELECT SUM(u.clawed_back) FROM promotion_uses u WHERE u.promotion_code = pr.code), 0) - pr.used_amount
            UNION ALL
            SELECT u.order_id AS subject, 'bonus' AS what, u.promotion_code AS detail FROM promotion_uses u
            LEFT JOIN ledger_transfers t ON t.id = u.transfer_id
            WHERE t.kind IS NULL OR t.kind <> 'bonus'
               OR COALESCE((SELECT SUM(p.amount) FROM ledger_postings p WHERE p.transfer_id = u.transfer_id
                             AND p.account = 'line:' || u.line_id), 0) <> u.bonus
               OR COALESCE((SELECT SUM(p.amount) FROM ledger_postings p WHERE p.transfer_id = u.transfer_id
                             AND p.account = 'promotion:' || u.promotion_code), 0) <> -u.bonus
               OR NOT EXISTS (SELECT 1 FROM receipts r WHERE r.order_id = u.order_id AND r.bonus = u.bonus)
               OR u.clawed_back <> COALESCE((SELECT SUM(p.amount) FROM ledger_transfers c JOIN ledger_postings p ON p.transfer_id = c.id
                                             WHERE c.reverses = u.transfer_id AND c.kind = 'bonus_clawback'
                                               AND p.account = 'promotion:' || u.promotion_code), 0)
            UNION ALL
            SELECT t.id AS subject, 'orphan' AS what, t.kind AS detail FROM ledger_transfers t
            WHERE (t.kind = 'bonus' AND NOT EXISTS (SELECT 1 FROM promotion_uses u WHERE u.transfer_id = t.id))
               OR (t.kind = 'bonus_clawback' AND NOT EXISTS (SELECT 1 FROM promotion_uses u WHERE u.transfer_id = t.reverses))
            UNION ALL
            SELECT r.receipt_no AS subject, 'receipt' AS what, CAST(r.bonus AS TEXT) AS detail FROM receipts r
            WHERE r.bonus <> 0 AND NOT EXISTS (SELECT 1 FROM promotion_uses u WHERE u.order_id = r.order_id)
            UNION ALL
            SELECT DISTINCT p.account AS subject, 'account' AS what, '' AS detail FROM ledger_postings p
            WHERE p.account >= 'promotion:' AND p.account < 'promotion;'
              AND NOT EXISTS (SELECT 1 FROM promotions pr WHERE 'promotion:' || pr.code = p.account)
            ORDER BY 1, 2 LIMIT \(unsafeRaw: String(limit))
            """
        ).all() {
            let what = try row.decode(column: "what", as: String.self)
            let detail = try row.decode(column: "detail", as: String.self)
            let text: String
            switch what {
            case "usage": text = "usage \(detail) does not match its bonuses, its budget or its ledger account"
            case "bonus": text = "the bonus of \(detail) has no matching transfer, receipt or claw-back record"
            case "orphan": text = "a \(detail) transfer that is not a recorded bonus's"
            case "receipt": text = "a receipt shows a bonus of \(detail) that no promotion paid"
            default: text = "a promotion account with no promotion"
            }
            problems.append(.init(kind: "promotion_mismatch", subject: try row.decode(column: "subject", as: String.self), detail: text))
        }
        return problems
    }
}
