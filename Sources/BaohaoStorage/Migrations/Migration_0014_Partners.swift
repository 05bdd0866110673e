/// Partners (第三方平台): the partner with its cached float (never below zero), its keys with the
/// secrets sealed, deposits (one per reference), top-ups (one per reference), the float's
/// movements (the statement's rows, append-only), and the callback outbox with its attempts.
enum Migration_0014_Partners {
    static let migration = Migration(version: 14, name: "partners") { kind in
        var statements = [
            """
            CREATE TABLE partners (
              id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, callback_url TEXT, rate_limit BIGINT NOT NULL,
              pricing TEXT NOT NULL, currency TEXT NOT NULL, available BIGINT NOT NULL CHECK (available >= 0),
              held BIGINT NOT NULL CHECK (held >= 0), float_sequence BIGINT NOT NULL, created_at BIGINT NOT NULL, disabled_at BIGINT)
            """,
            """
            CREATE TABLE partner_keys (
              key_id TEXT PRIMARY KEY, partner_id TEXT NOT NULL REFERENCES partners(id), sealed_secret TEXT NOT NULL,
              created_at BIGINT NOT NULL, expires_at BIGINT)
            """,
            "CREATE INDEX partner_keys_partner ON partner_keys (partner_id, created_at DESC)",
            """
            CREATE TABLE partner_deposits (
              partner_id TEXT NOT NULL REFERENCES partners(id), reference TEXT NOT NULL, amount BIGINT NOT NULL, currency TEXT NOT NULL,
              transfer_id TEXT NOT NULL REFERENCES ledger_transfers(id), recorded_by TEXT NOT NULL, created_at BIGINT NOT NULL,
              PRIMARY KEY (partner_id, reference))
            """,
            """
            CREATE TABLE partner_topups (
              id TEXT PRIMARY KEY, partner_id TEXT NOT NULL REFERENCES partners(id), reference TEXT NOT NULL,
              order_id TEXT NOT NULL UNIQUE REFERENCES recharge_orders(id), msisdn_masked TEXT NOT NULL, amount BIGINT NOT NULL,
              cost BIGINT NOT NULL, currency TEXT NOT NULL, fingerprint TEXT NOT NULL, status TEXT NOT NULL, failure_reason TEXT,
              hold_transfer_id TEXT NOT NULL REFERENCES ledger_transfers(id), settle_transfer_id TEXT REFERENCES ledger_transfers(id),
              receipt_no TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, UNIQUE (partner_id, reference))
            """,
            "CREATE INDEX partner_topups_accepted ON partner_topups (created_at) WHERE status = 'accepted'",
            "CREATE INDEX partner_topups_credited ON partner_topups (updated_at, partner_id) WHERE status = 'credited'",
            """
            CREATE TABLE partner_float_movements (
              id TEXT PRIMARY KEY, partner_id TEXT NOT NULL REFERENCES partners(id), seq BIGINT NOT NULL, kind TEXT NOT NULL,
              reference TEXT NOT NULL,
              topup_id TEXT, transfer_id TEXT NOT NULL REFERENCES ledger_transfers(id), available_change BIGINT NOT NULL,
              held_change BIGINT NOT NULL, available_after BIGINT NOT NULL, held_after BIGINT NOT NULL, currency TEXT NOT NULL,
              created_at BIGINT NOT NULL, UNIQUE (partner_id, seq))
            """,
            "CREATE INDEX partner_float_movements_time ON partner_float_movements (partner_id, created_at)",
            """
            CREATE TABLE partner_callbacks (
              event_id TEXT PRIMARY KEY, partner_id TEXT NOT NULL REFERENCES partners(id), topup_id TEXT NOT NULL REFERENCES partner_topups(id),
              type TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL, attempts BIGINT NOT NULL, next_attempt_at BIGINT NOT NULL,
              last_http_status BIGINT, last_error TEXT, created_at BIGINT NOT NULL, delivered_at BIGINT)
            """,
            "CREATE INDEX partner_callbacks_due ON partner_callbacks (next_attempt_at) WHERE status = 'pending'",
            "CREATE INDEX partner_callbacks_partner ON partner_callbacks (partner_id, created_at DESC)",
            """
            CREATE TABLE partner_callback_attempts (
              event_id TEXT NOT NULL REFERENCES partner_callbacks(event_id), number BIGINT NOT NULL, attempted_at BIGINT NOT NULL,
              http_status BIGINT, error TEXT, duration_ms BIGINT NOT NULL, PRIMARY KEY (event_id, number))
            """,
        ]
        for table in ["partner_deposits", "partner_float_movements", "partner_callback_attempts"] {
            statements += Migration.appendOnly(table, kind)
        }
        return statements
    }
}
