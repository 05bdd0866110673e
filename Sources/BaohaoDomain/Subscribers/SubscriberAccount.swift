import Foundation

/// A person who signed in by SMS code: they see every number they proved they hold.
public struct SubscriberAccount: Sendable, Hashable {
    public let id: String
    public let createdAt: Date
    /// The secret in the account's calendar feed URL (read-only: deadlines of its numbers).
    public var calendarKey: String?

    public init(id: String, createdAt: Date, calendarKey: String? = nil) {
        self.id = id
        self.createdAt = createdAt
        self.calendarKey = calendarKey
    }
}

/// A signed-in browser: the cookie holds a random token, the database only its SHA-256.
public struct SubscriberSession: Sendable, Hashable {
    public let tokenHash: String
    public let accountID: String
    public let createdAt: Date
    /// The absolute end, whatever the activity.
    public let expiresAt: Date
    public var lastSeenAt: Date

    public init(tokenHash: String, accountID: String, createdAt: Date, expiresAt: Date, lastSeenAt: Date) {
        self.tokenHash = tokenHash
        self.accountID = accountID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastSeenAt = lastSeenAt
    }
}
