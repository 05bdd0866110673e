import BaohaoDomain
import Foundation
import SQLKit

/// Partners, keys, deposits, top-ups, float movements and callbacks.
extension SQLSession {
    static let partnerColumns = "id, code, name, callback_url, rate_limit, pricing, currency, available, held, created_at, disabled_at"

    static func partner(_ row: any SQLRow) throws -> Partner {
        let currency = try currency(row, "currency")
        let pricing: PartnerPricing
        do { pricing = try StoredJSON.decode(PartnerPricing.self, try row.decode(column: "pricing", as: String.self)) } catch {
            throw StoreError.corrupt("partners.pricing: \(error)")
        }
        return Partner(
            id: try row.decode(column: "id", as: String.self), code: try row.decode(column: "code", as: String.self),
            name: try row.decode(column: "name", as: String.self), callbackURL: try row.decode(column: "callback_url", as: String?.self),
            rateLimit: Int(try row.decode(column: "rate_limit", as: Int64.self)), pricing: pricing,
            float: PartnerFloat(
                available: Money(try row.decode(column: "available", as: Int64.self), currency),
                held: Money(try row.decode(column: "held", as: Int64.self), currency)),
            createdAt: try date(row, "created_at"), disabledAt: try optionalDate(row, "disabled_at"))
    }

    func insertPartner(_ partner: Partner, key: PartnerKey) async throws -> Bool {
        let inserted =
            !(try await db.raw(
                """
                INSERT INTO partners (id, code, name, callback_url, rate_limit, pricing, currency, available, held, float_sequence, created_at,
                                      disabled_at)
                VALUES (\(bind: partner.id), \(bind: partner.code), \(bind: partner.name), \(bind: partner.callbackURL),
                        \(bind: Int64(partner.rateLimit)), \(bind: try StoredJSON.text(partner.pricing)), \(bind: partner.float.currency.code),
                        \(bind: partner.float.available.amountMinor), \(bind: partner.float.held.amountMinor), 0, \(bind: partner.createdAt.millis),
                        \(bind: partner.disabledAt?.millis))
                ON CONFLICT DO NOTHING RETURNING id
                """
            ).all().isEmpty)
        if inserted { try await insertPartnerKey(key) }
        return inserted
    }

    func partner(code: String) async throws -> Partner? {
        try await db.raw("SELECT \(unsafeRaw: Self.partnerColumns) FROM partners WHERE code = \(bind: code)").first().map(Self.partner)
    }

    func partner(id: String, forUpdate: Bool) async throws -> Partner? {
        try await db.raw(
            "SELECT \(unsafeRaw: Self.partnerColumns) FROM partners WHERE id = \(bind: id)\(unsafeRaw: forUpdate ? forUpdateClause : "")"
        ).first().map(Self.partner)
    }

    func partners() async throws -> [Partner] {
        try await db.raw("SELECT \(unsafeRaw: Self.partnerColumns) FROM partners ORDER BY code").all().map(Self.partner)
    }

    func updatePartnerSettings(_ partner: Partner) async throws {
        try await db.raw(
            """
            UPDATE partners SET name = \(bind: partner.name), callback_url = \(bind: partner.callbackURL),
              rate_limit = \(bind: Int64(partner.rateLimit)), pricing = \(bind: try StoredJSON.text(partner.pricing)),
              disabled_at = \(bind: partner.disabledAt?.millis)
            WHERE id = \(bind: partner.id)
            """
        ).run()
    }

    static func partnerKey(_ row: any SQLRow) throws -> PartnerKey {
        PartnerKey(
            keyID: try row.decode(column: "key_id", as: String.self), partnerID: try row.decode(column: "partner_id", as: String.self),
            sealedSecret: try row.decode(column: "sealed_secret", as: String.self), createdAt: try date(row, "created_at"),
            expiresAt: try optionalDate(row, "expires_at"))
    }

    func insertPartnerKey(_ key: PartnerKey) async throws {
        try await db.raw(
            """
            INSERT INTO partner_keys (key_id, partner_id, sealed_secret, created_at, expires_at)
            VALUES (\(bind: key.keyID), \(bind: key.partnerID), \(bind: key.sealedSecret), \(bind: key.createdAt.millis), \(bind: key.expiresAt?.millis))
            """
        ).run()
    }

