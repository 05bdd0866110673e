import Crypto
import Foundation

/// What an anonymous payer may see before paying (核对信息): never the balance.
public struct LineConfirmation: Sendable, Hashable {
    public let msisdnMasked: String
    public let mobileOperator: MobileOperator
    /// The plan's name in Chinese and in English (``Plan/displayName(_:)``).
    public let planName: String
    public let planEnglishName: String
    public let status: LineStatus
    /// Where the number was issued (归属地), from its first seven digits: a payer who typed a wrong
    /// digit often sees the wrong province here. `nil` when the block is not known.
    public let homeProvince: Province?
    /// For a line out of service: the smallest recharge that puts it back in service (it clears
    /// the arrears); `nil` when the line is in service or no recharge alone restores it. Not for
    /// an anonymous payer's eyes as such: see ``restoringDenomination(in:)``.
    public let restoringAmount: Money?

    /// The plan's name in `language`.
    public func planName(_ language: Language) -> String { language == .zh ? planName : planEnglishName }

    /// The smallest of `denominations` that restores the line, to preselect: a bucket that does
    /// not tell an anonymous payer the exact debt. `nil` when the line needs no restoring, or when
    /// even the largest is not enough.
    public func restoringDenomination(in denominations: [Money]) -> Money? {
        guard let needed = restoringAmount else { return nil }
        return denominations.filter { $0.currency == needed.currency && $0.amountMinor >= needed.amountMinor }
            .min { $0.amountMinor < $1.amountMinor }
    }
}

/// A payer's request for a recharge.
public struct RechargeRequest: Sendable, Hashable {
    public let msisdn: String
    public let amount: Money
    public let channel: Channel
    public let paymentMethod: PaymentMethod

    public init(msisdn: String, amount: Money, channel: Channel, paymentMethod: PaymentMethod) {
        self.msisdn = msisdn
        self.amount = amount
        self.channel = channel
        self.paymentMethod = paymentMethod
    }
}

/// What applying a payment event did.
public enum PaymentApplication: Sendable, Hashable {
    /// 到账: the order is credited and has a receipt.
    case credited(RechargeOrder, Receipt)
    /// The same payment was applied before; nothing changed.
    case duplicate(RechargeOrder)
    /// The failure was recorded on the order.
    case markedFailed(RechargeOrder)
    /// Valid but changes nothing (e.g. a failure after the credit).
    case ignored(RechargeOrder, reason: String)
    /// Money taken that cannot be credited; recorded for a refund.
    case flagged(RechargeOrder, reason: String)
    /// A check failed; only the notification record was written.
    case rejected(reason: String)
}

/// Online (and later every other channel's) recharge: quote, order, payment, credit, receipt.
///
/// Exactly once: a successful payment is recorded under its unique (provider, transaction id)
/// key, the order moves by a guarded transition, and the ledger transfer, the balance and the
/// receipt are written in the same transaction; any duplicate or race finds the key taken or the
/// status moved on and changes nothing.
public struct RechargeService: Sendable {
    /// The ports this service uses, and no others.
    let store: Transactions<any PlanRows & LineRows & OrderRows & CreditRows & LedgerRows & PromotionRows>
    let clock: any WallClock
    let ids: IdentifierFactory
    /// The channels' amount, fee and payment-method rules.
    public let channelPolicies: ChannelPolicyService
    /// How long an unpaid order waits before it expires.
    public let orderTimeToLive: TimeInterval
    /// Retention policies: a credit may clear arrears, extend validity or count as activity.
    let retention: PolicyBook
    /// Unpaid online orders one number may have waiting at once (`nil`: no limit). Anyone may
    /// order for any number; without a limit, fake orders bury the owner's history.
    public let pendingOrdersPerNumber: Int?
    /// How long a never-paid online order is kept after its payment window closed.
    public static let unpaidOrderRetention: TimeInterval = 30 * 24 * 3600

    public init(
        store: any RechargeStore, clock: any WallClock, ids: IdentifierFactory = IdentifierFactory(),
        channelPolicies: ChannelPolicyService, orderTimeToLive: TimeInterval = 30 * 60,
        retention: PolicyBook = .shippedBook, pendingOrdersPerNumber: Int? = nil
    ) {
        self.retention = retention
        self.pendingOrdersPerNumber = pendingOrdersPerNumber
        precondition(orderTimeToLive > 0)
        self.store = Transactions(store) { $0 }
        self.clock = clock
        self.ids = ids
        self.channelPolicies = channelPolicies
        self.orderTimeToLive = orderTimeToLive
    }

