import Foundation

/// `X_FILE` for the secrets read from the environment that had no file form: the variable names a
/// file (a systemd credential, a Docker or Kubernetes secret) whose content, trimmed, becomes `X`
/// before any command reads its settings. The other secrets read their files where they are
/// read: the messaging ones (`BAOHAO_KANNEL_PASSWORD_FILE`, `BAOHAO_SMTP_PASSWORD_FILE`,
/// `BAOHAO_SMS_CALLBACK_SECRET_FILE`, `BAOHAO_WEBHOOK_SECRET_FILE`) in `MessagingSetup.secret`,
/// `BAOHAO_METRICS_TOKEN_FILE` and `BAOHAO_USSD_SECRET_FILE` in `readSecretFile`, the providers'
/// `…_KEY_FILE`s in their configurations.
public enum SecretFiles {
    /// The secrets given a `_FILE` form here.
    public static let names = ["BAOHAO_ADMIN_TOKEN", "BAOHAO_DATABASE_URL", "BAOHAO_ID_HASH_KEY", "BAOHAO_SANDBOX_SECRET"]

    /// The values to set, read from each `X_FILE` in `environment`. Refuses, naming the variable
    /// (never the value), when both `X` and `X_FILE` are set or the file cannot be read or is empty.
    public static func values(from environment: [String: String]) throws(AppConfigurationError) -> [String: String] {
        var values: [String: String] = [:]
        for name in names {
            guard let path = environment["\(name)_FILE"], !path.isEmpty else { continue }
            if let direct = environment[name], !direct.isEmpty {
                throw AppConfigurationError("set \(name) or \(name)_FILE, not both")
            }
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw AppConfigurationError("\(name)_FILE: cannot read \(path)")
            }
            let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !secret.isEmpty else { throw AppConfigurationError("\(name)_FILE: \(path) is empty") }
            values[name] = secret
        }
        return values
    }
}
