import Foundation

/// One of a partner's API keys: its public id, and its secret sealed by ``PartnerSecretBox`` (the
/// server must know the secret to check signatures, so it keeps it encrypted, never in clear).
public struct PartnerKey: Sendable, Hashable {
    /// `pk_` and 24 random hex digits; sent in every request's `Authorization` header.
    public let keyID: String
    public let partnerID: String
    public let sealedSecret: String
    public let createdAt: Date
    /// When a rotated-out key stops working; `nil` while it is the current key.
    public var expiresAt: Date?

    public init(keyID: String, partnerID: String, sealedSecret: String, createdAt: Date, expiresAt: Date? = nil) {
        self.keyID = keyID
        self.partnerID = partnerID
        self.sealedSecret = sealedSecret
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    public func isValid(at now: Date) -> Bool { expiresAt.map { now < $0 } ?? true }

    /// How long a rotated-out key keeps working: 24 hours, one day for a partner to deploy the new one.
    public static let rotationGrace: TimeInterval = 24 * 3600
}

/// A key id and its secret, shown once when a partner is added or its key rotated.
public struct PartnerCredentials: Sendable, Hashable, CustomStringConvertible {
    public let keyID: String
    public let secret: String

    public init(keyID: String, secret: String) {
        self.keyID = keyID
        self.secret = secret
    }

    /// New random credentials: 96 bits for the id, 256 for the secret (`sk_` and 64 hex digits).
    public static func make(random: any RandomSource = SystemRandomSource()) -> PartnerCredentials {
        func hex(_ words: Int) -> String {
            (0..<words).map { _ in
                let value = random.next()
                return String(repeating: "0", count: 16 - String(value, radix: 16).count) + String(value, radix: 16)
            }.joined()
        }
        return PartnerCredentials(keyID: "pk_" + String(hex(2).prefix(24)), secret: "sk_" + hex(4))
    }

    /// Never the secret: credentials may reach a log by accident.
    public var description: String { "PartnerCredentials(\(keyID), secret: •••)" }
}
