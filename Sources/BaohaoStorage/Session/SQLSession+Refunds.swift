import BaohaoDomain
import Foundation
import SQLKit

/// Refunds and the flagged payments waiting for one.
extension SQLSession {
    static let refundColumns = """
        id, order_id, line_id, provider, provider_txn_id, source, amount, line_part, fee_part, currency, reason, automatic, status,
        requested_by, requested_by_subscriber, requested_at, decided_by, decided_at, decision_reason, transfer_id, payout_transfer_id, cancel_transfer_id,
        provider_refund_id, attempts, next_attempt_at, last_error, completed_at, resolved_by, resolution_reason, payout_shift_id,
        payout_tender
        """

    static func refund(_ row: any SQLRow) throws -> Refund {
        let currency = try currency(row, "currency")
        return Refund(
            id: try row.decode(column: "id", as: String.self), orderID: try row.decode(column: "order_id", as: String.self),
            lineID: try row.decode(column: "line_id", as: String.self), provider: try row.decode(column: "provider", as: String.self),
            transactionID: try row.decode(column: "provider_txn_id", as: String.self),
            source: try enumValue(row, "source", RefundSource.self),
            amount: Money(try row.decode(column: "amount", as: Int64.self), currency),
            linePart: Money(try row.decode(column: "line_part", as: Int64.self), currency),
            feePart: Money(try row.decode(column: "fee_part", as: Int64.self), currency),
            reason: try row.decode(column: "reason", as: String.self),
            automatic: try row.decode(column: "automatic", as: Int64.self) != 0, status: try enumValue(row, "status", RefundStatus.self),
            requestedBy: try row.decode(column: "requested_by", as: String?.self),
            requestedBySubscriber: try row.decode(column: "requested_by_subscriber", as: String?.self),
            requestedAt: try date(row, "requested_at"),
            decidedBy: try row.decode(column: "decided_by", as: String?.self), decidedAt: try optionalDate(row, "decided_at"),
            decisionReason: try row.decode(column: "decision_reason", as: String?.self),
            transferID: try row.decode(column: "transfer_id", as: String?.self),
            payoutTransferID: try row.decode(column: "payout_transfer_id", as: String?.self),
            cancelTransferID: try row.decode(column: "cancel_transfer_id", as: String?.self),
            providerRefundID: try row.decode(column: "provider_refund_id", as: String?.self),
            attempts: Int(try row.decode(column: "attempts", as: Int64.self)), nextAttemptAt: try optionalDate(row, "next_attempt_at"),
            lastError: try row.decode(column: "last_error", as: String?.self), completedAt: try optionalDate(row, "completed_at"),
            resolvedBy: try row.decode(column: "resolved_by", as: String?.self),
            resolutionReason: try row.decode(column: "resolution_reason", as: String?.self),
            payoutShiftID: try row.decode(column: "payout_shift_id", as: String?.self),
            payoutTender: try row.decode(column: "payout_tender", as: String?.self))
    }

    func insertRefund(_ refund: Refund) async throws -> Bool {
        !(try await db.raw(
            """
            INSERT INTO refunds (\(unsafeRaw: Self.refundColumns))
            VALUES (\(bind: refund.id), \(bind: refund.orderID), \(bind: refund.lineID), \(bind: refund.provider), \(bind: refund.transactionID),
                    \(bind: refund.source.rawValue), \(bind: refund.amount.amountMinor), \(bind: refund.linePart.amountMinor),
                    \(bind: refund.feePart.amountMinor), \(bind: refund.amount.currency.code), \(bind: refund.reason),
                    \(bind: Int64(refund.automatic ? 1 : 0)), \(bind: refund.status.rawValue), \(bind: refund.requestedBy),
                    \(bind: refund.requestedBySubscriber), \(bind: refund.requestedAt.millis), \(bind: refund.decidedBy), \(bind: refund.decidedAt?.millis),
                    \(bind: refund.decisionReason), \(bind: refund.transferID), \(bind: refund.payoutTransferID),
                    \(bind: refund.cancelTransferID), \(bind: refund.providerRefundID), \(bind: Int64(refund.attempts)),
                    \(bind: refund.nextAttemptAt?.millis), \(bind: refund.lastError), \(bind: refund.completedAt?.millis),
                    \(bind: refund.resolvedBy), \(bind: refund.resolutionReason), \(bind: refund.payoutShiftID), \(bind: refund.payoutTender))
            ON CONFLICT DO NOTHING RETURNING id
            """
        ).all().isEmpty)
    }

