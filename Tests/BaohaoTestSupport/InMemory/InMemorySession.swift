import BaohaoDomain
import Foundation

/// One read or write of an ``InMemoryStore``: a private copy of the tables, behind a lock because
/// a body may call the session from concurrent child tasks.
final class InMemorySession: StoreSession, @unchecked Sendable {
    private let lock = NSLock()
    private var current: InMemoryTables
    private let readOnly: Bool

    init(tables: InMemoryTables, readOnly: Bool) {
        current = tables
        self.readOnly = readOnly
    }

    /// The tables as this session leaves them.
    var tables: InMemoryTables { lock.withLock { current } }

    func look<R>(_ body: (InMemoryTables) throws -> R) rethrows -> R {
        try lock.withLock { try body(current) }
    }

    /// Changes the session's tables; a read session refuses, as a read-only transaction would.
    func mutate<R>(_ body: (inout InMemoryTables) throws -> R) throws -> R {
        guard !readOnly else { throw StoreError.corrupt("a write in a read session") }
        return try lock.withLock {
            var copy = current
            let result = try body(&copy)
            current = copy
            return result
        }
    }

    // MARK: Plans

    func insertPlan(_ plan: Plan, at: Date) async throws -> Bool {
        try mutate { t in
            guard t.plans[plan.code] == nil else { return false }
            t.plans[plan.code] = plan
            return true
        }
    }

    func plan(code: String) async throws -> Plan? { look { $0.plans[code] } }

    func plans() async throws -> [Plan] { look { $0.plans.values.sorted { $0.code < $1.code } } }

    // MARK: Lines

    func insertLine(_ line: Line) async throws {
        try mutate { t in
            let taken =
                t.lines[line.id] != nil
                || (line.status != .reclaimed && t.lines.values.contains { $0.msisdn == line.msisdn && $0.status != .reclaimed })
            if taken { throw StoreError.duplicate("lines.msisdn") }
            t.lines[line.id] = line
        }
    }

    func numbersInService(_ numbers: [MSISDN]) async throws -> Set<MSISDN> {
        let wanted = Set(numbers)
        return look { t in Set(t.lines.values.filter { $0.status != .reclaimed && wanted.contains($0.msisdn) }.map(\.msisdn)) }
    }

    func numbersInQuarantine(_ numbers: [MSISDN], at: Date) async throws -> Set<MSISDN> {
        let wanted = Set(numbers)
        return look { t in
            Set(
                t.lines.values.filter {
                    $0.status == .reclaimed && wanted.contains($0.msisdn) && ($0.retention.quarantineUntil.map { $0 > at } ?? false)
                }.map(\.msisdn))
        }
    }

    func insertLines(_ lines: [Line], transfers: [Transfer]) async throws {
        try mutate { t in
            let inService = Set(t.lines.values.filter { $0.status != .reclaimed }.map(\.msisdn))
            for line in lines {
                if t.lines[line.id] != nil || inService.contains(line.msisdn) { throw StoreError.duplicate("lines.msisdn") }
                t.lines[line.id] = line
            }
            try Self.append(transfers, to: &t)
        }
    }

    func line(msisdn: MSISDN) async throws -> Line? {
        look { $0.lines.values.first { $0.msisdn == msisdn && $0.status != .reclaimed } }
    }

    func line(id: String, forUpdate: Bool) async throws -> Line? { look { $0.lines[id] } }

    func lines(status: LineStatus?, after cursor: String?, limit: Int) async throws -> [Line] {
        look { t in
            let after = cursor ?? ""
            return Array(
                t.lines.values.filter { $0.msisdn.e164 > after && (status == nil || $0.status == status) }
                    .sorted { ($0.msisdn.e164, $0.createdAt) < ($1.msisdn.e164, $1.createdAt) }.prefix(max(limit, 0)))
        }
    }

    func setStatus(lineID: String, to status: LineStatus, expected: LineStatus, at: Date) async throws -> Bool {
        try mutate { t in
            guard t.lines[lineID]?.status == expected else { return false }
            t.lines[lineID]?.status = status
            return true
        }
    }

    func setBalance(lineID: String, to balance: Money, expected: Money, at: Date) async throws -> Bool {
        try mutate { t in
            guard let line = t.lines[lineID], line.balance == expected, line.balance.currency == balance.currency else { return false }
            t.lines[lineID]?.balance = balance
            return true
        }
    }

    func setRetention(lineID: String, status: LineStatus, retention: RetentionState, expected: LineStatus, at: Date) async throws -> Bool {
        try mutate { t in
            guard t.lines[lineID]?.status == expected else { return false }
            t.lines[lineID]?.status = status
            t.lines[lineID]?.retention = retention
            return true
        }
    }

