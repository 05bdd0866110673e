/// Staff two-factor authentication: the TOTP secret, sealed with the server's two-factor key;
/// the last step used (a code is good once); and the hashes of one-use recovery codes.
enum Migration_0019_StaffTwoFactor {
    static let migration = Migration(version: 19, name: "staff two-factor") { _ in
        [
            """
            CREATE TABLE staff_two_factor (
              staff_id TEXT PRIMARY KEY REFERENCES staff_accounts(id), sealed_secret TEXT NOT NULL, enabled_at BIGINT,
              last_step BIGINT NOT NULL DEFAULT 0)
            """,
            """
            CREATE TABLE staff_recovery_codes (
              staff_id TEXT NOT NULL REFERENCES staff_accounts(id), code_hash TEXT NOT NULL, created_at BIGINT NOT NULL,
              used_at BIGINT, PRIMARY KEY (staff_id, code_hash))
            """,
        ]
    }
}
