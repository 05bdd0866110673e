import BaohaoDomain
import Foundation

/// Refunds on the in-memory tables, with the SQL tables' keys: one automatic refund per payment.
extension InMemorySession {
    func insertRefund(_ refund: Refund) async throws -> Bool {
        try mutate { t in
            guard t.orders[refund.orderID] != nil else { throw StoreError.corrupt("refunds.order_id: no order \(refund.orderID)") }
            guard t.refunds[refund.id] == nil else { return false }
            if refund.automatic,
                t.refunds.values.contains(where: {
                    $0.automatic && $0.provider == refund.provider && $0.transactionID == refund.transactionID
                })
            {
                return false
            }
            t.refunds[refund.id] = refund
            return true
        }
    }

    func refund(id: String, forUpdate: Bool) async throws -> Refund? { look { $0.refunds[id] } }

    func refunds(orderID: String) async throws -> [Refund] {
        look { t in t.refunds.values.filter { $0.orderID == orderID }.sorted { ($0.requestedAt, $0.id) < ($1.requestedAt, $1.id) } }
    }

    func refunds(payoutShiftID: String) async throws -> [Refund] {
        look { t in
            t.refunds.values.filter { $0.payoutShiftID == payoutShiftID }.sorted {
                ($0.completedAt ?? $0.requestedAt, $0.id) < ($1.completedAt ?? $1.requestedAt, $1.id)
            }
        }
    }

    func refunds(status: RefundStatus?, limit: Int) async throws -> [Refund] {
        look { t in
            Array(
                t.refunds.values.filter { status == nil || $0.status == status }.sorted {
                    ($0.requestedAt, $0.id) > ($1.requestedAt, $1.id)
                }
                .prefix(max(1, limit)))
        }
    }

    func updateRefund(_ refund: Refund, expected: RefundStatus) async throws -> Bool {
        try mutate { t in
            guard t.refunds[refund.id]?.status == expected else { return false }
            t.refunds[refund.id] = refund
            return true
        }
    }

    func dueRefunds(at now: Date, limit: Int) async throws -> [Refund] {
        look { t in
            Array(
                t.refunds.values.filter { $0.status == .processing && ($0.nextAttemptAt.map { $0 <= now } ?? false) }
                    .sorted { ($0.nextAttemptAt!, $0.id) < ($1.nextAttemptAt!, $1.id) }.prefix(max(1, limit)))
        }
    }

    func claimRefund(id: String, expected: Date, leaseUntil: Date) async throws -> Bool {
        try mutate { t in
            guard let refund = t.refunds[id], refund.status == .processing, refund.nextAttemptAt == expected else { return false }
            t.refunds[id]?.nextAttemptAt = leaseUntil
            return true
        }
    }

    func paymentsAwaitingRefund(limit: Int) async throws -> [PaymentRecord] {
        look { t in
            let refunded = Set(
                t.refunds.values.filter(\.automatic).map {
                    InMemoryTables.PaymentIdentity(provider: $0.provider, transactionID: $0.transactionID)
                })
            return Array(
                t.payments.filter { $0.value.needsRefund && !refunded.contains($0.key) }.map(\.value)
                    .sorted { ($0.recordedAt, $0.transactionID) < ($1.recordedAt, $1.transactionID) }.prefix(max(1, limit)))
        }
    }

    func transfer(id: String) async throws -> Transfer? { look { t in t.transfers.first { $0.id == id } } }
}

