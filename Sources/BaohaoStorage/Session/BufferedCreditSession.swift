import BaohaoDomain
import Foundation
import SQLKit

/// The session a group-committed batch of payment applications runs in on SQLite.
///
/// Before the bodies run, one query each loads every order, payment key and line the batch will
/// touch. Each body then reads and writes this in-memory overlay (its own writes visible to the
/// bodies after it, as in one transaction); a body that throws is rolled back to the overlay as it
/// was before it. At the end, ``flush()`` writes the batch in a few multi-row statements, inside the
/// same database transaction. It implements only ``CreditRows``, the port a payment application
/// goes through, so nothing else can be asked of it.
final class BufferedCreditSession: CreditRows, @unchecked Sendable {
    struct Overlay {
        var orders: [String: RechargeOrder] = [:]
        var lines: [String: Line] = [:]
        /// `nil` value: known to be absent.
        var payments: [PaymentKey: PaymentRecord?] = [:]
        var newPayments: [PaymentRecord] = []
        var transfers: [Transfer] = []
        var receipts: [Receipt] = []
        var notifications: [NotificationRecord] = []
        var stageChanges: [(id: String, change: StageChange, announced: Bool)] = []
        var changedOrders: [String: Date] = [:]
        var changedLines: [String: Date] = [:]
        /// Lines whose status or retention state changed, not only their balance.
        var restagedLines: Set<String> = []
        /// Promotions offered to the batch's orders, as the batch changed them, and the usage count
        /// each had when read (the flush writes a usage only over that count).
        var promotions: [String: Promotion] = [:]
        var promotionCountsRead: [String: Int] = [:]
        var changedPromotions: Set<String> = []
        /// Bonuses per (promotion, line), read or counted in the batch.
        var promotionUseCounts: [PromotionLine: Int] = [:]
        var newPromotionUses: [PromotionUse] = []
        /// Whether a line had a recharge credited, read or made in the batch.
        var creditedLines: [String: Bool] = [:]

        /// Changed orders as they now are, each with the time it changed.
        var changedOrderRows: [(RechargeOrder, Date)] {
            changedOrders.compactMap { id, at in orders[id].map { ($0, at) } }
        }

        /// Changed lines as they now are, each with the time it changed: those whose status or
        /// retention state changed (`restaged`), or those whose balance alone did.
        func changedLineRows(restaged: Bool) -> [(Line, Date)] {
            changedLines.compactMap { id, at in
                restagedLines.contains(id) == restaged ? lines[id].map { ($0, at) } : nil
            }
        }
    }

    struct PromotionLine: Hashable {
        let code: String
        let lineID: String
    }

    let base: SQLSession
    var overlay = Overlay()
    /// Row versions (PostgreSQL `xmin`, as text) of the orders and lines ``prefetchChecked(_:on:logger:)``
    /// read; ``flushChecked(on:logger:)`` changes a row only while its version is still this one.
    var orderVersions: [String: String] = [:]
    var lineVersions: [String: String] = [:]
    /// Most rows in one multi-row statement (SQLite allows 32,766 bound values).
    static let rowsPerStatement = 500

    init(base: SQLSession) {
        self.base = base
    }

    // MARK: Loading

    func prefetch(_ keys: [PaymentKey]) async throws {
        for order in try await rows(table: "recharge_orders", columns: SQLSession.orderColumns, ids: keys.map(\.orderID), SQLSession.order)
        {
            overlay.orders[order.id] = order
        }
        for line in try await rows(
            table: "lines", columns: SQLSession.lineColumns, ids: overlay.orders.values.map(\.lineID), SQLSession.line)
        {
            overlay.lines[line.id] = line
        }
        let paymentKeys = Array(Set(keys.map { Self.paymentSlot($0.provider, $0.transactionID) }))
        for key in paymentKeys { overlay.payments[key] = .some(nil) }
        for (provider, keysOfProvider) in Dictionary(grouping: paymentKeys, by: \.provider) {
            for chunk in keysOfProvider.chunked(Self.rowsPerStatement) {
                var query = SQLQueryString(
                    """
                    SELECT \(unsafeRaw: SQLSession.paymentColumns) FROM payments
                    WHERE provider = \(bind: provider) AND provider_txn_id IN (
                    """)
                Self.appendList(chunk.map(\.transactionID), to: &query)
                for row in try await base.db.raw(query).all() {
                    let payment = try SQLSession.paymentRecord(row)
                    overlay.payments[Self.paymentSlot(payment.provider, payment.transactionID)] = .some(
                        payment)
                }
            }
        }
    }