    func partnerKey(keyID: String) async throws -> PartnerKey? {
        try await db.raw(
            "SELECT key_id, partner_id, sealed_secret, created_at, expires_at FROM partner_keys WHERE key_id = \(bind: keyID)"
        ).first().map(Self.partnerKey)
    }

    func partnerKeys(partnerID: String) async throws -> [PartnerKey] {
        try await db.raw(
            """
            SELECT key_id, partner_id, sealed_secret, created_at, expires_at FROM partner_keys WHERE partner_id = \(bind: partnerID)
            ORDER BY created_at DESC, key_id DESC
            """
        ).all().map(Self.partnerKey)
    }

    func expirePartnerKeys(partnerID: String, at: Date) async throws {
        try await db.raw(
            "UPDATE partner_keys SET expires_at = \(bind: at.millis) WHERE partner_id = \(bind: partnerID) AND expires_at IS NULL"
        ).run()
    }

    static let movementColumns = """
        id, partner_id, seq, kind, reference, topup_id, transfer_id, available_change, held_change, available_after, held_after, \
        currency, created_at
        """

    static func floatMovement(_ row: any SQLRow) throws -> FloatMovement {
        let currency = try currency(row, "currency")
        func money(_ column: String) throws -> Money { Money(try row.decode(column: column, as: Int64.self), currency) }
        let move = FloatMove(
            id: try row.decode(column: "id", as: String.self), partnerID: try row.decode(column: "partner_id", as: String.self),
            kind: try enumValue(row, "kind", FloatMovementKind.self), reference: try row.decode(column: "reference", as: String.self),
            topupID: try row.decode(column: "topup_id", as: String?.self),
            transferID: try row.decode(column: "transfer_id", as: String.self),
            availableChange: try money("available_change"), heldChange: try money("held_change"), at: try date(row, "created_at"))
        return move.recorded(
            sequence: try row.decode(column: "seq", as: Int64.self),
            after: PartnerFloat(available: try money("available_after"), held: try money("held_after")))
    }

    func moveFloat(_ move: FloatMove) async throws -> FloatMovement? {
        let available = move.availableChange.amountMinor
        let held = move.heldChange.amountMinor
        let update: SQLQueryString = """
            UPDATE partners SET available = available + \(bind: available), held = held + \(bind: held),
              float_sequence = float_sequence + 1
            WHERE id = \(bind: move.partnerID) AND available + \(bind: available) >= 0 AND held + \(bind: held) >= 0
            RETURNING available, held, currency, float_sequence
            """
        /// The movement's row, its sequence number and the float after read from `source`: the
        /// partner's row as the update left it.
        func record(from source: SQLQueryString) -> SQLQueryString {
            """
            INSERT INTO partner_float_movements (\(unsafeRaw: Self.movementColumns))
            SELECT \(bind: move.id), \(bind: move.partnerID), float_sequence, \(bind: move.kind.rawValue), \(bind: move.reference),
              \(bind: move.topupID), \(bind: move.transferID), \(bind: available), \(bind: held), available, held, currency,
              \(bind: move.at.millis)
            FROM \(source) RETURNING \(unsafeRaw: Self.movementColumns)
            """
        }
        let row: (any SQLRow)?
        if kind == .postgres {
            // One statement: the partner's row stays locked until the commit, and every other
            // top-up of this partner waits for it, so the lock is held for one round trip fewer.
            row = try await db.raw("WITH moved AS (" + update + ") " + record(from: "moved")).first()
        } else {
            // SQLite has no data-modifying `WITH` (and no round trip to save): the update, then the
            // row recorded from the partner it moved.
            guard try await db.raw(update).first() != nil else { return nil }
            row = try await db.raw(record(from: "partners WHERE id = \(bind: move.partnerID)")).first()
        }
        return try row.map(Self.floatMovement)
    }

