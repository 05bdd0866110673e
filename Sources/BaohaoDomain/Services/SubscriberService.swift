import Foundation

/// Sign-in by SMS one-time code, the numbers a person has proved, and browser sessions.
///
/// - A code is six random digits, kept only as a hash, valid 5 minutes, at most 5 tries.
/// - A number gets at most one code a minute and 5 an hour; a client at most 20 an hour; after
///   10 wrong codes within an hour the number takes no codes and no tries until the hour is over.
/// - Asking for a code answers the same whether or not the number is in service (no account
///   enumeration); a code is only sent to a number in service.
/// - A session lasts 12 hours at most and ends after 30 idle minutes.
public struct SubscriberService: Sendable {
    /// The ports this service uses, and no others.
    let store: Transactions<any SubscriberRows & LineRows & CreditRows>
    let clock: any WallClock
    let ids: IdentifierFactory
    let sender: (any TextMessageSender)?

    public static let codeLifetime: TimeInterval = 5 * 60
    public static let attemptsPerCode = 5
    public static let resendInterval: TimeInterval = 60
    public static let codesPerNumberPerHour = 5
    public static let codesPerClientPerHour = 20
    public static let failuresBeforeLock = 10
    public static let sessionLifetime: TimeInterval = 12 * 3600
    public static let sessionIdle: TimeInterval = 30 * 60
    static let sessionRules = SessionRules(lifetime: sessionLifetime, idle: sessionIdle)
    public static let numbersPerAccount = 20

    public init(
        store: any RechargeStore, clock: any WallClock, ids: IdentifierFactory = IdentifierFactory(),
        sender: (any TextMessageSender)?
    ) {
        self.store = Transactions(store) { $0 }
        self.clock = clock
        self.ids = ids
        self.sender = sender
    }

    /// Whether codes can be sent at all (an SMS gateway, or the console in demo mode).
    public var canSendCodes: Bool { sender != nil }

    public enum CodeRequest: Sendable, Hashable {
        /// A code is on its way if the number is in service; ask for it on the challenge.
        case sent(challengeID: String)
        /// Wait this many seconds before asking again.
        case tooSoon(seconds: Int)
        /// Too many codes or wrong tries for this number or client: wait an hour.
        case tooMany
        /// No SMS gateway is configured.
        case unavailable
    }

    /// Sends a code for `purpose`; `accountID` is the signed-in account adding a number.
    public func requestCode(msisdn input: String, purpose: CodePurpose, accountID: String?, clientKey: String, language: Language)
        async throws -> CodeRequest
    {
        guard let sender else { return .unavailable }
        let msisdn = try LineService.parseNumber(input)
        let now = clock.now()
        let hourAgo = now.addingTimeInterval(-3600)
        let code = CodeChallenge.newCode()
        let id = ids.make("cc", at: now)
        let outcome: (CodeRequest, inService: Bool) = try await store.write { session in
            let recent = try await session.codeActivity(msisdn: msisdn, since: hourAgo)
            if recent.failedAttempts >= Self.failuresBeforeLock || recent.codes >= Self.codesPerNumberPerHour {
                return (.tooMany, false)
            }
            if let last = recent.lastCreatedAt, now.timeIntervalSince(last) < Self.resendInterval {
                return (.tooSoon(seconds: Int((Self.resendInterval - now.timeIntervalSince(last)).rounded(.up))), false)
            }
            guard try await session.codeCount(clientKey: clientKey, since: hourAgo) < Self.codesPerClientPerHour else {
                return (.tooMany, false)
            }
            let line = try await session.line(msisdn: msisdn)
            let inService = line != nil && line?.status != .reclaimed
            try await session.insertCodeChallenge(
                CodeChallenge(
                    id: id, msisdn: msisdn, purpose: purpose, accountID: accountID,
                    codeHash: CodeChallenge.hash(code: inService ? code : CodeChallenge.newCode() + "-unsent", challengeID: id),
                    attempts: 0, clientKey: clientKey, createdAt: now, expiresAt: now.addingTimeInterval(Self.codeLifetime),
                    consumedAt: nil))
            return (.sent(challengeID: id), inService)
        }
        if outcome.inService {
            let text =
                language == .zh
                ? "【保号】验证码 \(code)，5 分钟内有效。请勿告诉任何人，工作人员不会向您索要。"
                : "[Baohao] Your code is \(code), valid for 5 minutes. Never share it; our staff will never ask for it."
            try await sender.sendText(to: msisdn, text: text)
        }
        return outcome.0
    }

    public enum Verification: Sendable, Hashable {
        /// Signed in: set `token` as the session cookie.
        case signedIn(token: String, accountID: String)
        /// The number now belongs to the signed-in account.
        case numberAdded(lineID: String)
        case wrongCode(attemptsLeft: Int)
        /// The code is used up, expired or unknown: ask for a new one.
        case expired
        /// Too many wrong codes: wait an hour.
        case locked
    }

