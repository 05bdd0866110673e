import Foundation

/// What a member of staff may do in the console.
public enum StaffRole: String, Sendable, Hashable, CaseIterable {
    /// Everything an operator may, plus the staff list and rejected payment notifications in detail.
    case admin
    /// The dashboard's totals and line lookup (ledger, orders, stage history).
    case `operator`
    /// Sells at the counter of one outlet; sees no dashboard and no admin API.
    case clerk

    public func displayName(_ language: Language) -> String {
        switch (self, language) {
        case (.admin, .zh): return "管理员"
        case (.admin, .en): return "Administrator"
        case (.operator, .zh): return "操作员"
        case (.operator, .en): return "Operator"
        case (.clerk, .zh): return "营业员"
        case (.clerk, .en): return "Clerk"
        }
    }
}

/// A member of staff who signs in to the console with a username and a bcrypt-hashed password.
public struct StaffAccount: Sendable, Hashable {
    public let id: String
    public let username: String
    public var displayName: String
    public var role: StaffRole
    /// A bcrypt hash (`$2b$…`); the password itself is never stored.
    public var passwordHash: String
    /// Wrong passwords since the last successful sign-in.
    public var failedSignIns: Int
    public var lockedUntil: Date?
    public var disabledAt: Date?
    public let createdAt: Date
    /// The outlet a clerk sells at; `nil` for other roles.
    public var outletCode: String?

    public init(
        id: String, username: String, displayName: String, role: StaffRole, passwordHash: String, failedSignIns: Int = 0,
        lockedUntil: Date? = nil, disabledAt: Date? = nil, createdAt: Date, outletCode: String? = nil
    ) {
        self.outletCode = outletCode
        self.id = id
        self.username = username
        self.displayName = displayName
        self.role = role
        self.passwordHash = passwordHash
        self.failedSignIns = failedSignIns
        self.lockedUntil = lockedUntil
        self.disabledAt = disabledAt
        self.createdAt = createdAt
    }
}

/// A signed-in console browser: the cookie holds a random token, the database only its SHA-256.
public struct StaffSession: Sendable, Hashable {
    /// How the secret is presented: a console cookie, or a bearer token of a terminal or script.
    public enum Kind: String, Sendable, Hashable {
        case browser
        case token
        /// A right password waiting for its second factor; opens nothing by itself.
        case secondFactor = "second_factor"
    }

    public let tokenHash: String
    public let staffID: String
    public let kind: Kind
    public let createdAt: Date
    public let expiresAt: Date
    public var lastSeenAt: Date

    public init(tokenHash: String, staffID: String, kind: Kind = .browser, createdAt: Date, expiresAt: Date, lastSeenAt: Date) {
        self.kind = kind
        self.tokenHash = tokenHash
        self.staffID = staffID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastSeenAt = lastSeenAt
    }
}