    /// 核对信息: what the payer sees about a number before paying.
    public func confirm(msisdn input: String) async throws -> LineConfirmation {
        let msisdn = try LineService.parseNumber(input)
        guard let (line, plan) = try await store.lookup({ try await $0.lineWithPlan(msisdn: msisdn) }), line.status != .reclaimed else {
            throw DomainError.lineNotFound
        }
        return confirmation(line, plan: plan)
    }

    /// ``confirm(msisdn:)`` with `channel`'s rules and the promotions offered on each of its
    /// denominations, the line and its offers read in one read.
    public func confirmWithOffers(msisdn input: String, channel: Channel) async throws -> (
        confirmation: LineConfirmation, policy: ChannelPolicy, offers: [Money: PromotionOffer]
    ) {
        let msisdn = try LineService.parseNumber(input)
        let policy = try await channelPolicies.policy(for: channel)
        let now = clock.now()
        let found = try await store.lookup { session -> (Line, Plan?, [Money: PromotionOffer])? in
            guard let (line, plan) = try await session.lineWithPlan(msisdn: msisdn), line.status != .reclaimed else { return nil }
            let offers = try await PromotionService.offers(
                for: line, among: try await PromotionService.running(on: channel, at: now, in: session), channel: channel,
                paymentMethod: nil, faceValues: policy.denominations, at: now,
                session: session)
            return (line, plan, offers)
        }
        guard let (line, plan, offers) = found else { throw DomainError.lineNotFound }
        return (confirmation(line, plan: plan), policy, offers)
    }

    private func confirmation(_ line: Line, plan: Plan?) -> LineConfirmation {
        // Only a line out of service is given a `restore` action.
        var restoring: Money? = nil
        if case .restore(let amount, _, _) = retention.assess(line, plan: plan, at: clock.now()).action { restoring = amount }
        return LineConfirmation(
            msisdnMasked: line.msisdn.masked, mobileOperator: line.mobileOperator, planName: plan?.name ?? line.planCode,
            planEnglishName: plan?.displayName(.en) ?? line.planCode,
            status: line.status, homeProvince: HomeProvinces.shipped.province(of: line.msisdn), restoringAmount: restoring)
    }

    /// Creates an order, or returns the one made earlier with the same idempotency key and request.
    /// - Returns: the order and whether it was created by this call.
    public func createOrder(_ request: RechargeRequest, idempotencyKey: String) async throws -> (RechargeOrder, created: Bool) {
        guard (8...128).contains(idempotencyKey.utf8.count),
            idempotencyKey.isAllVisibleASCII
        else {
            throw DomainError.validation(ValidationError(field: "Idempotency-Key", reason: .invalidFormat))
        }
        let policy = try await channelPolicies.policy(for: request.channel)
        guard policy.enabled else { throw DomainError.validation(ValidationError(field: "channel", reason: .notAllowed)) }
        guard policy.paymentMethods.contains(request.paymentMethod) else {
            throw DomainError.paymentMethodUnavailable(request.paymentMethod.rawValue)
        }
        let msisdn = try LineService.parseNumber(request.msisdn)
        let quote: Quote
        do { quote = try policy.quote(request.amount) } catch { throw DomainError.validation(error) }
        let fingerprint = Self.fingerprint(msisdn: msisdn, request: request)
        let now = clock.now()
        let orderID = ids.make("rc", at: now)
        let expiresAt = now + orderTimeToLive

        return try await store.write { session in
            if let existing = try await session.order(idempotencyKey: idempotencyKey) {
                guard existing.requestFingerprint == fingerprint else { throw DomainError.idempotencyKeyReused }
                return (existing, false)
            }
            guard let line = try await session.line(msisdn: msisdn) else { throw DomainError.lineNotFound }
            guard line.status.acceptsRecharge else { throw DomainError.lineNotRechargeable(line.status) }
            if request.channel == .online, let limit = self.pendingOrdersPerNumber {
                let pending = try await session.pendingOrders(lineID: line.id, at: now)
                if pending.count >= limit {
                    let wait = pending.firstExpiry.map { Int($0.timeIntervalSince(now).rounded(.up)) } ?? 60
                    throw DomainError.tooManyPendingOrders(retryAfter: max(1, wait))
                }
            }
            let offer = try await PromotionService.offer(
                for: line, channel: request.channel, paymentMethod: request.paymentMethod, faceValue: quote.faceValue, at: now,
                session: session)
            let order = RechargeOrder(
                id: orderID, lineID: line.id, msisdn: msisdn, channel: request.channel, paymentMethod: request.paymentMethod,
                amount: quote.faceValue, fee: quote.fee, total: quote.total, status: .pendingPayment,
                idempotencyKey: idempotencyKey, requestFingerprint: fingerprint, createdAt: now, expiresAt: expiresAt,
                promotionCode: offer?.promotion.code, offeredBonus: offer?.bonus)
            guard try await session.insertOrder(order) else {
                // Lost a race with the same key inside this instant: answer with the winner.
                guard let winner = try await session.order(idempotencyKey: idempotencyKey) else { throw StoreError.conflict }
                guard winner.requestFingerprint == fingerprint else { throw DomainError.idempotencyKeyReused }
                return (winner, false)
            }
            return (order, true)
        }
    }

