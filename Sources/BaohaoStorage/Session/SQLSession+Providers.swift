import BaohaoDomain
import Foundation
import SQLKit

/// Payment links, the reconciler's claims, and settlement queries.
extension SQLSession {
    /// ``orderColumns`` prefixed with the `o.` alias, for joins.
    static let qualifiedOrderColumns = qualified(orderColumns, table: "o")

    func insertPaymentLink(_ link: PaymentLink) async throws -> Bool {
        let rows = try await db.raw(
            """
            INSERT INTO payment_links (order_id, provider, pay_url, qr_code, provider_reference, created_at)
            VALUES (\(bind: link.orderID), \(bind: link.provider), \(bind: link.payURL), \(bind: link.qrCode),
              \(bind: link.providerReference), \(bind: link.createdAt.millis))
            ON CONFLICT DO NOTHING RETURNING order_id
            """
        ).all()
        return !rows.isEmpty
    }

    func paymentLink(orderID: String) async throws -> PaymentLink? {
        guard
            let row = try await db.raw(
                "SELECT order_id, provider, pay_url, qr_code, provider_reference, created_at FROM payment_links WHERE order_id = \(bind: orderID)"
            ).first()
        else { return nil }
        return PaymentLink(
            orderID: try row.decode(column: "order_id", as: String.self), provider: try row.decode(column: "provider", as: String.self),
            payURL: try row.decode(column: "pay_url", as: String?.self), qrCode: try row.decode(column: "qr_code", as: String?.self),
            providerReference: try row.decode(column: "provider_reference", as: String?.self), createdAt: try Self.date(row, "created_at"))
    }

    func claimReconciliationCandidates(
        now: Date, createdBefore: Date, expiredAfter: Date, maximumAttempts: Int, leaseUntil: Date, limit: Int
    ) async throws -> [ReconciliationCandidate] {
        let rows = try await db.raw(
            """
            SELECT \(unsafeRaw: Self.qualifiedOrderColumns), COALESCE(r.attempts, 0) AS rc_attempts, l.provider_reference AS rc_reference
            FROM recharge_orders o
              LEFT JOIN reconciliations r ON r.order_id = o.id
              LEFT JOIN payment_links l ON l.order_id = o.id
            WHERE o.status IN ('pending_payment', 'expired') AND o.created_at <= \(bind: createdBefore.millis)
              AND o.expires_at >= \(bind: expiredAfter.millis) AND COALESCE(r.attempts, 0) < \(bind: maximumAttempts)
              AND COALESCE(r.next_at, 0) <= \(bind: now.millis)
            ORDER BY o.created_at, o.id LIMIT \(unsafeRaw: String(limit))\(unsafeRaw: kind == .postgres ? " FOR UPDATE OF o SKIP LOCKED" : "")
            """
        ).all()
        var candidates: [ReconciliationCandidate] = []
        for row in rows {
            let order = try Self.order(row)
            let attempts = Int(try row.decode(column: "rc_attempts", as: Int64.self))
            try await db.raw(
                """
                INSERT INTO reconciliations (order_id, attempts, last_result, next_at, updated_at)
                VALUES (\(bind: order.id), \(bind: attempts), NULL, \(bind: leaseUntil.millis), \(bind: now.millis))
                ON CONFLICT (order_id) DO UPDATE SET next_at = excluded.next_at, updated_at = excluded.updated_at
                """
            ).run()
            candidates.append(
                ReconciliationCandidate(
                    order: order, attempts: attempts, providerReference: try row.decode(column: "rc_reference", as: String?.self)))
        }
        return candidates
    }

    func recordReconciliation(orderID: String, attempts: Int, result: ReconciliationResult, nextAt: Date, at: Date) async throws {
        try await db.raw(
            """
            INSERT INTO reconciliations (order_id, attempts, last_result, next_at, updated_at)
            VALUES (\(bind: orderID), \(bind: attempts), \(bind: result.rawValue), \(bind: nextAt.millis), \(bind: at.millis))
            ON CONFLICT (order_id) DO UPDATE SET attempts = excluded.attempts, last_result = excluded.last_result,
              next_at = excluded.next_at, updated_at = excluded.updated_at
            """
        ).run()
    }

    func payments(provider: String, transactionIDs: [String]) async throws -> [PaymentRecord] {
        var result: [PaymentRecord] = []
        for chunk in transactionIDs.chunked(500) {
            var query = SQLQueryString(
                "SELECT \(unsafeRaw: Self.paymentColumns) FROM payments WHERE provider = \(bind: provider) AND provider_txn_id IN (")
            for (index, id) in chunk.enumerated() {
                if index > 0 { query.appendInterpolation(unsafeRaw: ", ") }
                query.appendInterpolation(bind: id)
            }
            query.appendInterpolation(unsafeRaw: ")")
            result += try await db.raw(query).all().map(Self.paymentRecord)
        }
        return result
    }

    func payments(provider: String, paidFrom: Date, until: Date, limit: Int) async throws -> [PaymentRecord] {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.paymentColumns) FROM payments
            WHERE provider = \(bind: provider) AND paid_at >= \(bind: paidFrom.millis) AND paid_at < \(bind: until.millis)
            ORDER BY paid_at, provider_txn_id LIMIT \(unsafeRaw: String(limit))
            """
        ).all().map(Self.paymentRecord)
    }

    func insertSettlementRun(_ report: SettlementReport) async throws {
        try await db.raw(
            """
            INSERT INTO settlement_runs (id, provider, day, matched, matched_total, currency, missing_ours, missing_theirs, mismatches, created_at)
            VALUES (\(bind: report.id), \(bind: report.provider), \(bind: report.day), \(bind: report.matched),
              \(bind: report.matchedTotal.amountMinor), \(bind: report.matchedTotal.currency.code), \(bind: report.missingOurs.count),
              \(bind: report.missingTheirs.count), \(bind: report.amountMismatches.count), \(bind: report.createdAt.millis))
            """
        ).run()
    }
}