    // MARK: Orders

    func insertOrder(_ order: RechargeOrder) async throws -> Bool {
        try mutate { t in
            guard t.lines[order.lineID] != nil else { throw StoreError.corrupt("recharge_orders.line_id: no line \(order.lineID)") }
            let keyTaken = order.idempotencyKey.map { key in t.orders.values.contains { $0.idempotencyKey == key } } ?? false
            guard t.orders[order.id] == nil, !keyTaken else { return false }
            t.orders[order.id] = order
            return true
        }
    }

    func order(id: String, forUpdate: Bool) async throws -> RechargeOrder? { look { $0.orders[id] } }

    func order(idempotencyKey: String) async throws -> RechargeOrder? {
        look { $0.orders.values.first { $0.idempotencyKey == idempotencyKey } }
    }

    func updateOrder(_ order: RechargeOrder, expected: OrderStatus, at: Date) async throws -> Bool {
        try mutate { t in
            guard var stored = t.orders[order.id], stored.status == expected else { return false }
            stored.status = order.status
            stored.paidAt = order.paidAt
            stored.creditedAt = order.creditedAt
            stored.providerTransactionID = order.providerTransactionID
            stored.receiptNumber = order.receiptNumber
            stored.latePayment = order.latePayment
            t.orders[order.id] = stored
            return true
        }
    }

    func orderStatuses(ids: [String]) async throws -> [String: OrderStatus] {
        look { t in
            var statuses: [String: OrderStatus] = [:]
            for id in ids.prefix(1_000) { if let order = t.orders[id] { statuses[id] = order.status } }
            return statuses
        }
    }

    func orders(lineID: String, before: OrderCursor?, includeUnpaid: Bool, limit: Int) async throws -> [RechargeOrder] {
        look { t in
            Array(
                t.orders.values.filter { order in
                    guard order.lineID == lineID else { return false }
                    if !includeUnpaid, [.expired, .cancelled, .failed].contains(order.status) { return false }
                    guard let before else { return true }
                    return (order.createdAt, order.id) < (before.createdAt, before.id)
                }.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
                    .prefix(max(limit, 0)))
        }
    }

    func pendingOrders(lineID: String, at now: Date) async throws -> (count: Int, firstExpiry: Date?) {
        look { t in
            let pending = t.orders.values.filter { $0.lineID == lineID && $0.status == .pendingPayment && $0.expiresAt > now }
            return (pending.count, pending.map(\.expiresAt).min())
        }
    }

    func purgeUnpaidOrders(before: Date, limit: Int) async throws -> Int {
        try mutate { t in
            let referenced =
                Set(t.payments.values.map(\.orderID)).union(t.notifications.compactMap(\.orderID))
                .union(t.transfers.compactMap(\.orderID))
            let due = t.orders.values.filter {
                [.expired, .cancelled, .failed].contains($0.status) && $0.expiresAt < before && $0.channel == .online
                    && !referenced.contains($0.id)
            }.sorted { $0.expiresAt < $1.expiresAt }.prefix(max(limit, 0))
            for order in due {
                t.orders[order.id] = nil
                t.paymentLinks[order.id] = nil
                t.reconciliations[order.id] = nil
            }
            return due.count
        }
    }

    func expireOrders(before: Date, limit: Int) async throws -> Int {
        try mutate { t in
            let due = t.orders.values.filter { $0.status == .pendingPayment && $0.expiresAt <= before }.sorted {
                $0.expiresAt < $1.expiresAt
            }.prefix(max(limit, 0))
            for order in due { t.orders[order.id]?.status = .expired }
            return due.count
        }
    }

    // MARK: Payments and notifications

    func payment(provider: String, transactionID: String) async throws -> PaymentRecord? {
        look { $0.payments[.init(provider: provider, transactionID: transactionID)] }
    }

    func insertPayment(_ payment: PaymentRecord) async throws -> Bool {
        try mutate { t in
            let key = InMemoryTables.PaymentIdentity(provider: payment.provider, transactionID: payment.transactionID)
            guard t.payments[key] == nil else { return false }
            t.payments[key] = payment
            return true
        }
    }

    func recordNotification(_ record: NotificationRecord) async throws {
        try mutate { t in
            if t.notifications.contains(where: { $0.id == record.id }) { throw StoreError.duplicate("payment_notifications") }
            t.notifications.append(record)
        }
    }

    func notifications(outcome: NotificationOutcome?, limit: Int) async throws -> [NotificationRecord] {
        look { t in
            Array(
                t.notifications.filter { outcome == nil || $0.outcome == outcome }.sorted {
                    ($0.receivedAt, $0.id) > ($1.receivedAt, $1.id)
                }
                .prefix(max(limit, 0)))
        }
    }
}
