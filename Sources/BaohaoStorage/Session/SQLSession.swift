import BaohaoDomain
import Foundation
import SQLKit

/// ``StoreSession`` over one SQLKit connection. Every statement is portable between SQLite and
/// PostgreSQL except row locks, which only PostgreSQL takes (SQLite has one writer at a time).
struct SQLSession: StoreSession {
    let db: any SQLDatabase
    let kind: DatabaseKind

    var forUpdateClause: String { kind == .postgres ? " FOR UPDATE" : "" }

    /// Runs write statements in order. On PostgreSQL several are sent as one statement of
    /// data-modifying `WITH` clauses, one round trip instead of one each: they see the same
    /// snapshot and none reads another's rows, and foreign keys are checked at the statement's end.
    func run(_ statements: [SQLQueryString]) async throws {
        guard kind == .postgres, statements.count > 1 else {
            for statement in statements { try await db.raw(statement).run() }
            return
        }
        var combined = SQLQueryString("WITH ")
        for (index, statement) in statements.enumerated() {
            combined.appendInterpolation(unsafeRaw: index == 0 ? "w0 AS (" : ", w\(index) AS (")
            combined += statement
            combined.appendInterpolation(unsafeRaw: ")")
        }
        combined.appendInterpolation(unsafeRaw: " SELECT 1")
        try await db.raw(combined).run()
    }

    /// Writes rows in order: on SQLite's direct writer one prepared single-row statement per row;
    /// on PostgreSQL each write as one statement of column arrays (``RowsWrite/ArrayForm``), all of
    /// them in one round trip (see ``run(_:)-(_[SQLQueryString])``); elsewhere as multi-row statements.
    func run(_ writes: [RowsWrite]) async throws {
        if let writer = db as? any RowsWriter {
            for write in writes { try writer.write(write) }
        } else if kind == .postgres {
            try await run(writes.flatMap { write in write.arrayStatement.map { [$0] } ?? write.statements })
        } else {
            try await run(writes.flatMap(\.statements))
        }
    }

    /// A comma-separated column list qualified with a table alias for joins (`t.a, t.b`), each
    /// column renamed `<prefix><column>` when a prefix is given (read back with ``PrefixedRow``).
    static func qualified(_ columns: String, table: String, prefix: String? = nil) -> String {
        columns.split(separator: ",").map { column in
            let name = column.trimmingCharacters(in: .whitespacesAndNewlines)
            return prefix.map { "\(table).\(name) AS \($0)\(name)" } ?? "\(table).\(name)"
        }.joined(separator: ", ")
    }

    // MARK: Plans

    func insertPlan(_ plan: Plan, at: Date) async throws -> Bool {
        let rows = try await db.raw(
            """
            INSERT INTO plans (code, name, name_en, monthly_fee, currency, policy_code, created_at)
            VALUES (\(bind: plan.code), \(bind: plan.name), \(bind: plan.englishName), \(bind: plan.monthlyFee.amountMinor), \(bind: plan.monthlyFee.currency.code),
                    \(bind: plan.policyCode), \(bind: at.millis))
            ON CONFLICT DO NOTHING RETURNING code
            """
        ).all()
        return !rows.isEmpty
    }

    func plan(code: String) async throws -> Plan? {
        try await db.raw("SELECT code, name, name_en, monthly_fee, currency, policy_code FROM plans WHERE code = \(bind: code)").first()
            .map(
                Self.plan)
    }

    func plans() async throws -> [Plan] {
        try await db.raw("SELECT code, name, name_en, monthly_fee, currency, policy_code FROM plans ORDER BY code").all().map(Self.plan)
    }

    // MARK: Lines

    static let lineColumns = """
        id, msisdn, operator, plan_code, holder_name, status, balance, currency, created_at, policy_code, stage_since, \
        arrears_since, last_activity_at, valid_until, next_charge_at, review_at, quarantine_until
        """

