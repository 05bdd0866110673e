import BaohaoDomain
import Foundation
import SQLKit

extension SQLSession {
    static let staffColumns =
        "id, username, display_name, role, password_hash, failed_sign_ins, locked_until, disabled_at, created_at, outlet_code"

    static func staffAccount(_ row: any SQLRow) throws -> StaffAccount {
        let role = try row.decode(column: "role", as: String.self)
        guard let parsed = StaffRole(rawValue: role) else { throw StoreError.corrupt("staff role \(role)") }
        return StaffAccount(
            id: try row.decode(column: "id", as: String.self), username: try row.decode(column: "username", as: String.self),
            displayName: try row.decode(column: "display_name", as: String.self), role: parsed,
            passwordHash: try row.decode(column: "password_hash", as: String.self),
            failedSignIns: Int(try row.decode(column: "failed_sign_ins", as: Int64.self)),
            lockedUntil: try optionalDate(row, "locked_until"), disabledAt: try optionalDate(row, "disabled_at"),
            createdAt: try date(row, "created_at"), outletCode: try row.decode(column: "outlet_code", as: String?.self))
    }

    func insertStaff(_ a: StaffAccount) async throws {
        try await db.raw(
            """
            INSERT INTO staff_accounts (id, username, display_name, role, password_hash, failed_sign_ins, locked_until, disabled_at,
                                        created_at, updated_at, outlet_code)
            VALUES (\(bind: a.id), \(bind: a.username), \(bind: a.displayName), \(bind: a.role.rawValue), \(bind: a.passwordHash),
                    \(bind: Int64(a.failedSignIns)), \(bind: a.lockedUntil?.millis), \(bind: a.disabledAt?.millis),
                    \(bind: a.createdAt.millis), \(bind: a.createdAt.millis), \(bind: a.outletCode))
            """
        ).run()
    }

    func staff(username: String) async throws -> StaffAccount? {
        try await db.raw("SELECT \(unsafeRaw: Self.staffColumns) FROM staff_accounts WHERE username = \(bind: username)").first()
            .map(Self.staffAccount)
    }

    func staff(id: String) async throws -> StaffAccount? {
        try await db.raw("SELECT \(unsafeRaw: Self.staffColumns) FROM staff_accounts WHERE id = \(bind: id)").first()
            .map(Self.staffAccount)
    }

    func staffAccounts() async throws -> [StaffAccount] {
        try await db.raw("SELECT \(unsafeRaw: Self.staffColumns) FROM staff_accounts ORDER BY username LIMIT 1000").all()
            .map(Self.staffAccount)
    }

    func updateStaff(_ a: StaffAccount, at: Date) async throws {
        try await db.raw(
            """
            UPDATE staff_accounts SET display_name = \(bind: a.displayName), role = \(bind: a.role.rawValue),
              password_hash = \(bind: a.passwordHash), failed_sign_ins = \(bind: Int64(a.failedSignIns)),
              locked_until = \(bind: a.lockedUntil?.millis), disabled_at = \(bind: a.disabledAt?.millis), updated_at = \(bind: at.millis),
              outlet_code = \(bind: a.outletCode)
            WHERE id = \(bind: a.id)
            """
        ).run()
    }

    func insertStaffSession(_ s: StaffSession) async throws {
        try await db.raw(
            """
            INSERT INTO staff_sessions (token_hash, staff_id, kind, created_at, expires_at, last_seen_at)
            VALUES (\(bind: s.tokenHash), \(bind: s.staffID), \(bind: s.kind.rawValue), \(bind: s.createdAt.millis),
                    \(bind: s.expiresAt.millis), \(bind: s.lastSeenAt.millis))
            """
        ).run()
    }

    func staffSession(tokenHash: String) async throws -> StaffSession? {
        try await db.raw(
            "SELECT token_hash, staff_id, kind, created_at, expires_at, last_seen_at FROM staff_sessions WHERE token_hash = \(bind: tokenHash)"
        ).first().map { row in
            let kind = try row.decode(column: "kind", as: String.self)
            guard let parsed = StaffSession.Kind(rawValue: kind) else { throw StoreError.corrupt("staff session kind \(kind)") }
            return StaffSession(
                tokenHash: try row.decode(column: "token_hash", as: String.self),
                staffID: try row.decode(column: "staff_id", as: String.self), kind: parsed,
                createdAt: try Self.date(row, "created_at"), expiresAt: try Self.date(row, "expires_at"),
                lastSeenAt: try Self.date(row, "last_seen_at"))
        }
    }

    func touchStaffSession(tokenHash: String, at: Date) async throws {
        try await db.raw("UPDATE staff_sessions SET last_seen_at = \(bind: at.millis) WHERE token_hash = \(bind: tokenHash)").run()
    }

    func deleteStaffSession(tokenHash: String) async throws {
        try await db.raw("DELETE FROM staff_sessions WHERE token_hash = \(bind: tokenHash)").run()
    }

    func deleteStaffSessions(staffID: String) async throws {
        try await db.raw("DELETE FROM staff_sessions WHERE staff_id = \(bind: staffID)").run()
    }

    func rechargeTallies(from: Date, until: Date) async throws -> [RechargeTally] {
        try await db.raw(
            """
            SELECT channel, payment_method, currency, COUNT(*) AS n, CAST(SUM(amount) AS BIGINT) AS amount, CAST(SUM(fee) AS BIGINT) AS fees
            FROM recharge_orders WHERE credited_at >= \(bind: from.millis) AND credited_at < \(bind: until.millis)
            GROUP BY channel, payment_method, currency ORDER BY channel, payment_method, currency
            """
        ).all().map { row in
            RechargeTally(
                channel: try row.decode(column: "channel", as: String.self),
                paymentMethod: try row.decode(column: "payment_method", as: String.self),
                count: Int(try row.decode(column: "n", as: Int64.self)), amount: try Self.money(row, "amount", "currency"),
                fees: try Self.money(row, "fees", "currency"))
        }
    }

