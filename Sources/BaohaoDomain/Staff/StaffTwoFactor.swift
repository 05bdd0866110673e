import Crypto
import Foundation

/// A member of staff's second factor: a TOTP secret (sealed with the server's two-factor key,
/// never stored in clear), whether enrolment was confirmed, and the last step used (a code is
/// good once).
public struct StaffTwoFactor: Sendable, Hashable {
    public let staffID: String
    /// The secret being enrolled or in use, sealed (``PartnerSecretBox`` with the two-factor key).
    public var sealedSecret: String
    /// When the member of staff proved the app works; `nil` while enrolment is pending.
    public var enabledAt: Date?
    /// The last TOTP step accepted.
    public var lastStep: Int64

    public init(staffID: String, sealedSecret: String, enabledAt: Date?, lastStep: Int64) {
        self.staffID = staffID
        self.sealedSecret = sealedSecret
        self.enabledAt = enabledAt
        self.lastStep = lastStep
    }
}

/// One-use codes for when the phone is lost: 10 made at enrolment, shown once; only their
/// SHA-256 (with the account's id) is stored.
public enum RecoveryCodes {
    public static let count = 10

    /// `count` codes like `k7qp-2xma-9d` (base32, 50 random bits each).
    public static func make() -> [String] {
        (0..<count).map { _ in
            var generator = SystemRandomNumberGenerator()
            let bytes = (0..<7).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = Base32.encode(bytes).lowercased().prefix(10)
            return "\(text.prefix(4))-\(text.dropFirst(4).prefix(4))-\(text.dropFirst(8))"
        }
    }

    /// What the database keeps of a code (spaces, dashes and case ignored).
    public static func hash(_ code: String, staffID: String) -> String {
        let normal = code.lowercased().filter { $0.isLetter || $0.isNumber }
        return Hex.encode(SHA256.hash(data: Data("\(staffID):\(normal)".utf8)))
    }
}
