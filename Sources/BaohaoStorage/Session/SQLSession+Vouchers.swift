import BaohaoDomain
import Foundation
import SQLKit

/// Recharge cards, their batches and their audit trail.
extension SQLSession {
    static let voucherColumns =
        "serial, batch_id, pin_hash, face, currency, expires_on, state, activated_at, used_at, used_order_id, used_on_masked, frozen_reason"
    static let voucherBatchColumns = "id, face, currency, count, expires_on, first_serial, last_serial, created_by, created_at"
    static let voucherEventColumns = "id, kind, batch_id, from_serial, to_serial, count, by_whom, reason, at"

    /// A batch's cards as written, many to a statement.
    static let vouchersTable = WrittenTable<Voucher>(
        table: "vouchers",
        columns: [
            .text("serial") { $0.serial }, .text("batch_id") { $0.batchID }, .text("pin_hash") { $0.pinHash },
            .int("face") { $0.face.amountMinor }, .text("currency") { $0.face.currency.code }, .text("expires_on") { $0.expiresOn.iso },
            .text("state") { $0.stored.rawValue }, .optionalInt("activated_at") { $0.activatedAt?.millis },
        ])

    static func localDate(_ row: any SQLRow, _ column: String) throws -> LocalDate {
        let text = try row.decode(column: column, as: String.self)
        guard let date = LocalDate(iso: text) else { throw StoreError.corrupt("\(column): \(text)") }
        return date
    }

    static func voucher(_ row: any SQLRow) throws -> Voucher {
        let currency = try currency(row, "currency")
        return Voucher(
            serial: try row.decode(column: "serial", as: String.self), batchID: try row.decode(column: "batch_id", as: String.self),
            pinHash: try row.decode(column: "pin_hash", as: String.self),
            face: Money(try row.decode(column: "face", as: Int64.self), currency),
            expiresOn: try localDate(row, "expires_on"), stored: try enumValue(row, "state", VoucherState.self),
            activatedAt: try optionalDate(row, "activated_at"), usedAt: try optionalDate(row, "used_at"),
            usedOrderID: try row.decode(column: "used_order_id", as: String?.self),
            usedOnMasked: try row.decode(column: "used_on_masked", as: String?.self),
            frozenReason: try row.decode(column: "frozen_reason", as: String?.self))
    }

    static func voucherBatch(_ row: any SQLRow) throws -> VoucherBatch {
        VoucherBatch(
            id: try row.decode(column: "id", as: String.self),
            face: Money(try row.decode(column: "face", as: Int64.self), try currency(row, "currency")),
            count: Int(try row.decode(column: "count", as: Int64.self)), expiresOn: try localDate(row, "expires_on"),
            firstSerial: try row.decode(column: "first_serial", as: String.self),
            lastSerial: try row.decode(column: "last_serial", as: String.self),
            createdBy: try row.decode(column: "created_by", as: String.self), createdAt: try date(row, "created_at"))
    }

    static func voucherEvent(_ row: any SQLRow) throws -> VoucherEvent {
        VoucherEvent(
            id: try row.decode(column: "id", as: String.self), kind: try enumValue(row, "kind", VoucherEvent.Kind.self),
            batchID: try row.decode(column: "batch_id", as: String?.self),
            fromSerial: try row.decode(column: "from_serial", as: String.self),
            toSerial: try row.decode(column: "to_serial", as: String.self), count: Int(try row.decode(column: "count", as: Int64.self)),
            by: try row.decode(column: "by_whom", as: String.self), reason: try row.decode(column: "reason", as: String?.self),
            at: try date(row, "at"))
    }

    func insertVoucherBatch(_ batch: VoucherBatch, vouchers: [Voucher]) async throws -> Bool {
        let inserted = try await db.raw(
            """
            INSERT INTO voucher_batches (\(unsafeRaw: Self.voucherBatchColumns))
            VALUES (\(bind: batch.id), \(bind: batch.face.amountMinor), \(bind: batch.face.currency.code), \(bind: Int64(batch.count)),
                    \(bind: batch.expiresOn.iso), \(bind: batch.firstSerial), \(bind: batch.lastSerial), \(bind: batch.createdBy),
                    \(bind: batch.createdAt.millis))
            ON CONFLICT DO NOTHING RETURNING id
            """
        ).all()
        guard !inserted.isEmpty else { return false }
        for chunk in vouchers.chunked(BufferedCreditSession.rowsPerStatement) {
            try await run([Self.vouchersTable.insert(chunk)])
        }
        return true
    }

    func voucherBatches(limit: Int) async throws -> [VoucherBatch] {
        try await db.raw(
            "SELECT \(unsafeRaw: Self.voucherBatchColumns) FROM voucher_batches ORDER BY created_at DESC, id LIMIT \(unsafeRaw: String(limit))"
        ).all().map(Self.voucherBatch)
    }

    func voucherBatch(id: String) async throws -> VoucherBatch? {
        try await db.raw("SELECT \(unsafeRaw: Self.voucherBatchColumns) FROM voucher_batches WHERE id = \(bind: id)").first()
            .map(Self.voucherBatch)
    }

