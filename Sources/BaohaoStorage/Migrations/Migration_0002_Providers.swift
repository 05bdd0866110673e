/// Real payment providers: what each returned when a payment started, the reconciler's asks,
/// and settlement runs.
enum Migration_0002_Providers {
    static let migration = Migration(version: 2, name: "providers") { _ in
        [
            """
            CREATE TABLE payment_links (
              order_id TEXT PRIMARY KEY REFERENCES recharge_orders(id), provider TEXT NOT NULL, pay_url TEXT, qr_code TEXT,
              provider_reference TEXT, created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE reconciliations (
              order_id TEXT PRIMARY KEY REFERENCES recharge_orders(id), attempts BIGINT NOT NULL, last_result TEXT,
              next_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE settlement_runs (
              id TEXT PRIMARY KEY, provider TEXT NOT NULL, day TEXT NOT NULL, matched BIGINT NOT NULL, matched_total BIGINT NOT NULL,
              currency TEXT NOT NULL, missing_ours BIGINT NOT NULL, missing_theirs BIGINT NOT NULL, mismatches BIGINT NOT NULL,
              created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX payments_provider_paid ON payments (provider, paid_at)",
        ]
    }
}
