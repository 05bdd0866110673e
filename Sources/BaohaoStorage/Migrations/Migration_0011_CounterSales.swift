/// Counter sales: one per recharge order, in a shift, with what the clerk took and checked.
enum Migration_0011_CounterSales {
    static let migration = Migration(version: 11, name: "counter_sales") { _ in
        [
            """
            CREATE TABLE counter_sales (
              id TEXT PRIMARY KEY, order_id TEXT NOT NULL UNIQUE REFERENCES recharge_orders(id),
              shift_id TEXT NOT NULL REFERENCES counter_shifts(id), clerk_id TEXT NOT NULL REFERENCES staff_accounts(id),
              tender TEXT NOT NULL, amount BIGINT NOT NULL, fee BIGINT NOT NULL, total BIGINT NOT NULL, currency TEXT NOT NULL,
              tendered BIGINT, change_given BIGINT, card_terminal_ref TEXT, id_hash TEXT, id_masked TEXT, fingerprint TEXT NOT NULL,
              created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX counter_sales_shift ON counter_sales (shift_id, created_at)",
        ]
    }
}
