import Foundation

/// Staff accounts, console sign-in and what the console shows.
///
/// - Passwords are bcrypt hashes, computed on ``HashingExecutor`` (a pool of its own in the
///   server); an unknown or disabled username costs the same hash computation as a known one.
/// - Sign-ins are limited per client and per username by ``SignInThrottle``: wrong passwords make
///   that client wait, never the account's owner elsewhere.
/// - A session lasts 8 hours at most and ends after 30 idle minutes.
public struct StaffService: Sendable {
    /// The ports this service uses, and no others.
    let store:
        Transactions<
            any StaffRows & StaffTwoFactorRows & LineRows & PlanRows & CreditRows & OrderRows & PaymentRows & RetentionRows & LedgerRows
                & OutletRows
        >
    let clock: any WallClock
    let ids: IdentifierFactory
    let hasher: any PasswordHasher
    let book: PolicyBook
    let hashing: any HashingExecutor
    let throttle: SignInThrottleBox
    /// Seals TOTP secrets (the server's two-factor key).
    let twoFactorBox: PartnerSecretBox
    /// Whether administrators must enrol a second factor before using the console or a token.
    public let adminsNeedTwoFactor: Bool
    public static let sessionLifetime: TimeInterval = 8 * 3600
    public static let sessionIdle: TimeInterval = 30 * 60
    static let sessionRules = SessionRules(lifetime: sessionLifetime, idle: sessionIdle)
    /// A staff token (a counter terminal, a script) lasts a shift at most and ends after 2 idle hours.
    public static let tokenLifetime: TimeInterval = 8 * 3600
    public static let tokenIdle: TimeInterval = 2 * 3600
    static let tokenRules = SessionRules(lifetime: tokenLifetime, idle: tokenIdle)

    /// A password accepted, waiting for its second factor, lasts 5 minutes.
    public static let secondFactorLifetime: TimeInterval = 5 * 60
    static let secondFactorRules = SessionRules(lifetime: secondFactorLifetime, idle: secondFactorLifetime)

    static func rules(_ kind: StaffSession.Kind) -> SessionRules {
        switch kind {
        case .browser: sessionRules
        case .token: tokenRules
        case .secondFactor: secondFactorRules
        }
    }
    public static let reclaimWindowDays = 30
    /// Lapsed lines examined for the reclaim list, soonest review first.
    public static let reclaimScanLimit = 5_000

    public init(
        store: any RechargeStore, hasher: any PasswordHasher, clock: any WallClock,
        ids: IdentifierFactory = IdentifierFactory(), book: PolicyBook = .shippedBook,
        hashing: any HashingExecutor = InlineHashing(), throttle: SignInThrottle.Limits = SignInThrottle.Limits(),
        twoFactorBox: PartnerSecretBox? = nil, adminsNeedTwoFactor: Bool = false
    ) {
        self.twoFactorBox = twoFactorBox ?? (try! PartnerSecretBox(keyMaterial: Data(SessionToken.make().utf8), purpose: "ephemeral"))
        self.adminsNeedTwoFactor = adminsNeedTwoFactor
        self.hashing = hashing
        self.throttle = SignInThrottleBox(SignInThrottle(limits: throttle))
        self.store = Transactions(store) { $0 }
        self.hasher = hasher
        self.clock = clock
        self.ids = ids
        self.book = book
    }

    // MARK: Accounts (the CLI)

