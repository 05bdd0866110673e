/// Plans, lines, recharge orders, payments, notifications, the ledger and receipts.
/// Money is BIGINT minor units beside a currency column; times are BIGINT Unix milliseconds.
enum Migration_0001_Core {
    static let migration = Migration(version: 1, name: "core") { kind in
        var statements = [
            """
            CREATE TABLE plans (
              code TEXT PRIMARY KEY, name TEXT NOT NULL, monthly_fee BIGINT NOT NULL CHECK (monthly_fee >= 0),
              currency TEXT NOT NULL, created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE lines (
              id TEXT PRIMARY KEY, msisdn TEXT NOT NULL, operator TEXT NOT NULL,
              plan_code TEXT NOT NULL REFERENCES plans(code), holder_name TEXT NOT NULL, status TEXT NOT NULL,
              balance BIGINT NOT NULL, currency TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            "CREATE UNIQUE INDEX lines_msisdn_in_service ON lines (msisdn) WHERE status <> 'reclaimed'",
            "CREATE INDEX lines_status_msisdn ON lines (status, msisdn)",
            """
            CREATE TABLE recharge_orders (
              id TEXT PRIMARY KEY, line_id TEXT NOT NULL REFERENCES lines(id), msisdn TEXT NOT NULL,
              channel TEXT NOT NULL, payment_method TEXT NOT NULL,
              amount BIGINT NOT NULL CHECK (amount > 0), fee BIGINT NOT NULL CHECK (fee >= 0),
              total BIGINT NOT NULL CHECK (total = amount + fee), currency TEXT NOT NULL, status TEXT NOT NULL,
              idempotency_key TEXT UNIQUE, request_fingerprint TEXT,
              created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, paid_at BIGINT, credited_at BIGINT,
              provider_txn_id TEXT, receipt_no TEXT, late_payment BIGINT NOT NULL DEFAULT 0, updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX recharge_orders_line ON recharge_orders (line_id, created_at)",
            "CREATE INDEX recharge_orders_due ON recharge_orders (status, expires_at)",
            """
            CREATE TABLE payments (
              provider TEXT NOT NULL, provider_txn_id TEXT NOT NULL, order_id TEXT NOT NULL REFERENCES recharge_orders(id),
              amount BIGINT NOT NULL, currency TEXT NOT NULL, paid_at BIGINT NOT NULL, recorded_at BIGINT NOT NULL,
              needs_refund BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (provider, provider_txn_id))
            """,
            "CREATE INDEX payments_order ON payments (order_id)",
            """
            CREATE TABLE payment_notifications (
              id TEXT PRIMARY KEY, provider TEXT NOT NULL, event_id TEXT, order_id TEXT, provider_txn_id TEXT,
              outcome TEXT NOT NULL, reason TEXT, received_at BIGINT NOT NULL)
            """,
            "CREATE INDEX payment_notifications_outcome ON payment_notifications (outcome, received_at)",
            """
            CREATE TABLE ledger_transfers (
              id TEXT PRIMARY KEY, kind TEXT NOT NULL, order_id TEXT UNIQUE REFERENCES recharge_orders(id),
              created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE ledger_postings (
              transfer_id TEXT NOT NULL REFERENCES ledger_transfers(id), seq BIGINT NOT NULL, account TEXT NOT NULL,
              amount BIGINT NOT NULL CHECK (amount <> 0), currency TEXT NOT NULL, created_at BIGINT NOT NULL,
              PRIMARY KEY (transfer_id, seq))
            """,
            "CREATE INDEX ledger_postings_account ON ledger_postings (account, created_at)",
            """
            CREATE TABLE receipts (
              receipt_no TEXT PRIMARY KEY, order_id TEXT NOT NULL UNIQUE REFERENCES recharge_orders(id),
              line_id TEXT NOT NULL, msisdn TEXT NOT NULL, operator TEXT NOT NULL, channel TEXT NOT NULL,
              payment_method TEXT NOT NULL, provider TEXT NOT NULL, provider_txn_id TEXT NOT NULL,
              face_value BIGINT NOT NULL, amount_paid BIGINT NOT NULL, fee BIGINT NOT NULL, bonus BIGINT NOT NULL,
              balance_after BIGINT NOT NULL, currency TEXT NOT NULL, paid_at BIGINT NOT NULL, credited_at BIGINT NOT NULL)
            """,
        ]
        // The ledger is append-only: the database itself refuses to change or remove history.
        for table in ["ledger_transfers", "ledger_postings", "receipts"] { statements += Migration.appendOnly(table, kind) }
        if kind == .postgres {
            statements.insert(
                """
                CREATE OR REPLACE FUNCTION baohao_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$
                """, at: 0)
        }
        return statements
    }
}
