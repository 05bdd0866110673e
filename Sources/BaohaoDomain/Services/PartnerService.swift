import Crypto
import Foundation

/// 第三方平台, the operator's side: partners added, keyed, funded, priced and disabled (CLI and
/// admin API), their callbacks listed and replayed, and — for the partner API — keys looked up,
/// balances read and daily statements drawn from the float's movements.
public struct PartnerService: Sendable {
    /// The ports this service uses, and no others.
    let store: Transactions<any PartnerRows & CreditRows>
    let clock: any WallClock
    let ids: IdentifierFactory
    let secrets: PartnerSecretBox
    let random: any RandomSource

    public init(
        store: any RechargeStore, clock: any WallClock, secrets: PartnerSecretBox, ids: IdentifierFactory = IdentifierFactory(),
        random: any RandomSource = SystemRandomSource()
    ) {
        self.store = Transactions(store) { $0 }
        self.clock = clock
        self.secrets = secrets
        self.ids = ids
        self.random = random
    }

    /// A partner with what the console shows beside it.
    public struct Overview: Sendable, Hashable {
        public let partner: Partner
        /// Top-ups credited since the start of today (Beijing time), and their face value.
        public let todayCount: Int
        public let todayAmount: Money
        /// Callbacks not delivered after at least one try.
        public let failingCallbacks: Int
        /// The id of the key in use.
        public let currentKeyID: String?

        public init(partner: Partner, todayCount: Int, todayAmount: Money, failingCallbacks: Int, currentKeyID: String?) {
            self.partner = partner
            self.todayCount = todayCount
            self.todayAmount = todayAmount
            self.failingCallbacks = failingCallbacks
            self.currentKeyID = currentKeyID
        }
    }

    /// Adds a partner with a first key; the credentials are shown once and never again.
    public func add(code input: String, name: String, callbackURL: String?, rateLimit: Int? = nil) async throws -> (
        Partner, PartnerCredentials
    ) {
        let code: String
        let checkedName: String
        var url: String? = nil
        do {
            code = try Partner.checkedCode(input)
            checkedName = try Partner.checkedName(name)
            if let callbackURL, !callbackURL.isEmpty { url = try Partner.checkedCallbackURL(callbackURL) }
        } catch { throw DomainError.validation(error) }
        let rate = try Self.checkedRate(rateLimit)
        let now = clock.now()
        let partner = Partner(
            id: ids.make("pa", at: now), code: code, name: checkedName, callbackURL: url, rateLimit: rate, float: .zero(.cny),
            createdAt: now)
        let credentials = PartnerCredentials.make(random: random)
        let key = PartnerKey(
            keyID: credentials.keyID, partnerID: partner.id, sealedSecret: try secrets.seal(credentials.secret), createdAt: now)
        guard try await store.write({ try await $0.insertPartner(partner, key: key) }) else { throw DomainError.partnerExists(code) }
        return (partner, credentials)
    }

    static func checkedRate(_ rate: Int?) throws -> Int {
        guard let rate else { return Partner.defaultRateLimit }
        guard (1...Partner.maximumRateLimit).contains(rate) else {
            throw DomainError.validation(ValidationError(field: "rate_limit", reason: .outOfRange, detail: "1–\(Partner.maximumRateLimit)"))
        }
        return rate
    }

    /// Every partner with today's volume and failing callbacks.
    public func list() async throws -> [Overview] {
        let dayStart = LocalDate(clock.now(), in: Deadline.mainlandTimeZone).startOfDay(in: Deadline.mainlandTimeZone)
        return try await store.read { session in
            let volume = try await session.creditedPartnerVolume(since: dayStart)
            let failing = try await session.failingCallbackCounts()
            var result: [Overview] = []
            for partner in try await session.partners() {
                let today = volume[partner.id] ?? (0, 0)
                let keys = try await session.partnerKeys(partnerID: partner.id)
                result.append(
                    Overview(
                        partner: partner, todayCount: today.count, todayAmount: Money(today.amount, partner.float.currency),
                        failingCallbacks: failing[partner.id] ?? 0, currentKeyID: keys.first { $0.expiresAt == nil }?.keyID))
            }
            return result
        }
    }