    func voucherCounts(batchID: String) async throws -> [VoucherState: Int] {
        var counts: [VoucherState: Int] = [:]
        for row in try await db.raw("SELECT state, count(*) AS n FROM vouchers WHERE batch_id = \(bind: batchID) GROUP BY state").all() {
            counts[try Self.enumValue(row, "state", VoucherState.self)] = Int(try row.decode(column: "n", as: Int64.self))
        }
        return counts
    }

    func voucher(serial: String) async throws -> Voucher? {
        try await db.raw("SELECT \(unsafeRaw: Self.voucherColumns) FROM vouchers WHERE serial = \(bind: serial)").first().map(Self.voucher)
    }

    func voucher(pinHash: String, forUpdate: Bool) async throws -> Voucher? {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.voucherColumns) FROM vouchers WHERE pin_hash = \(bind: pinHash)\(unsafeRaw: forUpdate ? forUpdateClause : "")
            """
        ).first().map(Self.voucher)
    }

    func changeVouchers(
        from first: String, to last: String, batchID: String?, states: Set<VoucherState>, change: VoucherChange, at: Date
    ) async throws -> (count: Int, face: Int64) {
        var query = SQLQueryString("UPDATE vouchers SET ")
        switch change {
        case .activate:
            query.appendInterpolation(unsafeRaw: "state = 'active', activated_at = ")
            query.appendInterpolation(bind: at.millis)
        case .freeze(let reason):
            query.appendInterpolation(unsafeRaw: "state = 'frozen', frozen_reason = ")
            query.appendInterpolation(bind: reason)
        case .unfreeze:
            query.appendInterpolation(
                unsafeRaw: "state = CASE WHEN activated_at IS NULL THEN 'issued' ELSE 'active' END, frozen_reason = NULL")
        }
        query.appendInterpolation(unsafeRaw: " WHERE serial >= ")
        query.appendInterpolation(bind: first)
        query.appendInterpolation(unsafeRaw: " AND serial <= ")
        query.appendInterpolation(bind: last)
        query.appendInterpolation(unsafeRaw: " AND length(serial) = ")
        query.appendInterpolation(bind: Int64(first.count))
        if let batchID {
            query.appendInterpolation(unsafeRaw: " AND batch_id = ")
            query.appendInterpolation(bind: batchID)
        }
        query.appendInterpolation(unsafeRaw: " AND state IN (")
        BufferedCreditSession.appendList(states.map(\.rawValue).sorted(), to: &query)
        query.appendInterpolation(unsafeRaw: " RETURNING face")
        let rows = try await db.raw(query).all()
        return (rows.count, try rows.reduce(0) { $0 + (try $1.decode(column: "face", as: Int64.self)) })
    }

    func useVoucher(serial: String, orderID: String, msisdnMasked: String, at: Date) async throws -> Bool {
        !(try await db.raw(
            """
            UPDATE vouchers SET state = 'used', used_at = \(bind: at.millis), used_order_id = \(bind: orderID),
              used_on_masked = \(bind: msisdnMasked)
            WHERE serial = \(bind: serial) AND state = 'active' RETURNING serial
            """
        ).all().isEmpty)
    }

    func insertVoucherEvent(_ event: VoucherEvent) async throws {
        try await db.raw(
            """
            INSERT INTO voucher_events (\(unsafeRaw: Self.voucherEventColumns))
            VALUES (\(bind: event.id), \(bind: event.kind.rawValue), \(bind: event.batchID), \(bind: event.fromSerial), \(bind: event.toSerial),
                    \(bind: Int64(event.count)), \(bind: event.by), \(bind: event.reason), \(bind: event.at.millis))
            """
        ).run()
    }

    func voucherEvents(limit: Int) async throws -> [VoucherEvent] {
        try await db.raw(
            "SELECT \(unsafeRaw: Self.voucherEventColumns) FROM voucher_events ORDER BY at DESC, id DESC LIMIT \(unsafeRaw: String(limit))"
        ).all().map(Self.voucherEvent)
    }

    func redeemedVouchers(from: Date, to: Date, limit: Int) async throws -> [Voucher] {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.voucherColumns) FROM vouchers WHERE used_at >= \(bind: from.millis) AND used_at < \(bind: to.millis)
            ORDER BY used_at, serial LIMIT \(unsafeRaw: String(max(1, limit)))
            """
        ).all().map(Self.voucher)
    }
}

/// Inbound text messages already answered.
extension SQLSession {
    func inboundMessage(messageID: String) async throws -> (reply: String, at: Date)? {
        guard let row = try await db.raw("SELECT reply, received_at FROM inbound_messages WHERE message_id = \(bind: messageID)").first()
        else { return nil }
        return (try row.decode(column: "reply", as: String.self), try Self.date(row, "received_at"))
    }

    func recordInbound(messageID: String, reply: String, at: Date) async throws -> Bool {
        !(try await db.raw(
            """
            INSERT INTO inbound_messages (message_id, reply, received_at) VALUES (\(bind: messageID), \(bind: reply), \(bind: at.millis))
            ON CONFLICT DO NOTHING RETURNING message_id
            """
        ).all().isEmpty)
    }
}