    static let orderSelect = SQLSession.qualified(SQLSession.orderColumns, table: "o", prefix: "o_")
    static let lineSelect = SQLSession.qualified(SQLSession.lineColumns, table: "l", prefix: "l_")
    static let paymentSelect = SQLSession.qualified(SQLSession.paymentColumns, table: "p", prefix: "p_")

    /// Rows of `table` by id, locked on PostgreSQL in one global id order (so concurrent batches
    /// cannot deadlock on each other), in chunks of ``rowsPerStatement``.
    func rows<T>(table: String, columns: String, ids: [String], _ decode: (any SQLRow) throws -> T) async throws -> [T] {
        var result: [T] = []
        for chunk in Array(Set(ids)).sorted().chunked(Self.rowsPerStatement) {
            var query = SQLQueryString("SELECT \(unsafeRaw: columns) FROM \(unsafeRaw: table) WHERE id IN (")
            Self.appendList(chunk, to: &query)
            query.appendInterpolation(unsafeRaw: " ORDER BY id\(base.forUpdateClause)")
            result += try await base.db.raw(query).all().map(decode)
        }
        return result
    }

    static func appendList(_ values: some Collection<String>, to query: inout SQLQueryString) {
        for (index, value) in values.enumerated() {
            if index > 0 { query.appendInterpolation(unsafeRaw: ", ") }
            query.appendInterpolation(bind: value)
        }
        query.appendInterpolation(unsafeRaw: ")")
    }

    /// The overlay's key for a payment: provider and transaction id, whichever order it names.
    static func paymentSlot(_ provider: String, _ transactionID: String) -> PaymentKey {
        PaymentKey(orderID: "", provider: provider, transactionID: transactionID)
    }

    /// Runs one payment application against the overlay; if it throws, the overlay is put back as
    /// it was before, and the error is returned.
    func runUndoable(_ body: @Sendable (any CreditRows) async throws -> Void) async -> (any Error)? {
        let before = overlay
        do {
            try await body(self)
            return nil
        } catch {
            overlay = before
            return error
        }
    }

    // MARK: Buffered reads and writes

    func order(id: String, forUpdate: Bool) async throws -> RechargeOrder? {
        if let order = overlay.orders[id] { return order }
        guard let order = try await base.order(id: id, forUpdate: false) else { return nil }
        overlay.orders[id] = order
        return order
    }

    func line(id: String, forUpdate: Bool) async throws -> Line? {
        if let line = overlay.lines[id] { return line }
        guard let line = try await base.line(id: id, forUpdate: false) else { return nil }
        overlay.lines[id] = line
        return line
    }

    func payment(provider: String, transactionID: String) async throws -> PaymentRecord? {
        let key = Self.paymentSlot(provider, transactionID)
        if let known = overlay.payments[key] { return known }
        let payment = try await base.payment(provider: provider, transactionID: transactionID)
        overlay.payments[key] = .some(payment)
        return payment
    }

    func insertPayment(_ payment: PaymentRecord) async throws -> Bool {
        guard try await self.payment(provider: payment.provider, transactionID: payment.transactionID) == nil else { return false }
        overlay.payments[Self.paymentSlot(payment.provider, payment.transactionID)] = .some(payment)
        overlay.newPayments.append(payment)
        return true
    }

    func updateOrder(_ order: RechargeOrder, expected: OrderStatus, at: Date) async throws -> Bool {
        guard let current = try await self.order(id: order.id, forUpdate: true), current.status == expected else { return false }
        if order.creditedAt != nil { overlay.creditedLines[order.lineID] = true }
        overlay.orders[order.id] = order
        overlay.changedOrders[order.id] = at
        return true
    }

    func setBalance(lineID: String, to balance: Money, expected: Money, at: Date) async throws -> Bool {
        guard var line = try await self.line(id: lineID, forUpdate: true), line.balance == expected else { return false }
        line.balance = balance
        overlay.lines[lineID] = line
        overlay.changedLines[lineID] = at
        return true
    }