    func floatMovements(partnerID: String, from: Date, to: Date) async throws -> [FloatMovement] {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.movementColumns) FROM partner_float_movements
            WHERE partner_id = \(bind: partnerID) AND created_at >= \(bind: from.millis) AND created_at < \(bind: to.millis)
            ORDER BY seq
            """
        ).all().map(Self.floatMovement)
    }

    func lastFloatMovement(partnerID: String, before date: Date) async throws -> FloatMovement? {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.movementColumns) FROM partner_float_movements
            WHERE partner_id = \(bind: partnerID) AND created_at < \(bind: date.millis) ORDER BY seq DESC LIMIT 1
            """
        ).first().map(Self.floatMovement)
    }

    func insertDeposit(_ deposit: PartnerDeposit) async throws -> Bool {
        !(try await db.raw(
            """
            INSERT INTO partner_deposits (partner_id, reference, amount, currency, transfer_id, recorded_by, created_at)
            VALUES (\(bind: deposit.partnerID), \(bind: deposit.reference), \(bind: deposit.amount.amountMinor),
                    \(bind: deposit.amount.currency.code), \(bind: deposit.transferID), \(bind: deposit.recordedBy), \(bind: deposit.at.millis))
            ON CONFLICT DO NOTHING RETURNING reference
            """
        ).all().isEmpty)
    }

    func deposit(partnerID: String, reference: String) async throws -> PartnerDeposit? {
        try await db.raw(
            """
            SELECT partner_id, reference, amount, currency, transfer_id, recorded_by, created_at FROM partner_deposits
            WHERE partner_id = \(bind: partnerID) AND reference = \(bind: reference)
            """
        ).first().map { row in
            PartnerDeposit(
                partnerID: try row.decode(column: "partner_id", as: String.self),
                reference: try row.decode(column: "reference", as: String.self),
                amount: try Self.money(row, "amount", "currency"), transferID: try row.decode(column: "transfer_id", as: String.self),
                recordedBy: try row.decode(column: "recorded_by", as: String.self), at: try Self.date(row, "created_at"))
        }
    }

    static let topupColumns = """
        id, partner_id, reference, order_id, msisdn_masked, amount, cost, currency, fingerprint, status, failure_reason, \
        hold_transfer_id, settle_transfer_id, receipt_no, created_at, updated_at
        """

    static func partnerTopup(_ row: any SQLRow) throws -> PartnerTopup {
        let currency = try currency(row, "currency")
        return PartnerTopup(
            id: try row.decode(column: "id", as: String.self), partnerID: try row.decode(column: "partner_id", as: String.self),
            reference: try row.decode(column: "reference", as: String.self), orderID: try row.decode(column: "order_id", as: String.self),
            msisdnMasked: try row.decode(column: "msisdn_masked", as: String.self),
            amount: Money(try row.decode(column: "amount", as: Int64.self), currency),
            cost: Money(try row.decode(column: "cost", as: Int64.self), currency),
            fingerprint: try row.decode(column: "fingerprint", as: String.self),
            status: try enumValue(row, "status", PartnerTopupStatus.self),
            failureReason: try row.decode(column: "failure_reason", as: String?.self),
            holdTransferID: try row.decode(column: "hold_transfer_id", as: String.self),
            settleTransferID: try row.decode(column: "settle_transfer_id", as: String?.self),
            receiptNumber: try row.decode(column: "receipt_no", as: String?.self), createdAt: try date(row, "created_at"),
            updatedAt: try date(row, "updated_at"))
    }

    func insertPartnerTopup(_ topup: PartnerTopup) async throws -> Bool {
        !(try await db.raw(
            """
            INSERT INTO partner_topups (\(unsafeRaw: Self.topupColumns))
            VALUES (\(bind: topup.id), \(bind: topup.partnerID), \(bind: topup.reference), \(bind: topup.orderID), \(bind: topup.msisdnMasked),
                    \(bind: topup.amount.amountMinor), \(bind: topup.cost.amountMinor), \(bind: topup.amount.currency.code),
                    \(bind: topup.fingerprint), \(bind: topup.status.rawValue), \(bind: topup.failureReason), \(bind: topup.holdTransferID),
                    \(bind: topup.settleTransferID), \(bind: topup.receiptNumber), \(bind: topup.createdAt.millis), \(bind: topup.updatedAt.millis))
            ON CONFLICT DO NOTHING RETURNING id
            """
        ).all().isEmpty)
    }

    func partnerTopup(partnerID: String, reference: String) async throws -> PartnerTopup? {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.topupColumns) FROM partner_topups WHERE partner_id = \(bind: partnerID) AND reference = \(bind: reference)
            """
        ).first().map(Self.partnerTopup)
    }

    func partnerTopup(id: String, forUpdate: Bool) async throws -> PartnerTopup? {
        try await db.raw(
            "SELECT \(unsafeRaw: Self.topupColumns) FROM partner_topups WHERE id = \(bind: id)\(unsafeRaw: forUpdate ? forUpdateClause : "")"
        ).first().map(Self.partnerTopup)
    }

    func updatePartnerTopup(_ topup: PartnerTopup, expected: PartnerTopupStatus) async throws -> Bool {
        !(try await db.raw(
            """
            UPDATE partner_topups SET status = \(bind: topup.status.rawValue), failure_reason = \(bind: topup.failureReason),
              settle_transfer_id = \(bind: topup.settleTransferID), receipt_no = \(bind: topup.receiptNumber),
              updated_at = \(bind: topup.updatedAt.millis)
            WHERE id = \(bind: topup.id) AND status = \(bind: expected.rawValue) RETURNING id
            """
        ).all().isEmpty)
    }

    func acceptedPartnerTopups(before date: Date, limit: Int) async throws -> [PartnerTopup] {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.topupColumns) FROM partner_topups WHERE status = 'accepted' AND created_at < \(bind: date.millis)
            ORDER BY created_at LIMIT \(unsafeRaw: String(max(limit, 0)))
            """
        ).all().map(Self.partnerTopup)
    }

    func creditedPartnerVolume(since from: Date) async throws -> [String: (count: Int, amount: Int64)] {
        var result: [String: (count: Int, amount: Int64)] = [:]
        for row in try await db.raw(
            """
            SELECT partner_id, COUNT(*) AS n, CAST(SUM(amount) AS BIGINT) AS total FROM partner_topups
            WHERE status = 'credited' AND updated_at >= \(bind: from.millis) GROUP BY partner_id
            """
        ).all() {
            result[try row.decode(column: "partner_id", as: String.self)] = (
                Int(try row.decode(column: "n", as: Int64.self)), try row.decode(column: "total", as: Int64.self)
            )
        }
        return result
    }

    static let callbackColumns = """
        event_id, partner_id, topup_id, type, body, status, attempts, next_attempt_at, last_http_status, last_error, created_at, delivered_at
        """

    static func partnerCallback(_ row: any SQLRow) throws -> PartnerCallback {
        PartnerCallback(
            eventID: try row.decode(column: "event_id", as: String.self), partnerID: try row.decode(column: "partner_id", as: String.self),
            topupID: try row.decode(column: "topup_id", as: String.self), type: try enumValue(row, "type", PartnerCallbackType.self),
            body: try row.decode(column: "body", as: String.self), status: try enumValue(row, "status", PartnerCallbackStatus.self),
            attempts: Int(try row.decode(column: "attempts", as: Int64.self)), nextAttemptAt: try date(row, "next_attempt_at"),
            lastHTTPStatus: try row.decode(column: "last_http_status", as: Int64?.self).map(Int.init),
            lastError: try row.decode(column: "last_error", as: String?.self), createdAt: try date(row, "created_at"),
            deliveredAt: try optionalDate(row, "delivered_at"))
    }

    func insertCallback(_ callback: PartnerCallback) async throws {
        try await db.raw(
            """
            INSERT INTO partner_callbacks (\(unsafeRaw: Self.callbackColumns))
            VALUES (\(bind: callback.eventID), \(bind: callback.partnerID), \(bind: callback.topupID), \(bind: callback.type.rawValue),
                    \(bind: callback.body), \(bind: callback.status.rawValue), \(bind: Int64(callback.attempts)),
                    \(bind: callback.nextAttemptAt.millis), \(bind: callback.lastHTTPStatus.map(Int64.init)), \(bind: callback.lastError),
                    \(bind: callback.createdAt.millis), \(bind: callback.deliveredAt?.millis))
            """
        ).run()
    }

    func callback(eventID: String) async throws -> PartnerCallback? {
        try await db.raw("SELECT \(unsafeRaw: Self.callbackColumns) FROM partner_callbacks WHERE event_id = \(bind: eventID)").first()
            .map(Self.partnerCallback)
    }

    func dueCallbacks(at now: Date, limit: Int) async throws -> [PartnerCallback] {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.callbackColumns) FROM partner_callbacks WHERE status = 'pending' AND next_attempt_at <= \(bind: now.millis)
            ORDER BY next_attempt_at LIMIT \(unsafeRaw: String(max(limit, 0)))
            """
        ).all().map(Self.partnerCallback)
    }

    func claimCallback(eventID: String, expected: Date, leaseUntil: Date) async throws -> Bool {
        !(try await db.raw(
            """
            UPDATE partner_callbacks SET next_attempt_at = \(bind: leaseUntil.millis)
            WHERE event_id = \(bind: eventID) AND status = 'pending' AND next_attempt_at = \(bind: expected.millis) RETURNING event_id
            """
        ).all().isEmpty)
    }

    func updateCallback(_ callback: PartnerCallback) async throws {
        try await db.raw(
            """
            UPDATE partner_callbacks SET status = \(bind: callback.status.rawValue), attempts = \(bind: Int64(callback.attempts)),
              next_attempt_at = \(bind: callback.nextAttemptAt.millis), last_http_status = \(bind: callback.lastHTTPStatus.map(Int64.init)),
              last_error = \(bind: callback.lastError), delivered_at = \(bind: callback.deliveredAt?.millis)
            WHERE event_id = \(bind: callback.eventID)
            """
        ).run()
    }

    func insertCallbackAttempt(_ attempt: PartnerCallbackAttempt) async throws {
        try await db.raw(
            """
            INSERT INTO partner_callback_attempts (event_id, number, attempted_at, http_status, error, duration_ms)
            VALUES (\(bind: attempt.eventID), \(bind: Int64(attempt.number)), \(bind: attempt.at.millis),
                    \(bind: attempt.httpStatus.map(Int64.init)), \(bind: attempt.error), \(bind: Int64(attempt.durationMillis)))
            """
        ).run()
    }

    func callbacks(partnerID: String, status: PartnerCallbackStatus?, limit: Int) async throws -> [PartnerCallback] {
        let filter: SQLQueryString = status.map { "AND status = \(bind: $0.rawValue)" } ?? ""
        return try await db.raw(
            """
            SELECT \(unsafeRaw: Self.callbackColumns) FROM partner_callbacks WHERE partner_id = \(bind: partnerID) \(filter)
            ORDER BY created_at DESC, event_id DESC LIMIT \(unsafeRaw: String(max(limit, 0)))
            """
        ).all().map(Self.partnerCallback)
    }

    func failingCallbackCounts() async throws -> [String: Int] {
        var result: [String: Int] = [:]
        for row in try await db.raw(
            """
            SELECT partner_id, COUNT(*) AS n FROM partner_callbacks
            WHERE status = 'abandoned' OR (status = 'pending' AND attempts > 0) GROUP BY partner_id
            """
        ).all() {
            result[try row.decode(column: "partner_id", as: String.self)] = Int(try row.decode(column: "n", as: Int64.self))
        }
        return result
    }

    func callbackAttempts(eventID: String) async throws -> [PartnerCallbackAttempt] {
        try await db.raw(
            """
            SELECT event_id, number, attempted_at, http_status, error, duration_ms FROM partner_callback_attempts
            WHERE event_id = \(bind: eventID) ORDER BY number
            """
        ).all().map { row in
            PartnerCallbackAttempt(
                eventID: try row.decode(column: "event_id", as: String.self), number: Int(try row.decode(column: "number", as: Int64.self)),
                at: try Self.date(row, "attempted_at"), httpStatus: try row.decode(column: "http_status", as: Int64?.self).map(Int.init),
                error: try row.decode(column: "error", as: String?.self),
                durationMillis: Int(try row.decode(column: "duration_ms", as: Int64.self)))
        }
    }
}
