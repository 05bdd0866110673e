/// Staff accounts (bcrypt hashes only) and console sessions (token hashes only); an index for the
/// console's "credited today" totals.
enum Migration_0005_Staff {
    static let migration = Migration(version: 5, name: "staff") { _ in
        [
            """
            CREATE TABLE staff_accounts (
              id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL, role TEXT NOT NULL,
              password_hash TEXT NOT NULL, failed_sign_ins BIGINT NOT NULL DEFAULT 0, locked_until BIGINT, disabled_at BIGINT,
              created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE staff_sessions (
              token_hash TEXT PRIMARY KEY, staff_id TEXT NOT NULL REFERENCES staff_accounts(id), created_at BIGINT NOT NULL,
              expires_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL)
            """,
            "CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id)",
            "CREATE INDEX recharge_orders_credited ON recharge_orders (credited_at) WHERE credited_at IS NOT NULL",
        ]
    }
}