    /// A partner by code; ``DomainError/partnerNotFound(_:)`` if none.
    public func partner(code input: String) async throws -> Partner {
        let code = input.trimmingCharacters(in: .whitespaces).uppercased()
        guard code.count <= 16, let partner = try await store.read({ try await $0.partner(code: code) }) else {
            throw DomainError.partnerNotFound(code)
        }
        return partner
    }

    /// A new key; every key in use keeps working for ``PartnerKey/rotationGrace`` (24 hours).
    public func rotateKey(code: String) async throws -> (PartnerCredentials, oldKeysExpireAt: Date) {
        let partner = try await self.partner(code: code)
        let now = clock.now()
        let credentials = PartnerCredentials.make(random: random)
        let key = PartnerKey(
            keyID: credentials.keyID, partnerID: partner.id, sealedSecret: try secrets.seal(credentials.secret), createdAt: now)
        let expiry = now + PartnerKey.rotationGrace
        try await store.write { session in
            try await session.expirePartnerKeys(partnerID: partner.id, at: expiry)
            try await session.insertPartnerKey(key)
        }
        return (credentials, expiry)
    }

    /// Disables a partner: its keys stop working (403); accepted top-ups still complete and their
    /// callbacks are still sent. Disabling twice changes nothing.
    public func disable(code: String) async throws -> Partner {
        var partner = try await self.partner(code: code)
        guard partner.isEnabled else { return partner }
        partner.disabledAt = clock.now()
        let updated = partner
        try await store.write { try await $0.updatePartnerSettings(updated) }
        return partner
    }

    /// Sets the wholesale pricing (from then on; top-ups already accepted keep their cost).
    public func setPricing(code: String, _ pricing: PartnerPricing) async throws -> Partner {
        var partner = try await self.partner(code: code)
        partner.pricing = pricing
        let updated = partner
        try await store.write { try await $0.updatePartnerSettings(updated) }
        return partner
    }

    /// Changes the callback URL and the rate limit (each only when given).
    public func update(code: String, callbackURL: String?, rateLimit: Int?) async throws -> Partner {
        var partner = try await self.partner(code: code)
        if let callbackURL {
            do { partner.callbackURL = callbackURL.isEmpty ? nil : try Partner.checkedCallbackURL(callbackURL) } catch {
                throw DomainError.validation(error)
            }
        }
        if let rateLimit { partner.rateLimit = try Self.checkedRate(rateLimit) }
        let updated = partner
        try await store.write { try await $0.updatePartnerSettings(updated) }
        return partner
    }

    /// The longest deposit reference kept.
    public static let maximumReference = 64
    /// The largest single deposit: ¥10,000,000.
    public static let maximumDepositMinor: Int64 = 1_000_000_000

    /// Records a deposit into the float: a transfer from partners' deposits clearing to the
    /// partner's float, once per reference. The same reference and amount again answers the first
    /// deposit (`created` false); another amount is ``DomainError/referenceReused``.
    public func deposit(code: String, amount: Money, reference input: String, by actor: String) async throws -> (
        PartnerDeposit, float: PartnerFloat, created: Bool
    ) {
        let reference = input.trimmingCharacters(in: .whitespaces)
        guard (1...Self.maximumReference).contains(reference.utf8.count), reference.isAllVisibleASCII else {
            throw DomainError.validation(
                ValidationError(field: "reference", reason: .invalidFormat, detail: "1–\(Self.maximumReference) visible ASCII characters"))
        }
        let partner = try await self.partner(code: code)
        guard amount.currency == partner.float.currency else {
            throw DomainError.validation(
                ValidationError(field: "amount.currency", reason: .notAllowed, detail: partner.float.currency.code))
        }
        guard amount.amountMinor > 0, amount.amountMinor <= Self.maximumDepositMinor else {
            throw DomainError.validation(
                ValidationError(field: "amount.amount", reason: .outOfRange, detail: "1–\(Self.maximumDepositMinor)"))
        }
        let now = clock.now()
        let ids = self.ids
        return try await store.write { session in
            if let existing = try await session.deposit(partnerID: partner.id, reference: reference) {
                guard existing.amount == amount else { throw DomainError.referenceReused }
                let current = try await session.partner(id: partner.id, forUpdate: false)?.float ?? partner.float
                return (existing, current, false)
            }
            let transfer = try Transfer(
                id: ids.make("tr", at: now), kind: .partnerDeposit, orderID: nil,
                postings: [Posting(.partnerDeposits, try amount.negated()), Posting(.partnerFloat(partnerID: partner.id), amount)],
                createdAt: now)
            let deposit = PartnerDeposit(
                partnerID: partner.id, reference: reference, amount: amount, transferID: transfer.id, recordedBy: actor, at: now)
            try await session.appendTransfer(transfer)
            // Two operators recording one slip at once: the second finds the first one's deposit.
            guard try await session.insertDeposit(deposit) else { throw StoreError.conflict }
            guard
                let moved = try await session.moveFloat(
                    FloatMove(
                        id: ids.make("fm", at: now), partnerID: partner.id, kind: .deposit, reference: reference, topupID: nil,
                        transferID: transfer.id, availableChange: amount, heldChange: .zero(amount.currency), at: now))
            else { throw StoreError.corrupt("a deposit could not move partner \(partner.id)'s float") }
            return (deposit, moved.after, true)
        }
    }

