import Crypto
import Foundation

/// Random secrets for browser sessions and private links: the browser holds the token, the
/// database only its SHA-256.
public enum SessionToken {
    /// `byteCount` random bytes as unpadded base64url (32 bytes → 43 characters).
    public static func make(byteCount: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<byteCount).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// What the database keeps of a token.
    public static func hash(_ token: String) -> String { Hex.encode(SHA256.hash(data: Data(token.utf8))) }

    /// The length of a token made with the default size; anything else is refused unread.
    public static let length = 43
}

/// How long a signed-in browser stays signed in.
public struct SessionRules: Sendable, Hashable {
    /// The absolute end, however busy.
    public let lifetime: TimeInterval
    /// The end after this long without a request.
    public let idle: TimeInterval

    public init(lifetime: TimeInterval, idle: TimeInterval) {
        self.lifetime = lifetime
        self.idle = idle
    }

    public enum Check: Sendable, Hashable {
        /// Still signed in; `touch` when the last-seen time should be written again (once a minute at most).
        case live(touch: Bool)
        case ended
    }

    public func check(expiresAt: Date, lastSeenAt: Date, now: Date) -> Check {
        guard now < expiresAt, now.timeIntervalSince(lastSeenAt) < idle else { return .ended }
        return .live(touch: now.timeIntervalSince(lastSeenAt) >= 60)
    }
}
