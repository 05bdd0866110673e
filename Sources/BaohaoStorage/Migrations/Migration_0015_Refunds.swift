/// Refunds (退费): one row per refund with its maker-checker decision, the transfers that took,
/// paid out or gave back its money, and the provider's answer; at most one automatic refund per
/// provider transaction. Payments flagged for a refund are found by a partial index.
enum Migration_0015_Refunds {
    static let migration = Migration(version: 15, name: "refunds") { kind in
        [
            """
            CREATE TABLE refunds (
              id TEXT PRIMARY KEY, order_id TEXT NOT NULL REFERENCES recharge_orders(id), line_id TEXT NOT NULL,
              provider TEXT NOT NULL, provider_txn_id TEXT NOT NULL, source TEXT NOT NULL, amount BIGINT NOT NULL CHECK (amount > 0),
              line_part BIGINT NOT NULL CHECK (line_part >= 0), fee_part BIGINT NOT NULL CHECK (fee_part >= 0), currency TEXT NOT NULL,
              reason TEXT NOT NULL, automatic BIGINT NOT NULL, status TEXT NOT NULL, requested_by TEXT, requested_by_subscriber TEXT,
              requested_at BIGINT NOT NULL,
              decided_by TEXT, decided_at BIGINT, decision_reason TEXT,
              transfer_id TEXT REFERENCES ledger_transfers(id), payout_transfer_id TEXT REFERENCES ledger_transfers(id),
              cancel_transfer_id TEXT REFERENCES ledger_transfers(id), provider_refund_id TEXT, attempts BIGINT NOT NULL,
              next_attempt_at BIGINT, last_error TEXT, completed_at BIGINT, resolved_by TEXT, resolution_reason TEXT,
              FOREIGN KEY (provider, provider_txn_id) REFERENCES payments(provider, provider_txn_id),
              CHECK (line_part + fee_part = amount OR source = 'suspense'))
            """,
            "CREATE INDEX refunds_order ON refunds (order_id, requested_at)",
            "CREATE INDEX refunds_status ON refunds (status, requested_at DESC)",
            "CREATE INDEX refunds_due ON refunds (next_attempt_at) WHERE status = 'processing' AND next_attempt_at IS NOT NULL",
            "CREATE UNIQUE INDEX refunds_automatic ON refunds (provider, provider_txn_id) WHERE automatic = 1",
            "CREATE INDEX payments_needing_refund ON payments (recorded_at) WHERE needs_refund = 1",
        ]
    }
}