    func refund(id: String, forUpdate: Bool) async throws -> Refund? {
        try await db.raw(
            "SELECT \(unsafeRaw: Self.refundColumns) FROM refunds WHERE id = \(bind: id)\(unsafeRaw: forUpdate ? forUpdateClause : "")"
        ).first().map(Self.refund)
    }

    func refunds(orderID: String) async throws -> [Refund] {
        try await db.raw(
            "SELECT \(unsafeRaw: Self.refundColumns) FROM refunds WHERE order_id = \(bind: orderID) ORDER BY requested_at, id"
        ).all().map(Self.refund)
    }

    func refunds(payoutShiftID: String) async throws -> [Refund] {
        try await db.raw(
            "SELECT \(unsafeRaw: Self.refundColumns) FROM refunds WHERE payout_shift_id = \(bind: payoutShiftID) ORDER BY completed_at, id"
        ).all().map(Self.refund)
    }

    func refunds(status: RefundStatus?, limit: Int) async throws -> [Refund] {
        if let status {
            return try await db.raw(
                """
                SELECT \(unsafeRaw: Self.refundColumns) FROM refunds WHERE status = \(bind: status.rawValue)
                ORDER BY requested_at DESC, id DESC LIMIT \(unsafeRaw: String(max(1, limit)))
                """
            ).all().map(Self.refund)
        }
        return try await db.raw(
            "SELECT \(unsafeRaw: Self.refundColumns) FROM refunds ORDER BY requested_at DESC, id DESC LIMIT \(unsafeRaw: String(max(1, limit)))"
        ).all().map(Self.refund)
    }

    func updateRefund(_ refund: Refund, expected: RefundStatus) async throws -> Bool {
        !(try await db.raw(
            """
            UPDATE refunds SET status = \(bind: refund.status.rawValue), decided_by = \(bind: refund.decidedBy),
              decided_at = \(bind: refund.decidedAt?.millis), decision_reason = \(bind: refund.decisionReason),
              transfer_id = \(bind: refund.transferID), payout_transfer_id = \(bind: refund.payoutTransferID),
              cancel_transfer_id = \(bind: refund.cancelTransferID), provider_refund_id = \(bind: refund.providerRefundID),
              attempts = \(bind: Int64(refund.attempts)), next_attempt_at = \(bind: refund.nextAttemptAt?.millis),
              last_error = \(bind: refund.lastError), completed_at = \(bind: refund.completedAt?.millis),
              resolved_by = \(bind: refund.resolvedBy), resolution_reason = \(bind: refund.resolutionReason),
              payout_shift_id = \(bind: refund.payoutShiftID), payout_tender = \(bind: refund.payoutTender)
            WHERE id = \(bind: refund.id) AND status = \(bind: expected.rawValue) RETURNING id
            """
        ).all().isEmpty)
    }

    func dueRefunds(at now: Date, limit: Int) async throws -> [Refund] {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.refundColumns) FROM refunds
            WHERE status = 'processing' AND next_attempt_at IS NOT NULL AND next_attempt_at <= \(bind: now.millis)
            ORDER BY next_attempt_at, id LIMIT \(unsafeRaw: String(max(1, limit)))
            """
        ).all().map(Self.refund)
    }

    func claimRefund(id: String, expected: Date, leaseUntil: Date) async throws -> Bool {
        !(try await db.raw(
            """
            UPDATE refunds SET next_attempt_at = \(bind: leaseUntil.millis)
            WHERE id = \(bind: id) AND status = 'processing' AND next_attempt_at = \(bind: expected.millis) RETURNING id
            """
        ).all().isEmpty)
    }

    func paymentsAwaitingRefund(limit: Int) async throws -> [PaymentRecord] {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.paymentColumns) FROM payments p
            WHERE p.needs_refund = 1 AND NOT EXISTS (
              SELECT 1 FROM refunds r WHERE r.automatic = 1 AND r.provider = p.provider AND r.provider_txn_id = p.provider_txn_id)
            ORDER BY p.recorded_at, p.provider_txn_id LIMIT \(unsafeRaw: String(max(1, limit)))
            """
        ).all().map(Self.paymentRecord)
    }

    func transfer(id: String) async throws -> Transfer? {
        try await transfer(whereClause: SQLQueryString("t.id = \(bind: id)"))
    }
}