    /// Beijing keeps UTC+8 all year: a millisecond instant's Beijing day is plain integer arithmetic,
    /// the same on SQLite and PostgreSQL.
    static func beijingDay(_ column: String) -> String { "((\(8 * 3_600_000) + \(column)) / 86400000)" }

    func dailyCredits(from: Date, until: Date) async throws -> [DailyCredit] {
        let day = Self.beijingDay("credited_at")
        return try await db.raw(
            """
            SELECT \(unsafeRaw: day) AS day, channel, currency, CAST(SUM(amount) AS BIGINT) AS amount
            FROM recharge_orders WHERE credited_at >= \(bind: from.millis) AND credited_at < \(bind: until.millis)
            GROUP BY \(unsafeRaw: day), channel, currency
            """
        ).all().map { row in
            DailyCredit(
                day: LocalDate(dayNumber: Int(try row.decode(column: "day", as: Int64.self))),
                channel: try row.decode(column: "channel", as: String.self), amount: try Self.money(row, "amount", "currency"))
        }
    }

    func dailyStageMoves(since from: Date) async throws -> [DailyStageMove] {
        let day = Self.beijingDay("recorded_at")
        return try await db.raw(
            """
            SELECT \(unsafeRaw: day) AS day, from_stage, to_stage, COUNT(*) AS n FROM line_stage_events
            WHERE recorded_at >= \(bind: from.millis) GROUP BY \(unsafeRaw: day), from_stage, to_stage
            """
        ).all().map { row in
            let from = try row.decode(column: "from_stage", as: String.self)
            let to = try row.decode(column: "to_stage", as: String.self)
            guard let fromStage = LineStatus(rawValue: from), let toStage = LineStatus(rawValue: to) else {
                throw StoreError.corrupt("stage event \(from) → \(to)")
            }
            return DailyStageMove(
                day: LocalDate(dayNumber: Int(try row.decode(column: "day", as: Int64.self))), from: fromStage, to: toStage,
                count: Int(try row.decode(column: "n", as: Int64.self)))
        }
    }

    func dailyLinesAdded(since from: Date) async throws -> [LocalDate: Int] {
        let day = Self.beijingDay("created_at")
        var added: [LocalDate: Int] = [:]
        for row in try await db.raw(
            "SELECT \(unsafeRaw: day) AS day, COUNT(*) AS n FROM lines WHERE created_at >= \(bind: from.millis) GROUP BY \(unsafeRaw: day)"
        ).all() {
            added[LocalDate(dayNumber: Int(try row.decode(column: "day", as: Int64.self)))] = Int(
                try row.decode(column: "n", as: Int64.self))
        }
        return added
    }

    func lineCountsByStatus() async throws -> [LineStatus: Int] {
        var counts: [LineStatus: Int] = [:]
        for row in try await db.raw("SELECT status, COUNT(*) AS n FROM lines GROUP BY status").all() {
            let raw = try row.decode(column: "status", as: String.self)
            guard let status = LineStatus(rawValue: raw) else { throw StoreError.corrupt("line status \(raw)") }
            counts[status] = Int(try row.decode(column: "n", as: Int64.self))
        }
        return counts
    }

    func lines(statuses: [LineStatus], limit: Int) async throws -> [Line] {
        guard !statuses.isEmpty else { return [] }
        var query = SQLQueryString("SELECT \(unsafeRaw: Self.lineColumns) FROM lines WHERE status IN (")
        for (i, status) in statuses.enumerated() {
            if i > 0 { query.appendInterpolation(unsafeRaw: ", ") }
            query.appendInterpolation(bind: status.rawValue)
        }
        query.appendInterpolation(unsafeRaw: ") ORDER BY COALESCE(review_at, 9000000000000000), id LIMIT \(max(limit, 0))")
        return try await db.raw(query).all().map(Self.line)
    }

    func notificationCount(outcome: NotificationOutcome, since: Date) async throws -> Int {
        let row = try await db.raw(
            "SELECT COUNT(*) AS n FROM payment_notifications WHERE outcome = \(bind: outcome.rawValue) AND received_at >= \(bind: since.millis)"
        ).first()
        return Int(try row?.decode(column: "n", as: Int64.self) ?? 0)
    }

    func purgeSignIns(
        codesCreatedBefore: Date, subscriberSessionsSeenBefore: Date, staffSessionsSeenBefore: Date, staffTokensSeenBefore: Date,
        now: Date
    ) async throws -> Int {
        var deleted = 0
        let statements: [SQLQueryString] = [
            "DELETE FROM code_challenges WHERE created_at < \(bind: codesCreatedBefore.millis) RETURNING id",
            """
            DELETE FROM subscriber_sessions WHERE last_seen_at < \(bind: subscriberSessionsSeenBefore.millis)
              OR expires_at <= \(bind: now.millis) RETURNING token_hash
            """,
            """
            DELETE FROM staff_sessions WHERE (kind = 'browser' AND last_seen_at < \(bind: staffSessionsSeenBefore.millis))
              OR (kind = 'token' AND last_seen_at < \(bind: staffTokensSeenBefore.millis)) OR expires_at <= \(bind: now.millis)
              RETURNING token_hash
            """,
        ]
        for statement in statements { deleted += try await db.raw(statement).all().count }
        return deleted
    }
}
