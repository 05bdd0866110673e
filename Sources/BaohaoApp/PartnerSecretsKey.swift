import BaohaoDomain
import Foundation

/// The server key that seals partners' API secrets (see ``PartnerSecretBox``): the file named by
/// `BAOHAO_PARTNER_SECRETS_KEY_FILE`, or else `partner-secrets.key` in the data directory
/// (``ServerKeyFile``).
public enum PartnerSecretsKey {
    public static let variable = "BAOHAO_PARTNER_SECRETS_KEY_FILE"
    public static let defaultFile = "partner-secrets.key"

    /// The box, and the path of the key file when one was created now.
    public static func load(environment: [String: String], dataDirectory: String) throws -> (PartnerSecretBox, created: String?) {
        try ServerKeyFile.sealingBox(
            variable: variable, defaultFile: defaultFile, purpose: "baohao partner secrets v1", name: "the partner secrets key",
            environment: environment, dataDirectory: dataDirectory)
    }
}