    // MARK: The partner API's side

    /// The partner a request's key names, and the key's secret, if the key exists and is valid now.
    public func credentials(keyID: String) async throws -> (Partner, secret: String)? {
        let now = clock.now()
        let found: (PartnerKey, Partner)? = try await store.read { session in
            guard let key = try await session.partnerKey(keyID: keyID), key.isValid(at: now),
                let partner = try await session.partner(id: key.partnerID, forUpdate: false)
            else { return nil }
            return (key, partner)
        }
        guard let (key, partner) = found else { return nil }
        return (partner, try secrets.open(key.sealedSecret))
    }

    /// The secrets a callback is signed with: every valid key's, newest first.
    public func callbackSecrets(partnerID: String) async throws -> [String] {
        let now = clock.now()
        let keys = try await store.read { try await $0.partnerKeys(partnerID: partnerID) }
        return try keys.filter { $0.isValid(at: now) }.map { try secrets.open($0.sealedSecret) }
    }

    /// The partner's float now.
    public func balance(partnerID: String) async throws -> PartnerFloat {
        guard let partner = try await store.read({ try await $0.partner(id: partnerID, forUpdate: false) }) else {
            throw DomainError.partnerNotFound(partnerID)
        }
        return partner.float
    }

    /// The statement of one Beijing day: the float at its start, every movement in it, and the float at its end.
    public func statement(partnerID: String, day: LocalDate) async throws -> PartnerStatement {
        let zone = Deadline.mainlandTimeZone
        let from = day.startOfDay(in: zone)
        let to = day.adding(days: 1).startOfDay(in: zone)
        guard from <= clock.now() else {
            throw DomainError.validation(ValidationError(field: "date", reason: .outOfRange, detail: "a day that has begun"))
        }
        return try await store.read { session in
            guard let partner = try await session.partner(id: partnerID, forUpdate: false) else {
                throw DomainError.partnerNotFound(partnerID)
            }
            let opening = try await session.lastFloatMovement(partnerID: partnerID, before: from)?.after ?? .zero(partner.float.currency)
            let movements = try await session.floatMovements(partnerID: partnerID, from: from, to: to)
            return PartnerStatement(partnerCode: partner.code, day: day, opening: opening, movements: movements)
        }
    }

    // MARK: Callbacks, for the operator

    /// A partner's callbacks, newest first.
    public func callbacks(code: String, status: PartnerCallbackStatus?, limit: Int = 100) async throws -> [(
        PartnerCallback, [PartnerCallbackAttempt]
    )] {
        let partner = try await self.partner(code: code)
        return try await store.read { session in
            var result: [(PartnerCallback, [PartnerCallbackAttempt])] = []
            for callback in try await session.callbacks(partnerID: partner.id, status: status, limit: min(max(limit, 1), 500)) {
                result.append((callback, try await session.callbackAttempts(eventID: callback.eventID)))
            }
            return result
        }
    }

    /// Sends a callback again now, whatever its state (a delivered one is sent once more: the
    /// receiver drops repeats by `event_id`).
    public func replay(code: String, eventID: String) async throws -> PartnerCallback {
        let partner = try await self.partner(code: code)
        let now = clock.now()
        return try await store.write { session in
            guard eventID.utf8.count <= 64, var callback = try await session.callback(eventID: eventID), callback.partnerID == partner.id
            else { throw DomainError.callbackNotFound }
            callback.status = .pending
            callback.nextAttemptAt = now
            try await session.updateCallback(callback)
            return callback
        }
    }
}
