import Crypto
import Foundation

/// 第三方平台, the partner's side: a signed-in partner submits a top-up under its own reference;
/// its cost is held on the float in the same transaction that accepts it, then captured when the
/// line is credited (or released if it cannot be), with the callback queued in that transaction.
///
/// Exactly once: a reference is unique per partner (a retry with the same request answers the
/// same top-up; another request under it is ``DomainError/referenceReused``), the hold is a
/// conditional update that never takes the float below zero, and the credit goes through the
/// payments' unique (provider, transaction id) key like every other channel's.
public struct PartnerTopupService: Sendable {
    /// The ports this service uses, and no others.
    let store: Transactions<any PartnerRows & CreditRows & LineRows & OrderRows & PromotionRows>
    let clock: any WallClock
    let ids: IdentifierFactory
    let channelPolicies: ChannelPolicyService
    let retention: PolicyBook
    /// Called after a callback was queued, so the deliverer need not wait for its next round.
    let callbackQueued: @Sendable () -> Void

    /// How long a partner's order may stay unpaid before the order sweeper would expire it; far
    /// longer than the top-up sweep, which completes accepted top-ups within seconds.
    static let orderLifetime: TimeInterval = 24 * 3600
    /// The provider name partner credits are recorded under.
    static let provider = PaymentMethod.partnerFloat.providerName

    public init(
        store: any RechargeStore, clock: any WallClock, channelPolicies: ChannelPolicyService, ids: IdentifierFactory = IdentifierFactory(),
        retention: PolicyBook = .shippedBook, callbackQueued: @escaping @Sendable () -> Void = {}
    ) {
        self.store = Transactions(store) { $0 }
        self.clock = clock
        self.ids = ids
        self.channelPolicies = channelPolicies
        self.retention = retention
        self.callbackQueued = callbackQueued
    }

    /// A top-up as the partner API shows it, and whether this call created it.
    public struct Result: Sendable, Hashable {
        public let topup: PartnerTopup
        public let float: PartnerFloat
        public let created: Bool

        public var view: PartnerTopupView { PartnerTopupView(topup, float: float) }
    }

    /// Accepts a top-up (holding its cost) and credits it. A failure to credit after acceptance
    /// leaves it accepted, for ``completeAccepted(olderThan:limit:)`` to finish.
    public func submit(_ request: PartnerTopupRequest, partner: Partner) async throws -> Result {
        guard partner.isEnabled else { throw DomainError.partnerDisabled }
        let reference = request.reference
        guard (1...PartnerTopupRequest.maximumReference).contains(reference.utf8.count), reference.isAllVisibleASCII else {
            throw DomainError.validation(
                ValidationError(
                    field: "reference", reason: .invalidFormat,
                    detail: "1–\(PartnerTopupRequest.maximumReference) visible ASCII characters"))
        }
        let msisdn = try LineService.parseNumber(request.msisdn)
        let policy = try await channelPolicies.policy(for: .partner)
        guard policy.enabled else { throw DomainError.validation(ValidationError(field: "channel", reason: .notAllowed)) }
        let quote: Quote
        do { quote = try policy.quote(request.amount) } catch { throw DomainError.validation(error) }
        let fingerprint = Hex.encode(
            SHA256.hash(data: Data("\(msisdn.e164)|\(quote.faceValue.amountMinor)|\(quote.faceValue.currency.code)".utf8)))
        let accepted = try await retryingConflicts {
            try await accept(reference: reference, msisdn: msisdn, face: quote.faceValue, fingerprint: fingerprint, partner: partner)
        }
        guard accepted.created else { return accepted }
        do {
            return try await settle(topupID: accepted.topup.id)
        } catch {
            return accepted
        }
    }