    func insertLine(_ line: Line) async throws {
        let rows = try await db.raw(
            """
            INSERT INTO lines (id, msisdn, operator, plan_code, holder_name, status, balance, currency, created_at, updated_at,
              policy_code, stage_since, arrears_since, last_activity_at, valid_until, next_charge_at, review_at, quarantine_until)
            VALUES (\(bind: line.id), \(bind: line.msisdn.e164), \(bind: line.mobileOperator.rawValue), \(bind: line.planCode),
                    \(bind: line.holderName), \(bind: line.status.rawValue), \(bind: line.balance.amountMinor),
                    \(bind: line.balance.currency.code), \(bind: line.createdAt.millis), \(bind: line.createdAt.millis),
                    \(bind: line.policyCode), \(bind: line.retention.stageSince.millis), \(bind: line.retention.arrearsSince.map { Int64($0.dayNumber) }),
                    \(bind: line.retention.lastActivityAt.millis), \(bind: line.retention.validUntil.map { Int64($0.dayNumber) }),
                    \(bind: line.retention.nextChargeAt.map { Int64($0.dayNumber) }), \(bind: line.retention.reviewAt?.millis),
                    \(bind: line.retention.quarantineUntil?.millis))
            ON CONFLICT DO NOTHING RETURNING id
            """
        ).all()
        if rows.isEmpty { throw StoreError.duplicate("lines.msisdn") }
    }

    func line(msisdn: MSISDN) async throws -> Line? {
        try await db.raw(
            "SELECT \(unsafeRaw: Self.lineColumns) FROM lines WHERE msisdn = \(bind: msisdn.e164) AND status <> 'reclaimed'"
        ).first().map(Self.line)
    }

    func line(id: String, forUpdate: Bool) async throws -> Line? {
        try await db.raw(
            "SELECT \(unsafeRaw: Self.lineColumns) FROM lines WHERE id = \(bind: id)\(unsafeRaw: forUpdate ? forUpdateClause : "")"
        ).first().map(Self.line)
    }

    func lines(status: LineStatus?, after cursor: String?, limit: Int) async throws -> [Line] {
        var query = SQLQueryString("SELECT \(unsafeRaw: Self.lineColumns) FROM lines WHERE msisdn > \(bind: cursor ?? "")")
        if let status { query.appendInterpolation(unsafeRaw: " AND status = "); query.appendInterpolation(bind: status.rawValue) }
        query.appendInterpolation(unsafeRaw: " ORDER BY msisdn, created_at LIMIT \(limit)")
        return try await db.raw(query).all().map(Self.line)
    }

