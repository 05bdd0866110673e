/// Hotline calls: one row a call with its dialog (JSON, never card data), the last answer for
/// retried webhooks, and the charge guard (the order being charged, the order paid).
enum Migration_0013_IVRCalls {
    static let migration = Migration(version: 13, name: "ivr_calls") { _ in
        [
            """
            CREATE TABLE ivr_calls (
              id TEXT PRIMARY KEY, front_end TEXT NOT NULL, caller_masked TEXT NOT NULL, dialog TEXT NOT NULL,
              turn BIGINT NOT NULL, last_turn TEXT, outcome TEXT NOT NULL, steps TEXT NOT NULL, order_id TEXT REFERENCES recharge_orders(id),
              charging_order_id TEXT REFERENCES recharge_orders(id), charged_order_id TEXT REFERENCES recharge_orders(id), card_last4 TEXT,
              started_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, ended_at BIGINT)
            """,
            "CREATE INDEX ivr_calls_started ON ivr_calls (started_at DESC, id DESC)",
            "CREATE UNIQUE INDEX ivr_calls_charged_order ON ivr_calls (charged_order_id) WHERE charged_order_id IS NOT NULL",
        ]
    }
}