    func accept(reference: String, msisdn: MSISDN, face: Money, fingerprint: String, partner: Partner) async throws -> Result {
        let now = clock.now()
        let ids = self.ids
        return try await store.write { session in
            if let existing = try await session.partnerTopup(partnerID: partner.id, reference: reference) {
                guard existing.fingerprint == fingerprint else { throw DomainError.referenceReused }
                let float = try await session.partner(id: partner.id, forUpdate: false)?.float ?? partner.float
                return Result(topup: existing, float: float, created: false)
            }
            guard let line = try await session.line(msisdn: msisdn) else { throw DomainError.lineNotFound }
            guard line.status.acceptsRecharge else { throw DomainError.lineNotRechargeable(line.status) }
            guard let current = try await session.partner(id: partner.id, forUpdate: false) else {
                throw DomainError.partnerNotFound(partner.code)
            }
            guard face.currency == current.float.currency else {
                throw DomainError.validation(
                    ValidationError(field: "amount.currency", reason: .notAllowed, detail: current.float.currency.code))
            }
            let cost = current.pricing.cost(of: face)
            let offer = try await PromotionService.offer(
                for: line, channel: .partner, paymentMethod: .partnerFloat, faceValue: face, at: now, session: session)
            let order = RechargeOrder(
                id: ids.make("rc", at: now), lineID: line.id, msisdn: msisdn, channel: .partner, paymentMethod: .partnerFloat, amount: face,
                fee: .zero(face.currency), total: face, status: .pendingPayment, idempotencyKey: "ptn:\(partner.id):\(reference)",
                requestFingerprint: fingerprint, createdAt: now, expiresAt: now + Self.orderLifetime,
                promotionCode: offer?.promotion.code, offeredBonus: offer?.bonus)
            // The same reference sent twice at once: the second insert waits for the first and
            // finds its key taken; the retry then answers with the first one's top-up.
            guard try await session.insertOrder(order) else { throw StoreError.conflict }
            let hold = try Transfer(
                id: ids.make("tr", at: now), kind: .floatHold, orderID: nil,
                postings: [
                    Posting(.partnerFloat(partnerID: partner.id), try cost.negated()), Posting(.partnerHeld(partnerID: partner.id), cost),
                ],
                createdAt: now)
            try await session.appendTransfer(hold)
            let topup = PartnerTopup(
                id: ids.make("pt", at: now), partnerID: partner.id, reference: reference, orderID: order.id, msisdnMasked: msisdn.masked,
                amount: face, cost: cost, fingerprint: fingerprint, status: .accepted, holdTransferID: hold.id, createdAt: now,
                updatedAt: now)
            guard try await session.insertPartnerTopup(topup) else { throw StoreError.conflict }
            // The float's row is taken last: every top-up of this partner waits for its lock until
            // this transaction's commit, so nothing else runs while it is held.
            guard
                let moved = try await session.moveFloat(
                    FloatMove(
                        id: ids.make("fm", at: now), partnerID: partner.id, kind: .hold, reference: reference, topupID: topup.id,
                        transferID: hold.id, availableChange: try cost.negated(), heldChange: cost, at: now))
            else { throw DomainError.insufficientFloat(available: current.float.available, cost: cost) }
            return Result(topup: topup, float: moved.after, created: true)
        }
    }

    /// Credits an accepted top-up (capturing its hold) or, if its line no longer takes a
    /// recharge, fails it (releasing the hold); queues the callback in the same transaction. A
    /// top-up already settled is answered as it is.
    func settle(topupID: String) async throws -> Result {
        let result = try await retryingConflicts { try await settleOnce(topupID: topupID) }
        if result.created { callbackQueued() }
        return result
    }