    /// Adds a member of staff; the username is 3–32 of `a-z 0-9 . _ -`. A clerk needs an enabled
    /// `outlet` (its code); other roles take none.
    public func addStaff(
        username: String, displayName: String, role: StaffRole, password: String, outlet: String? = nil
    ) async throws -> StaffAccount {
        let outletCode = try outlet.map { try Outlet.checkedCode($0) }
        guard (role == .clerk) == (outletCode != nil) else {
            throw DomainError.validation(
                ValidationError(
                    field: "outlet", reason: role == .clerk ? .missing : .notAllowed,
                    detail: role == .clerk ? "a clerk sells at one outlet" : "only clerks are bound to an outlet"))
        }
        let username = try Self.checkedUsername(username)
        let name = displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...64).contains(name.count) else {
            throw DomainError.validation(ValidationError(field: "name", reason: .outOfRange, detail: "1 to 64 characters"))
        }
        let hash = try checkedHash(password)
        let account = StaffAccount(
            id: ids.make("st", at: clock.now()), username: username, displayName: name, role: role, passwordHash: hash,
            createdAt: clock.now(), outletCode: outletCode)
        try await store.write { session in
            if let outletCode {
                guard let outlet = try await session.outlet(code: outletCode) else { throw DomainError.outletNotFound(outletCode) }
                guard outlet.isEnabled else {
                    throw DomainError.validation(ValidationError(field: "outlet", reason: .notAllowed, detail: "\(outletCode) is disabled"))
                }
            }
            guard try await session.staff(username: username) == nil else {
                throw DomainError.validation(ValidationError(field: "username", reason: .notAllowed, detail: "already taken"))
            }
            try await session.insertStaff(account)
        }
        return account
    }

    /// Replaces a password and ends the account's sessions.
    public func setPassword(username: String, password: String) async throws {
        let hash = try checkedHash(password)
        try await update(username: username) { account in
            account.passwordHash = hash
            account.failedSignIns = 0
            account.lockedUntil = nil
        }
    }

    /// Disables an account (it is kept for the record) and ends its sessions.
    public func disable(username: String) async throws {
        let now = clock.now()
        try await update(username: username) { $0.disabledAt = $0.disabledAt ?? now }
    }

    /// Every member of staff, by username.
    public func staff() async throws -> [StaffAccount] {
        try await store.read { try await $0.staffAccounts() }
    }

    func update(username: String, _ change: @escaping @Sendable (inout StaffAccount) -> Void) async throws {
        let username = username.lowercased()
        try await store.write { session in
            guard var account = try await session.staff(username: username) else { throw DomainError.staffNotFound }
            change(&account)
            try await session.updateStaff(account, at: self.clock.now())
            try await session.deleteStaffSessions(staffID: account.id)
        }
    }

    func checkedHash(_ password: String) throws -> String {
        if let problem = PasswordRules.problem(password) {
            throw DomainError.validation(ValidationError(field: "password", reason: .invalidFormat, detail: problem))
        }
        return try hasher.hash(password: password)
    }

    static func checkedUsername(_ raw: String) throws -> String {
        let username = raw.lowercased()
        guard (3...32).contains(username.count),
            username.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || ".-_".unicodeScalars.contains($0) }
            )
        else {
            throw DomainError.validation(
                ValidationError(field: "username", reason: .invalidFormat, detail: "3 to 32 of a-z, 0-9, dot, dash, underscore"))
        }
        return username
    }

    // MARK: Sign-in

    public enum SignIn: Sendable, Hashable {
        /// The secret to present (a cookie or a bearer token), and when it ends at the latest.
        case signedIn(token: String, staff: StaffAccount, expiresAt: Date)
        /// Wrong username or password (never which).
        case refused
        /// This client must wait until then: too many attempts, or wrong passwords in a row
        /// (``SignInThrottle``); the account itself is never locked.
        case locked(until: Date)
        /// The password was right and the account has a second factor: for a browser, the
        /// pending secret to finish with ``completeSignIn(pending:code:client:)`` (5 minutes);
        /// for a token, ask again with the code.
        case secondFactorNeeded(pending: String?)
        /// An administrator without a second factor asked for a token: enrol in the console first.
        case enrolmentNeeded
    }

    /// Checks a password and opens a console session (`.browser`) or issues a bearer token
    /// (`.token`); both count towards the same ``SignInThrottle`` for `client` (an opaque key of the
    /// caller's address).
    public func signIn(
        username raw: String, password: String, kind: StaffSession.Kind = .browser, client: String = "local", code: String? = nil
    ) async throws -> SignIn {
        let username = String(raw.lowercased().prefix(32))
        let now = clock.now()
        if let until = await throttle.attempt(client: client, username: username, at: now) { return .locked(until: until) }
        let found = try await store.read { try await $0.staff(username: username) }
        let hasher = self.hasher
        guard let account = found, account.disabledAt == nil else {
            _ = try await hashing.run { hasher.verify(password: password, against: hasher.decoyHash) }
            await throttle.failed(client: client, username: username, at: now)
            return .refused
        }
        let matches = try await hashing.run { hasher.verify(password: password, against: account.passwordHash) }
        guard matches else {
            await throttle.failed(client: client, username: username, at: now)
            return .refused
        }
        let factor = try await store.read { try await $0.twoFactor(staffID: account.id) }
        if let factor, factor.enabledAt != nil {
            guard let code else {
                guard kind == .browser else { return .secondFactorNeeded(pending: nil) }
                let pending = SessionToken.make()
                try await store.write { session in
                    try await session.insertStaffSession(
                        StaffSession(
                            tokenHash: SessionToken.hash(pending), staffID: account.id, kind: .secondFactor, createdAt: now,
                            expiresAt: now + Self.secondFactorLifetime, lastSeenAt: now))
                }
                return .secondFactorNeeded(pending: pending)
            }
            guard try await checkSecondFactor(code, factor: factor, at: now) else {
                await throttle.failed(client: client, username: username, at: now)
                return .refused
            }
        } else if kind == .token, account.role == .admin, adminsNeedTwoFactor {
            return .enrolmentNeeded
        }
        let token = SessionToken.make()
        let outcome: SignIn = try await store.write { session in
            guard let current = try await session.staff(username: username), current.disabledAt == nil,
                current.passwordHash == account.passwordHash
            else { return .refused }
            let expiresAt = now.addingTimeInterval(Self.rules(kind).lifetime)
            try await session.insertStaffSession(
                StaffSession(
                    tokenHash: SessionToken.hash(token), staffID: current.id, kind: kind, createdAt: now, expiresAt: expiresAt,
                    lastSeenAt: now))
            return .signedIn(token: token, staff: current, expiresAt: expiresAt)
        }
        if case .signedIn = outcome { await throttle.succeeded(client: client, username: username) }
        return outcome
    }

    /// The member of staff a secret of this kind belongs to (with the session), or `nil` if
    /// unknown, of the other kind, expired, idle or disabled.
    public func authenticate(token: String, kind: StaffSession.Kind = .browser) async throws -> StaffAccount? {
        try await session(token: token, kind: kind)?.account
    }

    /// Like ``authenticate(token:kind:)``, with the session (for its expiry).
    public func session(token: String, kind: StaffSession.Kind) async throws -> (account: StaffAccount, session: StaffSession)? {
        guard token.count == SessionToken.length else { return nil }
        let now = clock.now()
        let hash = SessionToken.hash(token)
        return try await store.write { session in
            guard let found = try await session.staffSession(tokenHash: hash), found.kind == kind else { return nil }
            let check = Self.rules(kind).check(expiresAt: found.expiresAt, lastSeenAt: found.lastSeenAt, now: now)
            guard case .live(let touch) = check, let account = try await session.staff(id: found.staffID), account.disabledAt == nil
            else {
                try await session.deleteStaffSession(tokenHash: hash)
                return nil
            }
            if touch { try await session.touchStaffSession(tokenHash: hash, at: now) }
            return (account, found)
        }
    }

    public func signOut(token: String) async throws {
        let hash = SessionToken.hash(token)
        try await store.write { try await $0.deleteStaffSession(tokenHash: hash) }
    }

    // MARK: What the console shows

    /// Today's (Beijing time) recharges, lines by stage, reclaims due, refused notifications, and
    /// the charts (``DashboardCharts``), from one read: the lapsed lines are assessed once for both
    /// the reclaim list and the weekly reclaim forecast.
    public func dashboard(for viewer: StaffAccount, currency: Currency = .cny) async throws -> StaffDashboard {
        let now = clock.now()
        let zone = Deadline.mainlandTimeZone
        let day = LocalDate(now, in: zone)
        let from = day.startOfDay(in: zone)
        let until = day.adding(days: 1).startOfDay(in: zone)
        let horizon = day.adding(days: Self.reclaimWindowDays)
        let days = DashboardCharts.days(endingOn: day)
        // Moves and additions after the first charted day's end are undone to reach it.
        let undoneFrom = days[0].adding(days: 1).startOfDay(in: zone)
        let (tallies, counts, lapsed, rejectedToday, rejected, credits, moves, added) = try await store.read { session in
            (
                try await session.rechargeTallies(from: from, until: until),
                try await session.lineCountsByStatus(),
                try await session.lines(statuses: [.grace, .suspended, .barred], limit: Self.reclaimScanLimit + 1),
                try await session.notificationCount(outcome: .rejected, since: from),
                viewer.role == .admin ? try await session.notifications(outcome: .rejected, limit: 20) : [],
                try await session.dailyCredits(from: days[0].startOfDay(in: zone), until: until),
                try await session.dailyStageMoves(since: undoneFrom),
                try await session.dailyLinesAdded(since: undoneFrom)
            )
        }
        let reclaimDays = lapsed.prefix(Self.reclaimScanLimit).compactMap { line -> (line: Line, on: LocalDate)? in
            book.assess(line, at: now).schedule.first(where: { $0.stage == .reclaimed }).map { (line, $0.startsOn) }
        }
        let reclaims = reclaimDays.filter { $0.on <= horizon }
            .sorted { $0.on < $1.on || ($0.on == $1.on && $0.line.msisdn < $1.line.msisdn) }
        let charts = DashboardCharts(
            days: days, credits: credits, currency: currency, counts: counts, moves: moves, added: added,
            reclaimDays: reclaimDays.map(\.on))
        return StaffDashboard(
            day: day, tallies: tallies, stages: LineStatus.allCases.map { ($0, counts[$0] ?? 0) }, reclaims: Array(reclaims.prefix(100)),
            reclaimsTruncated: lapsed.count > Self.reclaimScanLimit, rejectedToday: rejectedToday, rejected: rejected, charts: charts)
    }

    /// One line with its ledger, orders and stage history (newest first, 100 of each at most).
    public func dossier(msisdn input: String) async throws -> LineDossier {
        let msisdn = try LineService.parseNumber(input)
        let now = clock.now()
        return try await store.read { session in
            guard let (line, plan) = try await session.lineWithPlan(msisdn: msisdn) else { throw DomainError.lineNotFound }
            return LineDossier(
                line: line, assessment: self.book.assess(line, plan: plan, at: now),
                transfers: try await session.transfers(account: .line(id: line.id), limit: 100),
                orders: try await session.orders(lineID: line.id, limit: 100),
                stageChanges: try await session.stageChanges(lineID: line.id, limit: 100))
        }
    }
}

/// The sign-in throttle's state, shared by every request of the process.
actor SignInThrottleBox {
    private var throttle: SignInThrottle

    init(_ throttle: SignInThrottle) {
        self.throttle = throttle
    }

    func attempt(client: String, username: String, at now: Date) -> Date? {
        throttle.attempt(client: client, username: username, at: now)
    }

    func failed(client: String, username: String, at now: Date) {
        throttle.failed(client: client, username: username, at: now)
    }

    func succeeded(client: String, username: String) {
        throttle.succeeded(client: client, username: username)
    }
}
