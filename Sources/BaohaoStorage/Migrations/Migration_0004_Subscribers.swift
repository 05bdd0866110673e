/// Subscriber sign-in: accounts, the lines each proved by SMS code, code challenges (hashes only)
/// and browser sessions (token hashes only).
enum Migration_0004_Subscribers {
    static let migration = Migration(version: 4, name: "subscribers") { _ in
        [
            "CREATE TABLE subscriber_accounts (id TEXT PRIMARY KEY, created_at BIGINT NOT NULL, calendar_key TEXT UNIQUE)",
            """
            CREATE TABLE subscriber_lines (
              line_id TEXT PRIMARY KEY REFERENCES lines(id), account_id TEXT NOT NULL REFERENCES subscriber_accounts(id),
              verified_at BIGINT NOT NULL)
            """,
            "CREATE INDEX subscriber_lines_account ON subscriber_lines (account_id)",
            """
            CREATE TABLE code_challenges (
              id TEXT PRIMARY KEY, msisdn TEXT NOT NULL, purpose TEXT NOT NULL, account_id TEXT, code_hash TEXT NOT NULL,
              attempts BIGINT NOT NULL DEFAULT 0, client_key TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
              consumed_at BIGINT)
            """,
            "CREATE INDEX code_challenges_msisdn ON code_challenges (msisdn, created_at)",
            "CREATE INDEX code_challenges_client ON code_challenges (client_key, created_at)",
            """
            CREATE TABLE subscriber_sessions (
              token_hash TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES subscriber_accounts(id), created_at BIGINT NOT NULL,
              expires_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL)
            """,
            "CREATE INDEX subscriber_sessions_account ON subscriber_sessions (account_id)",
        ]
    }
}