    /// Removes online orders that were never paid and whose payment window closed more than
    /// ``unpaidOrderRetention`` ago (with their payment links), up to `limit`; returns how many.
    /// Anything that points at an order (a payment, a notification, a ledger entry) keeps it.
    public func purgeUnpaidOrders(limit: Int = 1_000) async throws -> Int {
        let before = clock.now() - Self.unpaidOrderRetention
        return try await store.write { try await $0.purgeUnpaidOrders(before: before, limit: limit) }
    }

    /// An order by id. An unpaid order past its time is shown as expired even before the sweeper runs.
    public func order(id: String) async throws -> RechargeOrder {
        guard var order = try await store.read({ try await $0.order(id: id, forUpdate: false) }) else {
            throw DomainError.orderNotFound
        }
        if order.status == .pendingPayment, order.expiresAt <= clock.now() { order.status = .expired }
        return order
    }

    /// The payer gives up before paying.
    public func cancel(orderID: String) async throws -> RechargeOrder {
        try await retryingConflicts {
            try await store.write { session in
                guard var order = try await session.order(id: orderID, forUpdate: true) else { throw DomainError.orderNotFound }
                let previous = order.status
                do { order.status = try OrderStateMachine.next(previous, on: .cancel) } catch {
                    throw DomainError.orderNotCancellable(previous)
                }
                guard try await session.updateOrder(order, expected: previous, at: clock.now()) else { throw StoreError.conflict }
                return order
            }
        }
    }

    /// Marks unpaid orders past their time as expired, in batches; returns how many.
    public func expireDueOrders(batchSize: Int = 500) async throws -> Int {
        let now = clock.now()
        let limit = min(max(batchSize, 1), 5_000)
        return try await store.write { try await $0.expireOrders(before: now, limit: limit) }
    }

    /// A receipt by number.
    public func receipt(number: String) async throws -> Receipt {
        guard number.count <= 40, let receipt = try await store.read({ try await $0.receipt(number: number) }) else {
            throw DomainError.receiptNotFound
        }
        return receipt
    }

    /// Records a notification a payment adapter refused (bad signature, stale, malformed), or
    /// acknowledged without acting on it (`ignored`: an event type or status Baohao does not use).
    public func recordUnappliedNotification(
        provider: String, eventID: String?, orderID: String?, outcome: NotificationOutcome = .rejected, reason: String
    ) async throws {
        let now = clock.now()
        let record = NotificationRecord(
            id: ids.make("nt", at: now), provider: provider, eventID: eventID.map { String($0.prefix(128)) },
            orderID: orderID.map { String($0.prefix(64)) }, providerTransactionID: nil, outcome: outcome,
            reason: reason, receivedAt: now)
        try await store.write { try await $0.recordNotification(record) }
    }

    /// The payment started for an order, if any.
    /// Applies a verified payment event exactly once: the store loads the order, line and payment
    /// it names, ``PaymentCredit`` decides, the store writes the decision.
    public func applyPayment(_ event: PaymentEvent) async throws -> PaymentApplication {
        try await retryingConflicts {
            let now = clock.now()
            let ids = self.ids
            let retention = self.retention
            let key = PaymentKey(orderID: event.orderID, provider: event.provider, transactionID: event.providerTransactionID)
            return try await store.credit(key) { snapshot in
                try PaymentCredit.decide(event, snapshot: snapshot, ids: ids, now: now, retention: retention)
            }
        }
    }

    /// A stable digest of what a request asks for, to tell a retry from a reuse of its key.
    static func fingerprint(msisdn: MSISDN, request: RechargeRequest) -> String {
        let canonical = [
            msisdn.e164, String(request.amount.amountMinor), request.amount.currency.code, request.channel.rawValue,
            request.paymentMethod.rawValue,
        ].joined(separator: "|")
        return Hex.encode(SHA256.hash(data: Data(canonical.utf8)))
    }
}

extension PaymentMethod {
    /// The payment provider that serves this method.
    public var providerName: String {
        switch self {
        case .sandbox: return "sandbox"
        case .alipay: return "alipay"
        case .wechatPay: return "wechatpay"
        case .unionPay: return "unionpay"
        case .card: return "stripe"
        case .cash, .cardPresent: return "counter"
        case .partnerFloat: return "partner"
        case .voucher: return "voucher"
        }
    }
}
