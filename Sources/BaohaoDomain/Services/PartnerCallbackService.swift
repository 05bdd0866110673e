import Foundation

/// Delivers partners' callbacks from the outbox: each due one is claimed (so two server processes
/// never post it at once), posted signed with every valid key of its partner, and marked
/// delivered on a 2xx or scheduled again on the ``CallbackSchedule`` until it is abandoned after
/// 24 hours. At least once: a receiver drops repeats by `event_id`.
public struct PartnerCallbackService: Sendable {
    /// The ports this service uses, and no others.
    let store: Transactions<any PartnerRows>
    let partners: PartnerService
    let transport: any CallbackTransport
    let clock: any WallClock
    let schedule: CallbackSchedule

    public init(
        store: any RechargeStore, partners: PartnerService, transport: any CallbackTransport, clock: any WallClock,
        schedule: CallbackSchedule = .standard
    ) {
        self.store = Transactions(store) { $0 }
        self.partners = partners
        self.transport = transport
        self.clock = clock
        self.schedule = schedule
    }

    /// What one round did.
    public struct Round: Sendable, Hashable {
        public var delivered = 0
        public var failed = 0
        public var abandoned = 0
    }

    /// The most callbacks posted at once in a round.
    public static let concurrency = 8

    /// Posts every callback due now, at most `limit`.
    public func deliverDue(limit: Int = 100) async throws -> Round {
        let now = clock.now()
        let due = try await store.read { try await $0.dueCallbacks(at: now, limit: limit) }
        var round = Round()
        var index = 0
        while index < due.count {
            let slice = due[index..<min(index + Self.concurrency, due.count)]
            index += slice.count
            let outcomes = try await withThrowingTaskGroup(of: PartnerCallbackStatus?.self) { group in
                for callback in slice { group.addTask { try await deliver(callback) } }
                var outcomes: [PartnerCallbackStatus?] = []
                for try await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            for outcome in outcomes {
                switch outcome {
                case .delivered: round.delivered += 1
                case .pending: round.failed += 1
                case .abandoned: round.abandoned += 1
                case nil: break
                }
            }
        }
        return round
    }

    /// One attempt at one callback; its state after, or `nil` if another process had claimed it.
    func deliver(_ due: PartnerCallback) async throws -> PartnerCallbackStatus? {
        let claimedAt = clock.now()
        guard
            try await store.write({
                try await $0.claimCallback(
                    eventID: due.eventID, expected: due.nextAttemptAt, leaseUntil: claimedAt + CallbackSchedule.lease)
            })
        else { return nil }
        var callback = due
        guard let partner = try await store.read({ try await $0.partner(id: due.partnerID, forUpdate: false) }) else {
            throw StoreError.corrupt("callback \(due.eventID) has no partner")
        }
        let started = ContinuousClock.now
        let answer: CallbackAnswer
        if let url = partner.callbackURL {
            let body = Data(callback.body.utf8)
            let secrets = try await partners.callbackSecrets(partnerID: partner.id)
            let timestamp = Int64(clock.now().timeIntervalSince1970)
            answer = await transport.post(
                url: url,
                headers: [
                    ("Content-Type", "application/json"), ("Baohao-Event-Id", callback.eventID),
                    ("Baohao-Signature", PartnerSignature.callbackHeader(secrets: secrets, timestamp: timestamp, body: body)),
                ], body: body)
        } else {
            answer = .failed("no callback URL")
        }
        let elapsed = ContinuousClock.now - started
        let now = clock.now()
        callback.attempts += 1
        switch answer {
        case .status(let status):
            callback.lastHTTPStatus = status
            callback.lastError = (200...299).contains(status) ? nil : "HTTP \(status)"
        case .failed(let error):
            callback.lastHTTPStatus = nil
            callback.lastError = String(error.prefix(200))
        }
        if case .status(let status) = answer, (200...299).contains(status) {
            callback.status = .delivered
            callback.deliveredAt = now
        } else if let next = schedule.retry(after: callback.attempts, createdAt: callback.createdAt, now: now) {
            callback.status = .pending
            callback.nextAttemptAt = next
        } else {
            callback.status = .abandoned
        }
        let attempt = PartnerCallbackAttempt(
            eventID: callback.eventID, number: callback.attempts, at: claimedAt, httpStatus: callback.lastHTTPStatus,
            error: callback.lastError,
            durationMillis: Int(elapsed.wholeMilliseconds))
        let saved = callback
        try await store.write { session in
            try await session.updateCallback(saved)
            try await session.insertCallbackAttempt(attempt)
        }
        return callback.status
    }
}
