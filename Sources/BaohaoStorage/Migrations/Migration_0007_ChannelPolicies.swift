/// Channel policies as operator data: each channel's current version, and the append-only history
/// of every version with who set it (the database refuses to change or remove history).
enum Migration_0007_ChannelPolicies {
    static let migration = Migration(version: 7, name: "channel_policies") { kind in
        var statements = [
            """
            CREATE TABLE channel_policies (
              channel TEXT PRIMARY KEY, version BIGINT NOT NULL, body TEXT NOT NULL, updated_at BIGINT NOT NULL,
              updated_by TEXT NOT NULL)
            """,
            """
            CREATE TABLE channel_policy_changes (
              channel TEXT NOT NULL, version BIGINT NOT NULL, body TEXT NOT NULL, changed_at BIGINT NOT NULL,
              changed_by TEXT NOT NULL, PRIMARY KEY (channel, version))
            """,
        ]
        switch kind {
        case .sqlite:
            for operation in ["UPDATE", "DELETE"] {
                statements.append(
                    "CREATE TRIGGER channel_policy_changes_no_\(operation.lowercased()) BEFORE \(operation) ON channel_policy_changes BEGIN SELECT RAISE(ABORT, 'channel_policy_changes is append-only'); END"
                )
            }
        case .postgres:
            statements.append(
                "CREATE TRIGGER channel_policy_changes_append_only BEFORE UPDATE OR DELETE ON channel_policy_changes FOR EACH ROW EXECUTE FUNCTION baohao_append_only()"
            )
        }
        return statements
    }
}
