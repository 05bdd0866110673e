/// Voids and printed copies: a reversing transfer points at the transfer it reverses; a sale keeps
/// its void and the validity it bought; receipts get append-only void marks and a print log.
enum Migration_0012_Voids {
    static let migration = Migration(version: 12, name: "voids_and_prints") { kind in
        var statements = [
            "ALTER TABLE ledger_transfers ADD COLUMN reverses TEXT REFERENCES ledger_transfers(id)",
            "CREATE INDEX ledger_transfers_reverses ON ledger_transfers (reverses) WHERE reverses IS NOT NULL",
            "ALTER TABLE counter_sales ADD COLUMN valid_until_before BIGINT",
            "ALTER TABLE counter_sales ADD COLUMN valid_until_after BIGINT",
            "ALTER TABLE counter_sales ADD COLUMN voided_at BIGINT",
            "ALTER TABLE counter_sales ADD COLUMN void_reason TEXT",
            "ALTER TABLE counter_sales ADD COLUMN void_transfer_id TEXT REFERENCES ledger_transfers(id)",
            """
            CREATE TABLE receipt_voids (
              receipt_no TEXT PRIMARY KEY REFERENCES receipts(receipt_no), voided_at BIGINT NOT NULL, reason TEXT NOT NULL)
            """,
            """
            CREATE TABLE receipt_prints (
              receipt_no TEXT NOT NULL REFERENCES receipts(receipt_no), copy_no BIGINT NOT NULL, format TEXT NOT NULL,
              printed_at BIGINT NOT NULL, printed_by TEXT, PRIMARY KEY (receipt_no, copy_no))
            """,
        ]
        for table in ["receipt_voids", "receipt_prints"] { statements += Migration.appendOnly(table, kind) }
        return statements
    }
}
