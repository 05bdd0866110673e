/// Recharge cards (充值卡): batches, one row per card with the keyed hash of its PIN (never the
/// PIN), and the audit trail of every change. A PIN hash and a serial are each unique; a card is
/// used by at most one order. And the inbound text messages already answered (SMS commands).
enum Migration_0017_Vouchers {
    static let migration = Migration(version: 17, name: "vouchers") { kind in
        [
            """
            CREATE TABLE voucher_batches (
              id TEXT PRIMARY KEY, face BIGINT NOT NULL CHECK (face > 0), currency TEXT NOT NULL, count BIGINT NOT NULL,
              expires_on TEXT NOT NULL, first_serial TEXT NOT NULL, last_serial TEXT NOT NULL, created_by TEXT NOT NULL,
              created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE vouchers (
              serial TEXT PRIMARY KEY, batch_id TEXT NOT NULL REFERENCES voucher_batches(id), pin_hash TEXT NOT NULL UNIQUE,
              face BIGINT NOT NULL, currency TEXT NOT NULL, expires_on TEXT NOT NULL, state TEXT NOT NULL, activated_at BIGINT,
              used_at BIGINT, used_order_id TEXT UNIQUE REFERENCES recharge_orders(id), used_on_masked TEXT, frozen_reason TEXT,
              CHECK (state IN ('issued', 'active', 'used', 'frozen')), CHECK ((state = 'used') = (used_order_id IS NOT NULL)))
            """,
            "CREATE INDEX vouchers_batch ON vouchers (batch_id, state)",
            "CREATE INDEX vouchers_used ON vouchers (used_at) WHERE used_at IS NOT NULL",
            """
            CREATE TABLE voucher_events (
              id TEXT PRIMARY KEY, kind TEXT NOT NULL, batch_id TEXT, from_serial TEXT NOT NULL, to_serial TEXT NOT NULL,
              count BIGINT NOT NULL, by_whom TEXT NOT NULL, reason TEXT, at BIGINT NOT NULL)
            """,
            "CREATE INDEX voucher_events_at ON voucher_events (at DESC)",
            // Inbound text messages answered, by the gateway's message id: a retry gets the first answer.
            "CREATE TABLE inbound_messages (message_id TEXT PRIMARY KEY, reply TEXT NOT NULL, received_at BIGINT NOT NULL)",
        ]
    }
}
