import Foundation

/// Two-factor authentication for staff (RFC 6238 TOTP): enrolment with an authenticator app,
/// one-use recovery codes, and the second step of a sign-in.
extension StaffService {
    /// What the console shows about an account's second factor.
    public struct TwoFactorStatus: Sendable, Hashable {
        public let enabled: Bool
        public let unusedRecoveryCodes: Int
        /// An administrator without one, where administrators must have one.
        public let required: Bool
    }

    /// A secret being enrolled: the text to type and the link the QR code carries.
    public struct Enrolment: Sendable, Hashable {
        public let secret: String
        public let uri: String
    }

    public func twoFactorStatus(_ account: StaffAccount) async throws -> TwoFactorStatus {
        let (factor, unused) = try await store.read { session in
            (try await session.twoFactor(staffID: account.id), try await session.unusedRecoveryCodes(staffID: account.id))
        }
        let enabled = factor?.enabledAt != nil
        return TwoFactorStatus(
            enabled: enabled, unusedRecoveryCodes: unused, required: !enabled && account.role == .admin && adminsNeedTwoFactor)
    }

    /// The secret waiting to be confirmed, made now if there is none (the same one is shown
    /// until confirmed, so a reload does not break a half-done enrolment); `nil` when enrolled.
    public func enrolment(_ account: StaffAccount) async throws -> Enrolment? {
        let box = twoFactorBox
        let candidate = TOTP.newSecret()
        let sealedCandidate = try box.seal(Base32.encode(candidate))
        let secret: String? = try await store.write { session in
            if let factor = try await session.twoFactor(staffID: account.id) {
                if factor.enabledAt != nil { return nil }
                do { return try box.open(factor.sealedSecret) } catch {}
            }
            try await session.saveTwoFactor(StaffTwoFactor(staffID: account.id, sealedSecret: sealedCandidate, enabledAt: nil, lastStep: 0))
            return Base32.encode(candidate)
        }
        guard let secret, let bytes = Base32.decode(secret) else { return nil }
        return Enrolment(secret: secret, uri: TOTP.provisioningURI(secret: bytes, account: account.username))
    }

    /// Turns the pending secret on if `code` is its current code; the recovery codes, shown once.
    /// `nil` for a wrong code (or nothing pending).
    public func confirmEnrolment(_ account: StaffAccount, code: String) async throws -> [String]? {
        let now = clock.now()
        let box = twoFactorBox
        let recovery = RecoveryCodes.make()
        let hashes = recovery.map { RecoveryCodes.hash($0, staffID: account.id) }
        return try await store.write { session in
            guard var factor = try await session.twoFactor(staffID: account.id), factor.enabledAt == nil,
                let bytes = Base32.decode(try box.open(factor.sealedSecret)),
                let step = TOTP.match(code, secret: bytes, at: now, after: factor.lastStep)
            else { return nil }
            factor.enabledAt = now
            factor.lastStep = step
            try await session.saveTwoFactor(factor)
            try await session.replaceRecoveryCodes(staffID: account.id, hashes: hashes, at: now)
            return recovery
        }
    }

    /// Removes an account's second factor and ends its sessions (a lost phone and lost recovery
    /// codes; `baohao staff reset-2fa`). An administrator must enrol again at the next sign-in.
    public func resetTwoFactor(username: String) async throws {
        let username = username.lowercased()
        try await store.write { session in
            guard let account = try await session.staff(username: username) else { throw DomainError.staffNotFound }
            try await session.deleteTwoFactor(staffID: account.id)
            try await session.deleteStaffSessions(staffID: account.id)
        }
    }

    /// The second step of a console sign-in: the pending secret from ``signIn(username:password:kind:client:code:)``
    /// and a TOTP or recovery code. Wrong codes count towards the same throttle as passwords.
    public func completeSignIn(pending: String, code: String, client: String) async throws -> SignIn {
        guard pending.count == SessionToken.length else { return .refused }
        let now = clock.now()
        let hash = SessionToken.hash(pending)
        let found: (StaffAccount, StaffTwoFactor)? = try await store.read { session in
            guard let waiting = try await session.staffSession(tokenHash: hash), waiting.kind == .secondFactor,
                waiting.expiresAt > now, let account = try await session.staff(id: waiting.staffID), account.disabledAt == nil,
                let factor = try await session.twoFactor(staffID: account.id), factor.enabledAt != nil
            else { return nil }
            return (account, factor)
        }
        guard let (account, factor) = found else { return .refused }
        if let until = await throttle.attempt(client: client, username: account.username, at: now) { return .locked(until: until) }
        guard try await checkSecondFactor(code, factor: factor, at: now) else {
            await throttle.failed(client: client, username: account.username, at: now)
            return .refused
        }
        let token = SessionToken.make()
        let expiresAt = now.addingTimeInterval(Self.sessionLifetime)
        try await store.write { session in
            try await session.deleteStaffSession(tokenHash: hash)
            try await session.insertStaffSession(
                StaffSession(
                    tokenHash: SessionToken.hash(token), staffID: account.id, kind: .browser, createdAt: now, expiresAt: expiresAt,
                    lastSeenAt: now))
        }
        await throttle.succeeded(client: client, username: account.username)
        return .signedIn(token: token, staff: account, expiresAt: expiresAt)
    }

    /// A 6-digit TOTP code not used before, or an unused recovery code (used up by this call).
    func checkSecondFactor(_ code: String, factor: StaffTwoFactor, at now: Date) async throws -> Bool {
        let given = code.trimmingCharacters(in: .whitespaces)
        guard !given.isEmpty, given.count <= 32 else { return false }
        if given.count == TOTP.digits, given.allSatisfy(\.isNumber) {
            guard let bytes = Base32.decode(try twoFactorBox.open(factor.sealedSecret)),
                let step = TOTP.match(given, secret: bytes, at: now, after: factor.lastStep)
            else { return false }
            return try await store.write { try await $0.useTwoFactorStep(staffID: factor.staffID, step: step) }
        }
        let hash = RecoveryCodes.hash(given, staffID: factor.staffID)
        return try await store.write { try await $0.useRecoveryCode(staffID: factor.staffID, hash: hash, at: now) }
    }
}