    /// Checks `code` against the challenge; `accountID` must be the account that asked (adding a number).
    public func verify(challengeID: String, code: String, accountID: String?) async throws -> Verification {
        let now = clock.now()
        let given = code.filter(\.isNumber)
        let token = SessionToken.make()
        let newAccountID = ids.make("sa", at: now)
        return try await store.write { session in
            guard challengeID.count <= 64, var challenge = try await session.codeChallenge(id: challengeID, forUpdate: true),
                challenge.consumedAt == nil, challenge.accountID == accountID,
                (challenge.purpose == .addNumber) == (accountID != nil)
            else { return .expired }
            guard now < challenge.expiresAt else { return .expired }
            let recent = try await session.codeActivity(msisdn: challenge.msisdn, since: now.addingTimeInterval(-3600))
            guard challenge.attempts < Self.attemptsPerCode, recent.failedAttempts < Self.failuresBeforeLock else { return .locked }
            let expected = Array(challenge.codeHash.utf8)
            let actual = Array(CodeChallenge.hash(code: given, challengeID: challenge.id).utf8)
            guard given.count == 6, ConstantTime.equal(expected, actual) else {
                challenge.attempts += 1
                try await session.updateCodeChallenge(challenge)
                let left = Self.attemptsPerCode - challenge.attempts
                return left > 0 ? .wrongCode(attemptsLeft: left) : .locked
            }
            challenge.consumedAt = now
            try await session.updateCodeChallenge(challenge)
            guard let line = try await session.line(msisdn: challenge.msisdn), line.status != .reclaimed else { return .expired }
            switch challenge.purpose {
            case .signIn:
                var owner = try await session.accountID(lineID: line.id)
                if owner == nil {
                    try await session.insertSubscriberAccount(SubscriberAccount(id: newAccountID, createdAt: now))
                    try await session.linkNumber(lineID: line.id, accountID: newAccountID, at: now)
                    owner = newAccountID
                }
                let accountID = owner ?? newAccountID
                try await session.insertSubscriberSession(
                    SubscriberSession(
                        tokenHash: SessionToken.hash(token), accountID: accountID, createdAt: now,
                        expiresAt: now.addingTimeInterval(Self.sessionLifetime), lastSeenAt: now))
                return .signedIn(token: token, accountID: accountID)
            case .addNumber:
                guard let accountID else { return .expired }
                let linked = try await session.linkedLines(accountID: accountID)
                if !linked.contains(where: { $0.id == line.id }) {
                    guard linked.count < Self.numbersPerAccount else {
                        throw DomainError.validation(
                            ValidationError(field: "msisdn", reason: .outOfRange, detail: "at most \(Self.numbersPerAccount) numbers"))
                    }
                    // Whoever proves the number holds it now: it moves to this account.
                    try await session.linkNumber(lineID: line.id, accountID: accountID, at: now)
                }
                return .numberAdded(lineID: line.id)
            }
        }
    }

    /// The session for a cookie token, or `nil` if unknown, expired or idle too long.
    public func authenticate(token: String) async throws -> SubscriberSession? {
        guard token.count == SessionToken.length else { return nil }
        let now = clock.now()
        let hash = SessionToken.hash(token)
        return try await store.write { session in
            guard var found = try await session.subscriberSession(tokenHash: hash) else { return nil }
            switch Self.sessionRules.check(expiresAt: found.expiresAt, lastSeenAt: found.lastSeenAt, now: now) {
            case .ended:
                try await session.deleteSubscriberSession(tokenHash: hash)
                return nil
            case .live(let touch):
                if touch {
                    found.lastSeenAt = now
                    try await session.touchSubscriberSession(tokenHash: hash, at: now)
                }
                return found
            }
        }
    }

    public func signOut(token: String) async throws {
        let hash = SessionToken.hash(token)
        try await store.write { try await $0.deleteSubscriberSession(tokenHash: hash) }
    }

    /// The account's numbers in service.
    public func lines(accountID: String) async throws -> [Line] {
        try await store.read { try await $0.linkedLines(accountID: accountID) }.filter { $0.status != .reclaimed }
    }

    /// One of the account's lines; ``DomainError/lineNotFound`` for any other line.
    public func line(id: String, accountID: String) async throws -> Line {
        guard let line = try await lines(accountID: accountID).first(where: { $0.id == id }) else { throw DomainError.lineNotFound }
        return line
    }

    /// The calendar feed key, made on first use.
    public func calendarKey(accountID: String) async throws -> String {
        let candidate = SessionToken.make(byteCount: 24)
        return try await store.write { session in
            guard let account = try await session.subscriberAccount(id: accountID) else { throw DomainError.lineNotFound }
            if let key = account.calendarKey { return key }
            try await session.setCalendarKey(accountID: accountID, key: candidate)
            return candidate
        }
    }

    /// A new calendar feed key: the old link stops working at once.
    public func rotateCalendarKey(accountID: String) async throws -> String {
        let key = SessionToken.make(byteCount: 24)
        try await store.write { session in
            guard try await session.subscriberAccount(id: accountID) != nil else { throw DomainError.lineNotFound }
            try await session.setCalendarKey(accountID: accountID, key: key)
        }
        return key
    }

    /// Ends the calendar feed: the link stops working; the next visit to the account makes a new one.
    public func revokeCalendarKey(accountID: String) async throws {
        try await store.write { try await $0.setCalendarKey(accountID: accountID, key: nil) }
    }

    /// The account a calendar feed key belongs to.
    public func account(calendarKey key: String) async throws -> SubscriberAccount? {
        guard key.count == 32 else { return nil }
        return try await store.read { try await $0.subscriberAccount(calendarKey: key) }
    }
}

/// Codes recently sent to a number and the wrong tries against them.
public struct CodeActivity: Sendable, Hashable {
    public let codes: Int
    public let failedAttempts: Int
    public let lastCreatedAt: Date?

    public init(codes: Int, failedAttempts: Int, lastCreatedAt: Date?) {
        self.codes = codes
        self.failedAttempts = failedAttempts
        self.lastCreatedAt = lastCreatedAt
    }
}
