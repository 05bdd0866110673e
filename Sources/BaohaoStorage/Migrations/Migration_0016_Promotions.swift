/// Promotions (优惠活动): one row per promotion with its rules and its usage, one row per bonus
/// paid, and the promotion an order was offered. Also the counter shift a counter sale's refund
/// was paid back in. The budget's limits are also checks on the row,
/// so no writer, whatever its path, can spend past them.
enum Migration_0016_Promotions {
    static let migration = Migration(version: 16, name: "promotions") { kind in
        [
            """
            CREATE TABLE promotions (
              code TEXT PRIMARY KEY, name_zh TEXT NOT NULL, name_en TEXT NOT NULL, starts_at BIGINT NOT NULL, ends_at BIGINT NOT NULL,
              channels TEXT NOT NULL, payment_methods TEXT, face_values TEXT, minimum BIGINT, currency TEXT NOT NULL,
              bonus_fixed BIGINT, bonus_bps BIGINT, bonus_cap BIGINT, first_recharge_only BIGINT NOT NULL, per_number_limit BIGINT,
              budget_count BIGINT, budget_amount BIGINT, funded_by TEXT NOT NULL, created_by TEXT NOT NULL, created_at BIGINT NOT NULL,
              ended_at BIGINT, ended_by TEXT, used_count BIGINT NOT NULL DEFAULT 0, used_amount BIGINT NOT NULL DEFAULT 0,
              CHECK (starts_at < ends_at), CHECK ((bonus_fixed IS NULL) <> (bonus_bps IS NULL)),
              CHECK ((budget_count IS NULL) <> (budget_amount IS NULL)),
              CHECK (budget_count IS NULL OR used_count <= budget_count), CHECK (budget_amount IS NULL OR used_amount <= budget_amount))
            """,
            "CREATE INDEX promotions_window ON promotions (ends_at)",
            "CREATE INDEX promotions_created ON promotions (created_at DESC)",
            """
            CREATE TABLE promotion_uses (
              order_id TEXT PRIMARY KEY REFERENCES recharge_orders(id), promotion_code TEXT NOT NULL REFERENCES promotions(code),
              line_id TEXT NOT NULL, bonus BIGINT NOT NULL CHECK (bonus > 0), currency TEXT NOT NULL, transfer_id TEXT NOT NULL UNIQUE,
              created_at BIGINT NOT NULL, clawed_back BIGINT NOT NULL DEFAULT 0 CHECK (clawed_back >= 0 AND clawed_back <= bonus))
            """,
            "CREATE INDEX promotion_uses_line ON promotion_uses (promotion_code, line_id)",
            "ALTER TABLE recharge_orders ADD COLUMN promotion_code TEXT",
            "ALTER TABLE recharge_orders ADD COLUMN offered_bonus BIGINT NOT NULL DEFAULT 0",
            // A counter sale's refund is paid back at a counter: the shift and the till's tender.
            "ALTER TABLE refunds ADD COLUMN payout_shift_id TEXT REFERENCES counter_shifts(id)",
            "ALTER TABLE refunds ADD COLUMN payout_tender TEXT",
            "CREATE INDEX refunds_payout_shift ON refunds (payout_shift_id) WHERE payout_shift_id IS NOT NULL",
        ]
    }
}
