/// Business halls, and the outlet a clerk is bound to.
enum Migration_0009_Outlets {
    static let migration = Migration(version: 9, name: "outlets") { _ in
        [
            """
            CREATE TABLE outlets (
              code TEXT PRIMARY KEY, name TEXT NOT NULL, address TEXT NOT NULL, created_at BIGINT NOT NULL, disabled_at BIGINT)
            """,
            "ALTER TABLE staff_accounts ADD COLUMN outlet_code TEXT REFERENCES outlets(code)",
        ]
    }
}
