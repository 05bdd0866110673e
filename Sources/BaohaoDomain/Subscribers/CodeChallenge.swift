import Crypto
import Foundation

/// Why a one-time code was sent.
public enum CodePurpose: String, Sendable, Hashable {
    /// Sign in (an account is created for a number signing in the first time).
    case signIn = "sign_in"
    /// Prove another number for an account that is signed in.
    case addNumber = "add_number"
}

/// A one-time code sent by SMS, kept only as a hash, with its attempts.
public struct CodeChallenge: Sendable, Hashable {
    public let id: String
    public let msisdn: MSISDN
    public let purpose: CodePurpose
    /// The signed-in account adding the number (``CodePurpose/addNumber``).
    public let accountID: String?
    public let codeHash: String
    public var attempts: Int
    /// A hash of the requesting client (for per-client rate limits), never its address.
    public let clientKey: String
    public let createdAt: Date
    public let expiresAt: Date
    public var consumedAt: Date?

    public init(
        id: String, msisdn: MSISDN, purpose: CodePurpose, accountID: String?, codeHash: String, attempts: Int, clientKey: String,
        createdAt: Date, expiresAt: Date, consumedAt: Date?
    ) {
        self.id = id
        self.msisdn = msisdn
        self.purpose = purpose
        self.accountID = accountID
        self.codeHash = codeHash
        self.attempts = attempts
        self.clientKey = clientKey
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.consumedAt = consumedAt
    }

    /// SHA-256 of the challenge id and the code: a leaked table does not hand out live codes by lookup.
    public static func hash(code: String, challengeID: String) -> String {
        Hex.encode(SHA256.hash(data: Data("\(challengeID):\(code)".utf8)))
    }

    /// A uniformly random six-digit code.
    public static func newCode() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(format: "%06d", Int.random(in: 0..<1_000_000, using: &generator))
    }
}

/// Sends a plain text SMS (one-time codes); implemented by the messaging module.
public protocol TextMessageSender: Sendable {
    /// Hands the text to the SMS gateway; throws if it refuses.
    func sendText(to msisdn: MSISDN, text: String) async throws
}
