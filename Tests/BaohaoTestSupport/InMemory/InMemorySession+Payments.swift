import BaohaoDomain
import Foundation

/// Payment links, the reconciler's claims and settlement queries on the in-memory tables.
extension InMemorySession {
    func insertPaymentLink(_ link: PaymentLink) async throws -> Bool {
        try mutate { t in
            guard t.orders[link.orderID] != nil else { throw StoreError.corrupt("payment_links.order_id: no order \(link.orderID)") }
            guard t.paymentLinks[link.orderID] == nil else { return false }
            t.paymentLinks[link.orderID] = link
            return true
        }
    }

    func paymentLink(orderID: String) async throws -> PaymentLink? { look { $0.paymentLinks[orderID] } }

    func claimReconciliationCandidates(
        now: Date, createdBefore: Date, expiredAfter: Date, maximumAttempts: Int, leaseUntil: Date, limit: Int
    ) async throws -> [ReconciliationCandidate] {
        try mutate { t in
            let due = t.orders.values.filter { order in
                let asked = t.reconciliations[order.id]
                return (order.status == .pendingPayment || order.status == .expired) && order.createdAt <= createdBefore
                    && order.expiresAt >= expiredAfter && (asked?.attempts ?? 0) < maximumAttempts
                    && (asked?.nextAt ?? Date(timeIntervalSince1970: 0)) <= now
            }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }.prefix(max(limit, 0))
            return due.map { order in
                let attempts = t.reconciliations[order.id]?.attempts ?? 0
                t.reconciliations[order.id, default: .init(attempts: attempts, lastResult: nil, nextAt: leaseUntil)].nextAt = leaseUntil
                return ReconciliationCandidate(
                    order: order, attempts: attempts, providerReference: t.paymentLinks[order.id]?.providerReference)
            }
        }
    }

    func recordReconciliation(orderID: String, attempts: Int, result: ReconciliationResult, nextAt: Date, at: Date) async throws {
        try mutate { t in t.reconciliations[orderID] = .init(attempts: attempts, lastResult: result, nextAt: nextAt) }
    }

    func payments(provider: String, transactionIDs: [String]) async throws -> [PaymentRecord] {
        look { t in transactionIDs.compactMap { t.payments[.init(provider: provider, transactionID: $0)] } }
    }

    func payments(provider: String, paidFrom: Date, until: Date, limit: Int) async throws -> [PaymentRecord] {
        look { t in
            Array(
                t.payments.values.filter { $0.provider == provider && $0.paidAt >= paidFrom && $0.paidAt < until }.sorted {
                    ($0.paidAt, $0.transactionID) < ($1.paidAt, $1.transactionID)
                }.prefix(max(limit, 0)))
        }
    }

    func insertSettlementRun(_ report: SettlementReport) async throws {
        try mutate { t in
            if t.settlementRuns.contains(where: { $0.id == report.id }) { throw StoreError.duplicate("settlement_runs") }
            t.settlementRuns.append(report)
        }
    }
}
