import BaohaoDomain
import Foundation

/// The server key that seals staff TOTP secrets: the file named by `BAOHAO_STAFF_2FA_KEY_FILE`,
/// or else `staff-2fa.key` in the data directory (``ServerKeyFile``). Lost, every member of staff
/// must set up two-step sign-in again (`baohao staff reset-2fa`).
public enum StaffTwoFactorKey {
    public static let variable = "BAOHAO_STAFF_2FA_KEY_FILE"
    public static let defaultFile = "staff-2fa.key"

    public static func load(environment: [String: String], dataDirectory: String) throws -> (PartnerSecretBox, created: String?) {
        try ServerKeyFile.sealingBox(
            variable: variable, defaultFile: defaultFile, purpose: "baohao staff two-factor v1", name: "the staff two-factor key",
            environment: environment, dataDirectory: dataDirectory)
    }
}
