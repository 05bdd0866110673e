/// Staff tokens for terminals and scripts live beside console sessions (so every way of ending an
/// account's sessions ends its tokens too), told apart by `kind`.
enum Migration_0008_StaffTokens {
    static let migration = Migration(version: 8, name: "staff_tokens") { _ in
        ["ALTER TABLE staff_sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'browser'"]
    }
}