extension InMemorySession {
    /// The refund checks `verify` makes in SQL (SQLSession+VerifyRefunds), on the in-memory tables.
    static func refundProblems(_ t: InMemoryTables) -> [VerificationReport.Problem] {
        var problems: [VerificationReport.Problem] = []
        func problem(_ subject: String, _ detail: String) {
            problems.append(.init(kind: "refund_mismatch", subject: subject, detail: detail))
        }
        let byID = Dictionary(uniqueKeysWithValues: t.transfers.map { ($0.id, $0) })
        func leg(_ id: String?, _ account: LedgerAccount) -> Int64? {
            id.flatMap { byID[$0] }.map { $0.postings.filter { $0.account == account }.reduce(0) { $0 + $1.amount.amountMinor } }
        }
        for refund in t.refunds.values.sorted(by: { $0.id < $1.id }) {
            let taken = refund.transferID.flatMap { byID[$0] }
            let payout = refund.payoutTransferID.flatMap { byID[$0] }
            let cancel = refund.cancelTransferID.flatMap { byID[$0] }
            let amount = refund.amount.amountMinor
            var wrong: Bool
            switch refund.status {
            case .requested, .rejected: wrong = refund.transferID != nil || refund.payoutTransferID != nil || refund.cancelTransferID != nil
            case .processing, .succeeded, .failed:
                wrong = taken?.kind != .refund || leg(refund.transferID, .refundsPending) != amount
                if refund.source == .credit, refund.linePart.amountMinor > 0 {
                    wrong = wrong || leg(refund.transferID, .line(id: refund.lineID)) != -refund.linePart.amountMinor
                }
            }
            switch refund.status {
            case .succeeded:
                wrong = wrong || payout?.kind != .refundPayout || leg(refund.payoutTransferID, .refundsPending) != -amount || cancel != nil
            case .failed:
                wrong =
                    wrong || cancel?.kind != .refundCancel || cancel?.reverses != refund.transferID
                    || leg(refund.cancelTransferID, .refundsPending) != -amount || payout != nil
            case .processing: wrong = wrong || refund.payoutTransferID != nil || refund.cancelTransferID != nil
            default: break
            }
            if wrong { problem(refund.id, "\(refund.status.rawValue) refund without the transfers of its status and amount") }
        }
        for transfer in t.transfers where [.refund, .refundPayout, .refundCancel].contains(transfer.kind) {
            let owners = t.refunds.values.filter {
                $0.transferID == transfer.id || $0.payoutTransferID == transfer.id || $0.cancelTransferID == transfer.id
            }
            if owners.count != 1 { problem(transfer.id, "a \(transfer.kind.rawValue) transfer that is not one refund's") }
        }
        let holding = t.refunds.values.filter { $0.status.holdsMoney }
        for payment in t.payments.values {
            let refunded = holding.filter { $0.provider == payment.provider && $0.transactionID == payment.transactionID }
                .reduce(Int64(0)) { $0 + $1.amount.amountMinor }
            if refunded > payment.amount.amountMinor {
                problem("\(payment.provider):\(payment.transactionID)", "refunds \(refunded) of \(payment.amount.amountMinor) paid")
            }
        }
        for order in t.orders.values {
            let credit = t.refunds.values.filter { $0.orderID == order.id && $0.source == .credit }
            let held = credit.filter { $0.status.holdsMoney }
            if held.reduce(0, { $0 + $1.linePart.amountMinor }) > order.amount.amountMinor
                || held.reduce(0, { $0 + $1.feePart.amountMinor }) > order.fee.amountMinor
            {
                problem(order.id, "refunds exceed the order's face value or fee (\(order.status.rawValue))")
            }
            let confirmed = credit.filter { $0.status == .succeeded }.reduce(Int64(0)) { $0 + $1.amount.amountMinor }
            guard [.credited, .partiallyRefunded, .refunded].contains(order.status) || confirmed > 0 else { continue }
            let expected: OrderStatus = confirmed == 0 ? .credited : confirmed >= order.total.amountMinor ? .refunded : .partiallyRefunded
            if expected != order.status { problem(order.id, "status \(order.status.rawValue) does not match its confirmed refunds") }
        }
        for refund in t.refunds.values where refund.source == .suspense {
            if t.payments[.init(provider: refund.provider, transactionID: refund.transactionID)]?.needsRefund != true {
                problem(refund.id, "automatic refund of a payment not flagged")
            }
        }
        let pendingLedger = t.transfers.flatMap(\.postings).filter { $0.account == .refundsPending }.reduce(Int64(0)) {
            $0 + $1.amount.amountMinor
        }
        let pendingExpected = t.refunds.values.filter { $0.status == .processing }.reduce(Int64(0)) { $0 + $1.amount.amountMinor }
        if pendingLedger != pendingExpected {
            problem(LedgerAccount.refundsPending.code, "processing refunds \(pendingExpected), ledger \(pendingLedger)")
        }
        let suspenseLedger = t.transfers.flatMap(\.postings).filter { $0.account == .suspense }.reduce(Int64(0)) {
            $0 + $1.amount.amountMinor
        }
        let entered = t.transfers.filter { $0.kind == .suspense }.flatMap(\.postings).filter { $0.account == .suspense }
            .reduce(Int64(0)) { $0 + $1.amount.amountMinor }
        let suspenseExpected =
            entered
            - t.refunds.values.filter { $0.source == .suspense && $0.status.holdsMoney }.reduce(Int64(0)) { $0 + $1.amount.amountMinor }
        if suspenseLedger != suspenseExpected {
            problem(LedgerAccount.suspense.code, "flagged payments not refunded \(suspenseExpected), ledger \(suspenseLedger)")
        }
        let entries = t.transfers.filter { $0.kind == .suspense }.count
        let flagged = t.payments.values.filter(\.needsRefund).count
        if entries > flagged { problem(LedgerAccount.suspense.code, "\(entries) suspense entries for \(flagged) flagged payment(s)") }
        return problems.sorted { ($0.subject, $0.detail) < ($1.subject, $1.detail) }
    }
}