    func setStatus(lineID: String, to status: LineStatus, expected: LineStatus, at: Date) async throws -> Bool {
        let rows = try await db.raw(
            """
            UPDATE lines SET status = \(bind: status.rawValue), updated_at = \(bind: at.millis)
            WHERE id = \(bind: lineID) AND status = \(bind: expected.rawValue) RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    func setBalance(lineID: String, to balance: Money, expected: Money, at: Date) async throws -> Bool {
        let rows = try await db.raw(
            """
            UPDATE lines SET balance = \(bind: balance.amountMinor), updated_at = \(bind: at.millis)
            WHERE id = \(bind: lineID) AND balance = \(bind: expected.amountMinor) AND currency = \(bind: balance.currency.code)
            RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    // MARK: Orders

    static let orderColumns = """
        id, line_id, msisdn, channel, payment_method, amount, fee, total, currency, status, idempotency_key, \
        request_fingerprint, created_at, expires_at, paid_at, credited_at, provider_txn_id, receipt_no, late_payment, promotion_code, \
        offered_bonus
        """

    func insertOrder(_ order: RechargeOrder) async throws -> Bool {
        let rows = try await db.raw(
            """
            INSERT INTO recharge_orders (id, line_id, msisdn, channel, payment_method, amount, fee, total, currency, status,
              idempotency_key, request_fingerprint, created_at, expires_at, late_payment, updated_at, promotion_code, offered_bonus)
            VALUES (\(bind: order.id), \(bind: order.lineID), \(bind: order.msisdn.e164), \(bind: order.channel.rawValue),
              \(bind: order.paymentMethod.rawValue), \(bind: order.amount.amountMinor), \(bind: order.fee.amountMinor),
              \(bind: order.total.amountMinor), \(bind: order.total.currency.code), \(bind: order.status.rawValue),
              \(bind: order.idempotencyKey), \(bind: order.requestFingerprint), \(bind: order.createdAt.millis),
              \(bind: order.expiresAt.millis), \(bind: order.latePayment ? 1 : 0), \(bind: order.createdAt.millis),
              \(bind: order.promotionCode), \(bind: order.offeredBonus.amountMinor))
            ON CONFLICT DO NOTHING RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    func order(id: String, forUpdate: Bool) async throws -> RechargeOrder? {
        try await db.raw(
            "SELECT \(unsafeRaw: Self.orderColumns) FROM recharge_orders WHERE id = \(bind: id)\(unsafeRaw: forUpdate ? forUpdateClause : "")"
        ).first().map(Self.order)
    }

    func order(idempotencyKey: String) async throws -> RechargeOrder? {
        try await db.raw(
            "SELECT \(unsafeRaw: Self.orderColumns) FROM recharge_orders WHERE idempotency_key = \(bind: idempotencyKey)"
        ).first().map(Self.order)
    }

    func updateOrder(_ order: RechargeOrder, expected: OrderStatus, at: Date) async throws -> Bool {
        let now = at.millis
        let rows = try await db.raw(
            """
            UPDATE recharge_orders SET status = \(bind: order.status.rawValue), paid_at = \(bind: order.paidAt?.millis),
              credited_at = \(bind: order.creditedAt?.millis), provider_txn_id = \(bind: order.providerTransactionID),
              receipt_no = \(bind: order.receiptNumber), late_payment = \(bind: order.latePayment ? 1 : 0), updated_at = \(bind: now)
            WHERE id = \(bind: order.id) AND status = \(bind: expected.rawValue)
            RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    func orderStatuses(ids: [String]) async throws -> [String: OrderStatus] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await db.raw(
            "SELECT id, status FROM recharge_orders WHERE id IN (\(binds: Array(ids.prefix(1_000))))"
        ).all()
        var statuses: [String: OrderStatus] = [:]
        for row in rows {
            if let status = OrderStatus(rawValue: try row.decode(column: "status", as: String.self)) {
                statuses[try row.decode(column: "id", as: String.self)] = status
            }
        }
        return statuses
    }

    func orders(lineID: String, before: OrderCursor?, includeUnpaid: Bool, limit: Int) async throws -> [RechargeOrder] {
        var query: SQLQueryString = "SELECT \(unsafeRaw: Self.orderColumns) FROM recharge_orders WHERE line_id = \(bind: lineID)"
        if let before {
            query +=
                " AND (created_at < \(bind: before.createdAt.millis) OR (created_at = \(bind: before.createdAt.millis) AND id < \(bind: before.id)))"
        }
        if !includeUnpaid { query += " AND status NOT IN ('expired', 'cancelled', 'failed')" }
        query += " ORDER BY created_at DESC, id DESC LIMIT \(unsafeRaw: String(max(0, limit)))"
        return try await db.raw(query).all().map(Self.order)
    }

    func pendingOrders(lineID: String, at now: Date) async throws -> (count: Int, firstExpiry: Date?) {
        let row = try await db.raw(
            """
            SELECT COUNT(*) AS n, MIN(expires_at) AS first FROM recharge_orders
            WHERE line_id = \(bind: lineID) AND status = 'pending_payment' AND expires_at > \(bind: now.millis)
            """
        ).first()
        let count = try row?.decode(column: "n", as: Int.self) ?? 0
        let first = try row?.decode(column: "first", as: Int64?.self)
        return (count, first.map { Date(millis: $0) })
    }

    func purgeUnpaidOrders(before: Date, limit: Int) async throws -> Int {
        let ids = try await db.raw(
            """
            SELECT o.id FROM recharge_orders o
            WHERE o.status IN ('expired', 'cancelled', 'failed') AND o.expires_at < \(bind: before.millis) AND o.channel = 'online'
              AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id)
              AND NOT EXISTS (SELECT 1 FROM payment_notifications n WHERE n.order_id = o.id)
              AND NOT EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.order_id = o.id)
            ORDER BY o.expires_at LIMIT \(unsafeRaw: String(max(0, limit)))
            """
        ).all().map { try $0.decode(column: "id", as: String.self) }
        guard !ids.isEmpty else { return 0 }
        for table in ["payment_links", "reconciliations"] {
            try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE order_id IN (\(binds: ids))").run()
        }
        try await db.raw("DELETE FROM recharge_orders WHERE id IN (\(binds: ids))").run()
        return ids.count
    }

    func expireOrders(before: Date, limit: Int) async throws -> Int {
        let rows = try await db.raw(
            """
            UPDATE recharge_orders SET status = 'expired', updated_at = \(bind: before.millis)
            WHERE id IN (SELECT id FROM recharge_orders WHERE status = 'pending_payment' AND expires_at <= \(bind: before.millis)
                         ORDER BY expires_at LIMIT \(unsafeRaw: String(limit)))
              AND status = 'pending_payment'
            RETURNING id
            """
        ).all()
        return rows.count
    }

    // MARK: Payments and notifications

    static let paymentColumns = WrittenTables.payments.columnList

    func insertPayment(_ payment: PaymentRecord) async throws -> Bool {
        let rows = try await db.raw(
            WrittenTables.payments.insertStatement(payment, tail: " ON CONFLICT DO NOTHING RETURNING order_id")
        ).all()
        return !rows.isEmpty
    }

    func payment(provider: String, transactionID: String) async throws -> PaymentRecord? {
        guard
            let row = try await db.raw(
                """
                SELECT \(unsafeRaw: Self.paymentColumns) FROM payments
                WHERE provider = \(bind: provider) AND provider_txn_id = \(bind: transactionID)
                """
            ).first()
        else { return nil }
        return try Self.paymentRecord(row)
    }

    func recordNotification(_ record: NotificationRecord) async throws {
        try await db.raw(WrittenTables.notifications.insertStatement(record)).run()
    }

    func notifications(outcome: NotificationOutcome?, limit: Int) async throws -> [NotificationRecord] {
        var query = SQLQueryString("SELECT \(unsafeRaw: WrittenTables.notifications.columnList) FROM payment_notifications")
        if let outcome { query.appendInterpolation(unsafeRaw: " WHERE outcome = "); query.appendInterpolation(bind: outcome.rawValue) }
        query.appendInterpolation(unsafeRaw: " ORDER BY received_at DESC, id DESC LIMIT \(limit)")
        return try await db.raw(query).all().map { row in
            NotificationRecord(
                id: try row.decode(column: "id", as: String.self), provider: try row.decode(column: "provider", as: String.self),
                eventID: try row.decode(column: "event_id", as: String?.self),
                orderID: try row.decode(column: "order_id", as: String?.self),
                providerTransactionID: try row.decode(column: "provider_txn_id", as: String?.self),
                outcome: try Self.enumValue(row, "outcome", NotificationOutcome.self),
                reason: try row.decode(column: "reason", as: String?.self), receivedAt: try Self.date(row, "received_at"))
        }
    }

    // MARK: Ledger and receipts

    func appendTransfer(_ transfer: Transfer) async throws {
        let rows = try await db.raw(
            WrittenTables.transfers.insertStatement(transfer, tail: " ON CONFLICT DO NOTHING RETURNING id")
        ).all()
        if rows.isEmpty { throw StoreError.duplicate("ledger_transfers") }
        try await run([WrittenTables.postings.insert(Self.postingRows([transfer]))])
    }

    func transfers(account: LedgerAccount, limit: Int) async throws -> [Transfer] {
        try Self.transfers(
            from: try await db.raw(
                """
                SELECT t.id, t.kind, t.order_id, t.reverses, t.created_at, p.seq, p.account, p.amount, p.currency
                FROM ledger_transfers t JOIN ledger_postings p ON p.transfer_id = t.id
                WHERE t.id IN (SELECT transfer_id FROM ledger_postings WHERE account = \(bind: account.code)
                               ORDER BY created_at DESC, transfer_id DESC LIMIT \(unsafeRaw: String(limit)))
                ORDER BY t.created_at DESC, t.id DESC, p.seq
                """
            ).all())
    }

    func transfer(orderID: String) async throws -> Transfer? {
        try await transfer(whereClause: SQLQueryString("t.order_id = \(bind: orderID)"))
    }

    /// The one transfer (with its postings) that `whereClause` picks out of `ledger_transfers t`.
    func transfer(whereClause: SQLQueryString) async throws -> Transfer? {
        try Self.transfers(
            from: try await db.raw(
                """
                SELECT t.id, t.kind, t.order_id, t.reverses, t.created_at, p.seq, p.account, p.amount, p.currency
                FROM ledger_transfers t JOIN ledger_postings p ON p.transfer_id = t.id
                WHERE \(whereClause) ORDER BY p.seq
                """
            ).all()
        ).first
    }

    /// Transfers from rows of a transfer joined with its postings, grouped in row order.
    static func transfers(from rows: [any SQLRow]) throws -> [Transfer] {
        var transfers: [Transfer] = []
        var current: (id: String, kind: TransferKind, orderID: String?, reverses: String?, at: Date, postings: [Posting])? = nil
        func flush() throws {
            if let c = current {
                transfers.append(
                    try Transfer(id: c.id, kind: c.kind, orderID: c.orderID, reverses: c.reverses, postings: c.postings, createdAt: c.at))
            }
        }
        for row in rows {
            let id = try row.decode(column: "id", as: String.self)
            if current?.id != id {
                try flush()
                current = (
                    id, try Self.enumValue(row, "kind", TransferKind.self), try row.decode(column: "order_id", as: String?.self),
                    try row.decode(column: "reverses", as: String?.self), try Self.date(row, "created_at"), []
                )
            }
            let code = try row.decode(column: "account", as: String.self)
            guard let account = LedgerAccount(code: code) else { throw StoreError.corrupt("account \(code)") }
            current?.postings.append(Posting(account, try Self.money(row, "amount", "currency")))
        }
        try flush()
        return transfers
    }

    func insertReceipt(_ receipt: Receipt) async throws {
        let rows = try await db.raw(
            WrittenTables.receipts.insertStatement(receipt, tail: " ON CONFLICT DO NOTHING RETURNING receipt_no")
        ).all()
        if rows.isEmpty { throw StoreError.duplicate("receipts") }
    }

    func receipt(number: String) async throws -> Receipt? {
        guard
            let row = try await db.raw(
                """
                SELECT \(unsafeRaw: WrittenTables.receipts.columnList) FROM receipts WHERE receipt_no = \(bind: number)
                """
            ).first()
        else { return nil }
        let currency = try Self.currency(row, "currency")
        func money(_ column: String) throws -> Money { Money(try row.decode(column: column, as: Int64.self), currency) }
        var receipt = Receipt(
            number: try row.decode(column: "receipt_no", as: String.self), orderID: try row.decode(column: "order_id", as: String.self),
            lineID: try row.decode(column: "line_id", as: String.self), msisdn: try Self.msisdn(row, "msisdn"),
            mobileOperator: try Self.enumValue(row, "operator", MobileOperator.self),
            channel: try Self.enumValue(row, "channel", Channel.self),
            paymentMethod: try Self.enumValue(row, "payment_method", PaymentMethod.self),
            paymentProvider: try row.decode(column: "provider", as: String.self),
            providerTransactionID: try row.decode(column: "provider_txn_id", as: String.self),
            faceValue: try money("face_value"), amountPaid: try money("amount_paid"), fee: try money("fee"), bonus: try money("bonus"),
            balanceAfter: try money("balance_after"), paidAt: try Self.date(row, "paid_at"), creditedAt: try Self.date(row, "credited_at"),
            keepAliveZh: try row.decode(column: "keep_alive_zh", as: String?.self),
            keepAliveEn: try row.decode(column: "keep_alive_en", as: String?.self))
        if let void = try await db.raw("SELECT voided_at, reason FROM receipt_voids WHERE receipt_no = \(bind: number)").first() {
            receipt.voidedAt = try Self.date(void, "voided_at")
            receipt.voidReason = try void.decode(column: "reason", as: String.self)
        }
        return receipt
    }

    func recordPrint(number: String, format: String, at: Date, by staffID: String?) async throws -> ReceiptPrint? {
        let next =
            try await db.raw(
                "SELECT COALESCE(MAX(copy_no), 0) + 1 AS next FROM receipt_prints WHERE receipt_no = \(bind: number)"
            ).first()?.decode(column: "next", as: Int64.self) ?? 1
        let inserted = try await db.raw(
            """
            INSERT INTO receipt_prints (receipt_no, copy_no, format, printed_at, printed_by)
            VALUES (\(bind: number), \(bind: next), \(bind: format), \(bind: at.millis), \(bind: staffID))
            ON CONFLICT DO NOTHING RETURNING copy_no
            """
        ).all()
        guard !inserted.isEmpty else { return nil }
        return ReceiptPrint(receiptNumber: number, copyNumber: Int(next), format: format, printedAt: at, printedBy: staffID)
    }

    func voidReceipt(number: String, at: Date, reason: String) async throws -> Bool {
        !(try await db.raw(
            """
            INSERT INTO receipt_voids (receipt_no, voided_at, reason) VALUES (\(bind: number), \(bind: at.millis), \(bind: reason))
            ON CONFLICT DO NOTHING RETURNING receipt_no
            """
        ).all().isEmpty)
    }
}

extension Date {
    /// Unix milliseconds, the storage form of every time.
    var millis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    init(millis: Int64) { self.init(timeIntervalSince1970: Double(millis) / 1000) }
}