    func setRetention(lineID: String, status: LineStatus, retention: RetentionState, expected: LineStatus, at: Date) async throws -> Bool {
        guard var line = try await self.line(id: lineID, forUpdate: true), line.status == expected else { return false }
        line.status = status
        line.retention = retention
        overlay.lines[lineID] = line
        overlay.changedLines[lineID] = at
        overlay.restagedLines.insert(lineID)
        return true
    }

    func promotion(code: String, forUpdate: Bool) async throws -> Promotion? {
        if let promotion = overlay.promotions[code] { return promotion }
        guard let promotion = try await base.promotion(code: code, forUpdate: true) else { return nil }
        overlay.promotions[code] = promotion
        overlay.promotionCountsRead[code] = promotion.used.count
        return promotion
    }

    func promotionUseCount(code: String, lineID: String) async throws -> Int {
        let key = PromotionLine(code: code, lineID: lineID)
        if let count = overlay.promotionUseCounts[key] { return count }
        let count = try await base.promotionUseCount(code: code, lineID: lineID)
        overlay.promotionUseCounts[key] = count
        return count
    }

    func hasBeenCredited(lineID: String) async throws -> Bool {
        if let known = overlay.creditedLines[lineID] { return known }
        let credited = try await base.hasBeenCredited(lineID: lineID)
        overlay.creditedLines[lineID] = credited
        return credited
    }

    func setPromotionUsage(code: String, to usage: PromotionUsage, expectedCount: Int) async throws -> Bool {
        guard var promotion = try await self.promotion(code: code, forUpdate: true), promotion.used.count == expectedCount else {
            return false
        }
        promotion.used = usage
        overlay.promotions[code] = promotion
        overlay.changedPromotions.insert(code)
        return true
    }

    func insertPromotionUse(_ use: PromotionUse) async throws {
        let key = PromotionLine(code: use.promotionCode, lineID: use.lineID)
        overlay.promotionUseCounts[key] = try await promotionUseCount(code: use.promotionCode, lineID: use.lineID) + 1
        overlay.newPromotionUses.append(use)
    }

    func insertStageChange(id: String, _ change: StageChange, announced: Bool) async throws {
        overlay.stageChanges.append((id, change, announced))
    }

    func appendTransfer(_ transfer: Transfer) async throws {
        if let orderID = transfer.orderID, overlay.transfers.contains(where: { $0.orderID == orderID }) {
            throw StoreError.duplicate("ledger_transfers.order_id")
        }
        overlay.transfers.append(transfer)
    }

    func insertReceipt(_ receipt: Receipt) async throws {
        if overlay.receipts.contains(where: { $0.orderID == receipt.orderID || $0.number == receipt.number }) {
            throw StoreError.duplicate("receipts")
        }
        overlay.receipts.append(receipt)
    }

    func recordNotification(_ record: NotificationRecord) async throws {
        overlay.notifications.append(record)
    }

    // MARK: Writing the batch

    /// Writes everything buffered (multi-row statements, or prepared single-row statements on
    /// SQLite's direct writer, see ``RowsWrite``) and empties the buffer.
    func flush() async throws {
        let pending = overlay
        overlay = Overlay()
        let tables = WrittenTables.self
        let writes =
            [tables.payments.insert(pending.newPayments)] + SQLSession.transferWrites(pending.transfers) + [
                tables.lineBalances.update(pending.changedLineRows(restaged: false)),
                tables.lineStates.update(pending.changedLineRows(restaged: true)), tables.stageChanges.insert(pending.stageChanges),
                tables.receipts.insert(pending.receipts), tables.orderPayments.update(pending.changedOrderRows),
                tables.notifications.insert(pending.notifications),
            ]
        try await base.run(writes)
        for code in pending.changedPromotions.sorted() {
            guard let promotion = pending.promotions[code], let read = pending.promotionCountsRead[code],
                try await base.setPromotionUsage(code: code, to: promotion.used, expectedCount: read)
            else { throw StoreError.conflict }
        }
        for use in pending.newPromotionUses { try await base.insertPromotionUse(use) }
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
