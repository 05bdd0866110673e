import BaohaoDomain
import SQLKit

/// `baohao verify` for refunds: each refund's transfers are the ones its status says, of its
/// amount; no refund transfer without its refund; refunds never exceed what was paid; refunds
/// pending and suspense hold exactly what the refunds say; an order's status matches its refunds.
extension SQLSession {
    func verifyRefunds(limit: Int) async throws -> [VerificationReport.Problem] {
        var problems: [VerificationReport.Problem] = []
        let pending = LedgerAccount.refundsPending.code
        let suspense = LedgerAccount.suspense.code
        for row in try await db.raw(
            """
            WITH leg AS (SELECT transfer_id, CAST(SUM(amount) AS BIGINT) AS moved FROM ledger_postings
                         WHERE account = \(bind: pending) GROUP BY transfer_id)
            SELECT r.id AS subject, 'transfers' AS what, r.status AS detail FROM refunds r
            LEFT JOIN ledger_transfers t ON t.id = r.transfer_id LEFT JOIN leg tl ON tl.transfer_id = r.transfer_id
            LEFT JOIN ledger_transfers po ON po.id = r.payout_transfer_id LEFT JOIN leg pl ON pl.transfer_id = r.payout_transfer_id
            LEFT JOIN ledger_transfers c ON c.id = r.cancel_transfer_id LEFT JOIN leg cl ON cl.transfer_id = r.cancel_transfer_id
            WHERE (r.status IN ('requested', 'rejected')
                     AND (r.transfer_id IS NOT NULL OR r.payout_transfer_id IS NOT NULL OR r.cancel_transfer_id IS NOT NULL))
               OR (r.status IN ('processing', 'succeeded', 'failed') AND (t.kind IS NULL OR t.kind <> 'refund' OR tl.moved IS NULL OR tl.moved <> r.amount))
               OR (r.status = 'succeeded' AND (po.kind IS NULL OR po.kind <> 'refund_payout' OR COALESCE(pl.moved, 0) <> -r.amount OR r.cancel_transfer_id IS NOT NULL))
               OR (r.status = 'failed' AND (c.kind IS NULL OR c.kind <> 'refund_cancel' OR c.reverses <> r.transfer_id OR COALESCE(cl.moved, 0) <> -r.amount
                                            OR r.payout_transfer_id IS NOT NULL))
               OR (r.status = 'processing' AND (r.payout_transfer_id IS NOT NULL OR r.cancel_transfer_id IS NOT NULL))
               OR (r.source = 'credit' AND r.line_part > 0 AND r.status IN ('processing', 'succeeded', 'failed') AND
                   COALESCE((SELECT SUM(p.amount) FROM ledger_postings p WHERE p.transfer_id = r.transfer_id AND p.account = 'line:' || r.line_id), 0)
                   <> -r.line_part)
            UNION ALL
            SELECT t.id AS subject, 'orphan' AS what, t.kind AS detail FROM ledger_transfers t
            WHERE t.kind IN ('refund', 'refund_payout', 'refund_cancel')
              AND (SELECT COUNT(*) FROM refunds r WHERE r.transfer_id = t.id OR r.payout_transfer_id = t.id OR r.cancel_transfer_id = t.id) <> 1
            UNION ALL
            SELECT p.provider || ':' || p.provider_txn_id AS subject, 'exceeds_payment' AS what,
                   CAST(SUM(r.amount) AS TEXT) || ' of ' || CAST(p.amount AS TEXT) AS detail
            FROM payments p JOIN refunds r ON r.provider = p.provider AND r.provider_txn_id = p.provider_txn_id
            WHERE r.status IN ('processing', 'succeeded') GROUP BY p.provider, p.provider_txn_id, p.amount HAVING SUM(r.amount) > p.amount
            UNION ALL
            SELECT o.id AS subject, 'exceeds_order' AS what, o.status AS detail FROM recharge_orders o
            JOIN refunds r ON r.order_id = o.id AND r.source = 'credit' AND r.status IN ('processing', 'succeeded')
            GROUP BY o.id, o.status, o.amount, o.fee HAVING SUM(r.line_part) > o.amount OR SUM(r.fee_part) > o.fee
            UNION ALL
            SELECT r.id AS subject, 'suspense_payment' AS what, 'automatic refund of a payment not flagged' AS detail
            FROM refunds r JOIN payments p ON p.provider = r.provider AND p.provider_txn_id = r.provider_txn_id
            WHERE r.source = 'suspense' AND p.needs_refund <> 1
            UNION ALL
            SELECT o.id AS subject, 'order_status' AS what, o.status AS detail FROM recharge_orders o
            WHERE (o.status IN ('credited', 'partially_refunded', 'refunded') OR EXISTS (
                     SELECT 1 FROM refunds r WHERE r.order_id = o.id AND r.source = 'credit' AND r.status = 'succeeded'))
              AND CASE WHEN COALESCE((SELECT SUM(r.amount) FROM refunds r WHERE r.order_id = o.id AND r.source = 'credit' AND r.status = 'succeeded'), 0) = 0
                         THEN 'credited'
                       WHEN (SELECT SUM(r.amount) FROM refunds r WHERE r.order_id = o.id AND r.source = 'credit' AND r.status = 'succeeded') >= o.total
                         THEN 'refunded'
                       ELSE 'partially_refunded' END <> o.status
            ORDER BY 1, 2 LIMIT \(unsafeRaw: String(limit))
            """
        ).all() {
            let subject = try row.decode(column: "subject", as: String.self)
            let what = try row.decode(column: "what", as: String.self)
            let detail = try row.decode(column: "detail", as: String.self)
            let text: String
            switch what {
            case "transfers": text = "\(detail) refund without the transfers of its status and amount"
            case "orphan": text = "a \(detail) transfer that is not one refund's"
            case "exceeds_payment": text = "refunds \(detail) paid"
            case "exceeds_order": text = "refunds exceed the order's face value or fee (\(detail))"
            case "order_status": text = "status \(detail) does not match its confirmed refunds"
            default: text = detail
            }
            problems.append(.init(kind: "refund_mismatch", subject: subject, detail: text))
        }
        // Refunds pending hold what processing refunds took; suspense holds what flagged payments
        // brought in less what their automatic refunds took (and a failure gave back).
        let balances = try await db.raw(
            """
            SELECT
              CAST(COALESCE((SELECT SUM(amount) FROM ledger_postings WHERE account = \(bind: pending)), 0) AS BIGINT) AS pending_ledger,
              CAST(COALESCE((SELECT SUM(amount) FROM refunds WHERE status = 'processing'), 0) AS BIGINT) AS pending_expected,
              CAST(COALESCE((SELECT SUM(amount) FROM ledger_postings WHERE account = \(bind: suspense)), 0) AS BIGINT) AS suspense_ledger,
              CAST(COALESCE((SELECT SUM(p.amount) FROM ledger_transfers t JOIN ledger_postings p ON p.transfer_id = t.id
                             WHERE t.kind = 'suspense' AND p.account = \(bind: suspense)), 0)
                 - COALESCE((SELECT SUM(amount) FROM refunds WHERE source = 'suspense' AND status IN ('processing', 'succeeded')), 0) AS BIGINT)
                AS suspense_expected,
              (SELECT COUNT(*) FROM ledger_transfers WHERE kind = 'suspense') AS suspense_entries,
              (SELECT COUNT(*) FROM payments WHERE needs_refund = 1) AS flagged
            """
        ).first()
        if let balances {
            let ledger = try balances.decode(column: "pending_ledger", as: Int64.self)
            let expected = try balances.decode(column: "pending_expected", as: Int64.self)
            if ledger != expected {
                problems.append(
                    .init(kind: "refund_mismatch", subject: pending, detail: "processing refunds \(expected), ledger \(ledger)"))
            }
            let held = try balances.decode(column: "suspense_ledger", as: Int64.self)
            let owed = try balances.decode(column: "suspense_expected", as: Int64.self)
            if held != owed {
                problems.append(
                    .init(kind: "refund_mismatch", subject: suspense, detail: "flagged payments not refunded \(owed), ledger \(held)"))
            }
            let entries = try balances.decode(column: "suspense_entries", as: Int64.self)
            let flagged = try balances.decode(column: "flagged", as: Int64.self)
            if entries > flagged {
                problems.append(
                    .init(
                        kind: "refund_mismatch", subject: suspense, detail: "\(entries) suspense entries for \(flagged) flagged payment(s)")
                )
            }
        }
        return problems
    }
}
