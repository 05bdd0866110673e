/// Counter shifts: one open shift per clerk, Z numbers in sequence per outlet.
enum Migration_0010_CounterShifts {
    static let migration = Migration(version: 10, name: "counter_shifts") { _ in
        [
            "ALTER TABLE outlets ADD COLUMN last_z_number BIGINT NOT NULL DEFAULT 0",
            """
            CREATE TABLE counter_shifts (
              id TEXT PRIMARY KEY, outlet_code TEXT NOT NULL REFERENCES outlets(code),
              clerk_id TEXT NOT NULL REFERENCES staff_accounts(id), status TEXT NOT NULL, opened_at BIGINT NOT NULL,
              opening_float BIGINT NOT NULL, currency TEXT NOT NULL, closed_at BIGINT, z_number BIGINT, z_report TEXT)
            """,
            "CREATE UNIQUE INDEX counter_shifts_one_open ON counter_shifts (clerk_id) WHERE status = 'open'",
            "CREATE UNIQUE INDEX counter_shifts_z_number ON counter_shifts (outlet_code, z_number)",
            "CREATE INDEX counter_shifts_outlet ON counter_shifts (outlet_code, opened_at)",
        ]
    }
}
