import BaohaoDomain
import Foundation
import SQLKit

extension SQLSession {
    func insertSubscriberAccount(_ account: SubscriberAccount) async throws {
        try await db.raw(
            """
            INSERT INTO subscriber_accounts (id, created_at, calendar_key)
            VALUES (\(bind: account.id), \(bind: account.createdAt.millis), \(bind: account.calendarKey))
            """
        ).run()
    }

    static func subscriberAccount(_ row: any SQLRow) throws -> SubscriberAccount {
        SubscriberAccount(
            id: try row.decode(column: "id", as: String.self), createdAt: try date(row, "created_at"),
            calendarKey: try row.decode(column: "calendar_key", as: String?.self))
    }

    func subscriberAccount(id: String) async throws -> SubscriberAccount? {
        try await db.raw("SELECT id, created_at, calendar_key FROM subscriber_accounts WHERE id = \(bind: id)").first()
            .map(Self.subscriberAccount)
    }

    func subscriberAccount(calendarKey: String) async throws -> SubscriberAccount? {
        try await db.raw("SELECT id, created_at, calendar_key FROM subscriber_accounts WHERE calendar_key = \(bind: calendarKey)").first()
            .map(Self.subscriberAccount)
    }

    func setCalendarKey(accountID: String, key: String?) async throws {
        try await db.raw("UPDATE subscriber_accounts SET calendar_key = \(bind: key) WHERE id = \(bind: accountID)").run()
    }

    func linkNumber(lineID: String, accountID: String, at: Date) async throws {
        try await db.raw(
            """
            INSERT INTO subscriber_lines (line_id, account_id, verified_at) VALUES (\(bind: lineID), \(bind: accountID), \(bind: at.millis))
            ON CONFLICT (line_id) DO UPDATE SET account_id = excluded.account_id, verified_at = excluded.verified_at
            """
        ).run()
    }

    func accountID(lineID: String) async throws -> String? {
        try await db.raw("SELECT account_id FROM subscriber_lines WHERE line_id = \(bind: lineID)").first()
            .map { try $0.decode(column: "account_id", as: String.self) }
    }

    func linkedLines(accountID: String) async throws -> [Line] {
        let columns = Self.qualified(Self.lineColumns, table: "l")
        return try await db.raw(
            """
            SELECT \(unsafeRaw: columns) FROM subscriber_lines s JOIN lines l ON l.id = s.line_id
            WHERE s.account_id = \(bind: accountID) ORDER BY s.verified_at, l.id
            """
        ).all().map(Self.line)
    }

    func insertCodeChallenge(_ c: CodeChallenge) async throws {
        try await db.raw(
            """
            INSERT INTO code_challenges (id, msisdn, purpose, account_id, code_hash, attempts, client_key, created_at, expires_at, consumed_at)
            VALUES (\(bind: c.id), \(bind: c.msisdn.e164), \(bind: c.purpose.rawValue), \(bind: c.accountID), \(bind: c.codeHash),
                    \(bind: Int64(c.attempts)), \(bind: c.clientKey), \(bind: c.createdAt.millis), \(bind: c.expiresAt.millis),
                    \(bind: c.consumedAt?.millis))
            """
        ).run()
    }

    func codeChallenge(id: String, forUpdate: Bool) async throws -> CodeChallenge? {
        try await db.raw(
            """
            SELECT id, msisdn, purpose, account_id, code_hash, attempts, client_key, created_at, expires_at, consumed_at
            FROM code_challenges WHERE id = \(bind: id)\(unsafeRaw: forUpdate ? forUpdateClause : "")
            """
        ).first().map { row in
            CodeChallenge(
                id: try row.decode(column: "id", as: String.self), msisdn: try Self.msisdn(row, "msisdn"),
                purpose: try Self.enumValue(row, "purpose", CodePurpose.self),
                accountID: try row.decode(column: "account_id", as: String?.self),
                codeHash: try row.decode(column: "code_hash", as: String.self),
                attempts: Int(try row.decode(column: "attempts", as: Int64.self)),
                clientKey: try row.decode(column: "client_key", as: String.self), createdAt: try Self.date(row, "created_at"),
                expiresAt: try Self.date(row, "expires_at"),
                consumedAt: try row.decode(column: "consumed_at", as: Int64?.self).map { Date(timeIntervalSince1970: Double($0) / 1000) })
        }
    }

    func updateCodeChallenge(_ c: CodeChallenge) async throws {
        try await db.raw(
            """
            UPDATE code_challenges SET attempts = \(bind: Int64(c.attempts)), consumed_at = \(bind: c.consumedAt?.millis)
            WHERE id = \(bind: c.id)
            """
        ).run()
    }

    func codeActivity(msisdn: MSISDN, since: Date) async throws -> CodeActivity {
        let row = try await db.raw(
            """
            SELECT COUNT(*) AS codes, CAST(COALESCE(SUM(attempts), 0) AS BIGINT) AS failed, MAX(created_at) AS last
            FROM code_challenges WHERE msisdn = \(bind: msisdn.e164) AND created_at >= \(bind: since.millis)
            """
        ).first()
        guard let row else { return CodeActivity(codes: 0, failedAttempts: 0, lastCreatedAt: nil) }
        return CodeActivity(
            codes: Int(try row.decode(column: "codes", as: Int64.self)),
            failedAttempts: Int(try row.decode(column: "failed", as: Int64.self)),
            lastCreatedAt: try row.decode(column: "last", as: Int64?.self).map { Date(timeIntervalSince1970: Double($0) / 1000) })
    }

    func codeCount(clientKey: String, since: Date) async throws -> Int {
        let row = try await db.raw(
            "SELECT COUNT(*) AS n FROM code_challenges WHERE client_key = \(bind: clientKey) AND created_at >= \(bind: since.millis)"
        ).first()
        return Int(try row?.decode(column: "n", as: Int64.self) ?? 0)
    }

    func insertSubscriberSession(_ s: SubscriberSession) async throws {
        try await db.raw(
            """
            INSERT INTO subscriber_sessions (token_hash, account_id, created_at, expires_at, last_seen_at)
            VALUES (\(bind: s.tokenHash), \(bind: s.accountID), \(bind: s.createdAt.millis), \(bind: s.expiresAt.millis),
                    \(bind: s.lastSeenAt.millis))
            """
        ).run()
    }

    func subscriberSession(tokenHash: String) async throws -> SubscriberSession? {
        try await db.raw(
            "SELECT token_hash, account_id, created_at, expires_at, last_seen_at FROM subscriber_sessions WHERE token_hash = \(bind: tokenHash)"
        ).first().map { row in
            SubscriberSession(
                tokenHash: try row.decode(column: "token_hash", as: String.self),
                accountID: try row.decode(column: "account_id", as: String.self),
                createdAt: try Self.date(row, "created_at"), expiresAt: try Self.date(row, "expires_at"),
                lastSeenAt: try Self.date(row, "last_seen_at"))
        }
    }

    func touchSubscriberSession(tokenHash: String, at: Date) async throws {
        try await db.raw("UPDATE subscriber_sessions SET last_seen_at = \(bind: at.millis) WHERE token_hash = \(bind: tokenHash)").run()
    }

    func deleteSubscriberSession(tokenHash: String) async throws {
        try await db.raw("DELETE FROM subscriber_sessions WHERE token_hash = \(bind: tokenHash)").run()
    }
}