    /// One try; `created` in the result says whether this call settled it.
    func settleOnce(topupID: String) async throws -> Result {
        let now = clock.now()
        let ids = self.ids
        let retention = self.retention
        return try await store.write { session in
            guard var topup = try await session.partnerTopup(id: topupID, forUpdate: true) else {
                throw StoreError.corrupt("no partner top-up \(topupID)")
            }
            guard let partner = try await session.partner(id: topup.partnerID, forUpdate: false) else {
                throw StoreError.corrupt("top-up \(topupID) has no partner")
            }
            guard topup.status == .accepted else { return Result(topup: topup, float: partner.float, created: false) }
            guard var order = try await session.order(id: topup.orderID, forUpdate: true),
                let line = try await session.line(id: order.lineID, forUpdate: true)
            else { throw StoreError.corrupt("top-up \(topupID) has no order or line") }
            let cost = topup.cost
            let movement: FloatMovementKind
            let type: PartnerCallbackType
            if line.status.acceptsRecharge && order.status == .pendingPayment {
                let event = PaymentEvent(
                    provider: Self.provider, eventID: "partner:\(topup.id)", orderID: order.id, providerTransactionID: topup.id,
                    outcome: .succeeded, amount: order.total, occurredAt: now)
                var funding = [Posting(.partnerHeld(partnerID: partner.id), try cost.negated())]
                if topup.discount.amountMinor > 0 { funding.append(Posting(.partnerDiscounts, try topup.discount.negated())) }
                let (application, transferID) = try await session.credit(
                    PaymentKey(orderID: order.id, provider: Self.provider, transactionID: topup.id)
                ) { snapshot in
                    let (outcome, changes) = try PaymentCredit.decide(
                        event, snapshot: snapshot, ids: ids, now: now, retention: retention, funding: funding)
                    return ((outcome, changes.transfer?.id), changes)
                }
                guard case .credited(_, let receipt) = application, let transferID else {
                    throw StoreError.corrupt("partner top-up \(topupID) not credited: \(application)")
                }
                movement = .capture
                type = .credited
                topup.status = .credited
                topup.settleTransferID = transferID
                topup.receiptNumber = receipt.number
            } else {
                let reason = order.status == .pendingPayment ? "line_\(line.status.rawValue)" : "order_\(order.status.rawValue)"
                if order.status == .pendingPayment {
                    order.status = try OrderStateMachine.next(.pendingPayment, on: .paymentFailed)
                    guard try await session.updateOrder(order, expected: .pendingPayment, at: now) else { throw StoreError.conflict }
                }
                let release = try Transfer(
                    id: ids.make("tr", at: now), kind: .floatRelease, orderID: nil, reverses: topup.holdTransferID,
                    postings: [
                        Posting(.partnerHeld(partnerID: partner.id), try cost.negated()),
                        Posting(.partnerFloat(partnerID: partner.id), cost),
                    ],
                    createdAt: now)
                try await session.appendTransfer(release)
                movement = .release
                type = .failed
                topup.status = .failed
                topup.failureReason = reason
                topup.settleTransferID = release.id
            }
            topup.updatedAt = now
            guard try await session.updatePartnerTopup(topup, expected: .accepted) else { throw StoreError.conflict }
            // The float's row last, as in `accept`: a capture only lowers what is held, a release
            // moves it back to what is available.
            guard
                let moved = try await session.moveFloat(
                    FloatMove(
                        id: ids.make("fm", at: now), partnerID: partner.id, kind: movement, reference: topup.reference,
                        topupID: topup.id, transferID: topup.settleTransferID ?? "",
                        availableChange: movement == .release ? cost : .zero(cost.currency), heldChange: try cost.negated(), at: now))
            else { throw StoreError.corrupt("partner \(partner.id) holds less than top-up \(topupID)'s cost") }
            if partner.callbackURL != nil {
                let eventID = ids.make("ev", at: now)
                try await session.insertCallback(
                    PartnerCallback(
                        eventID: eventID, partnerID: partner.id, topupID: topup.id, type: type,
                        body: try PartnerCallback.body(eventID: eventID, type: type, topup: PartnerTopupView(topup, float: moved.after)),
                        nextAttemptAt: now, createdAt: now))
            }
            return Result(topup: topup, float: moved.after, created: true)
        }
    }

    /// A partner's top-up by its reference, with the float now.
    public func topup(reference: String, partner: Partner) async throws -> Result {
        guard (1...PartnerTopupRequest.maximumReference).contains(reference.utf8.count) else { throw DomainError.partnerTopupNotFound }
        return try await store.read { session in
            guard let topup = try await session.partnerTopup(partnerID: partner.id, reference: reference) else {
                throw DomainError.partnerTopupNotFound
            }
            let float = try await session.partner(id: partner.id, forUpdate: false)?.float ?? partner.float
            return Result(topup: topup, float: float, created: false)
        }
    }

    /// Finishes top-ups a crash or an error left accepted for longer than `age`; how many it settled.
    public func completeAccepted(olderThan age: TimeInterval = 5, limit: Int = 200) async throws -> Int {
        let due = try await store.read { try await $0.acceptedPartnerTopups(before: clock.now() - age, limit: limit) }
        var settled = 0
        for topup in due where try await settle(topupID: topup.id).created { settled += 1 }
        return settled
    }
}
