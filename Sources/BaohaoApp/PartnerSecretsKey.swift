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
        let (key, created) = try ServerKeyFile.load(
            variable: variable, defaultFile: defaultFile, environment: environment, dataDirectory: dataDirectory)
        do { return (try PartnerSecretBox(keyMaterial: key), created) } catch {
            throw AppConfigurationError("the partner secrets key is shorter than 32 bytes")
        }
    }
}

/// The server key that seals staff TOTP secrets: the file named by `BAOHAO_STAFF_2FA_KEY_FILE`,
/// or else `staff-2fa.key` in the data directory (``ServerKeyFile``). Lost, every member of staff
/// must set up two-step sign-in again (`baohao staff reset-2fa`).
public enum StaffTwoFactorKey {
    public static let variable = "BAOHAO_STAFF_2FA_KEY_FILE"
    public static let defaultFile = "staff-2fa.key"

    public static func load(environment: [String: String], dataDirectory: String) throws -> (PartnerSecretBox, created: String?) {
        let (key, created) = try ServerKeyFile.load(
            variable: variable, defaultFile: defaultFile, environment: environment, dataDirectory: dataDirectory)
        do { return (try PartnerSecretBox(keyMaterial: key, purpose: "baohao staff two-factor v1"), created) } catch {
            throw AppConfigurationError("the staff two-factor key is shorter than 32 bytes")
        }
    }
}
