import Foundation

/// 优惠活动: promotions created, shown and ended by the operator, and offered to payers.
///
/// A promotion is offered when an order is made (the best one for the payer then, see
/// ``PromotionOffer/best(among:for:usesOnLine:)``, recorded on the order) and paid, or not, by
/// the credit itself (``PaymentCredit``), which weighs the offer again against the payment's time,
/// the number's history and the budget, in the same transaction.
public struct PromotionService: Sendable {
    /// The ports this service uses, and no others.
    let store: Transactions<any PromotionRows & CreditRows & LineRows>
    let clock: any WallClock

    public init(store: any RechargeStore, clock: any WallClock) {
        self.store = Transactions(store) { $0 }
        self.clock = clock
    }

    /// Creates a promotion; a repeat of the same rules under the same code answers the existing
    /// one (`created` false), other rules under a taken code are refused.
    public func create(_ rules: PromotionRules, by: String) async throws -> (Promotion, created: Bool) {
        let now = clock.now()
        let promotion: Promotion
        do { promotion = try rules.checked(by: by, at: now) } catch { throw DomainError.validation(error) }
        return try await store.write { session in
            if try await session.insertPromotion(promotion) { return (promotion, true) }
            guard let existing = try await session.promotion(code: promotion.code, forUpdate: false) else { throw StoreError.conflict }
            guard existing.rules == promotion.rules else { throw DomainError.promotionExists(promotion.code) }
            return (existing, false)
        }
    }

    public func promotion(code: String) async throws -> Promotion {
        guard code.count <= 32, let promotion = try await store.read({ try await $0.promotion(code: code, forUpdate: false) }) else {
            throw DomainError.promotionNotFound(String(code.prefix(32)))
        }
        return promotion
    }

    /// Promotions, newest first.
    public func promotions(limit: Int = 200) async throws -> [Promotion] {
        try await store.read { try await $0.promotions(limit: min(max(limit, 1), 1_000)) }
    }

    /// Promotions running now.
    public func running() async throws -> [Promotion] {
        let now = clock.now()
        return try await store.read { try await $0.runningPromotions(at: now) }
    }

    /// Ends a promotion now; payments made from now on get no bonus from it. Ending an ended
    /// promotion changes nothing.
    public func end(code: String, by: String) async throws -> Promotion {
        let now = clock.now()
        return try await store.write { session in
            guard code.count <= 32, let promotion = try await session.promotion(code: code, forUpdate: true) else {
                throw DomainError.promotionNotFound(String(code.prefix(32)))
            }
            guard promotion.isRunning(at: now) || promotion.startsAt > now, promotion.endedAt == nil else { return promotion }
            guard try await session.endPromotion(code: code, at: now, by: by) else { throw StoreError.conflict }
            var ended = promotion
            ended.endedAt = now
            ended.endedBy = by
            return ended
        }
    }

    /// What a payer of `faceValues` by `channel` (and `paymentMethod`, when chosen) would get on
    /// `msisdn` now (a number not ours, or none: as a first recharge), face value by face value:
    /// the quote shown before paying.
    public func offers(
        msisdn input: String?, channel: Channel, paymentMethod: PaymentMethod?, faceValues: [Money]
    ) async throws -> [Money: PromotionOffer] {
        let now = clock.now()
        let msisdn = input.flatMap { try? LineService.parseNumber($0) }
        return try await store.read { session in
            let running = try await Self.running(on: channel, at: now, in: session)
            guard !running.isEmpty else { return [:] }
            let line = try await msisdn.asyncMap { try await session.line(msisdn: $0) } ?? nil
            return try await Self.offers(
                for: line, among: running, channel: channel, paymentMethod: paymentMethod, faceValues: faceValues, at: now,
                session: session)
        }
    }

    /// The promotions running on `channel` at `now`.
    static func running(on channel: Channel, at now: Date, in session: some PromotionRows) async throws -> [Promotion] {
        try await session.runningPromotions(at: now).filter { $0.channels.contains(channel) }
    }

    /// ``offers(msisdn:channel:paymentMethod:faceValues:)`` for a line already read (or none) and
    /// the promotions running on `channel`, in the caller's read: the confirm step reads the line
    /// and its offers in one.
    static func offers(
        for line: Line?, among running: [Promotion], channel: Channel, paymentMethod: PaymentMethod?, faceValues: [Money],
        at now: Date, session: some PromotionRows & CreditRows
    ) async throws -> [Money: PromotionOffer] {
        guard !running.isEmpty else { return [:] }
        let history = try await Self.history(of: line, for: running, in: session)
        var result: [Money: PromotionOffer] = [:]
        for face in faceValues {
            // Without a chosen method, a promotion limited to some methods is still shown: the
            // payer can choose one of them.
            let offers = running.compactMap { promotion -> PromotionOffer? in
                let method = paymentMethod ?? promotion.paymentMethods?.first ?? PaymentMethod.online[0]
                let candidate = PromotionCandidate(
                    channel: channel, paymentMethod: method, faceValue: face, at: now, creditedBefore: history.creditedBefore)
                return PromotionOffer.best(among: [promotion], for: candidate, usesOnLine: { history.uses[$0] ?? 0 })
            }
            // The same choice an order makes (``PromotionOffer/best(among:for:usesOnLine:)``), ties included.
            if let best = offers.min(by: PromotionOffer.isBetter) { result[face] = best }
        }
        return result
    }

    /// The best offer for an order about to be made, read in the order's own transaction.
    static func offer(
        for line: Line, channel: Channel, paymentMethod: PaymentMethod, faceValue: Money, at now: Date,
        session: some PromotionRows & CreditRows
    ) async throws -> PromotionOffer? {
        let running = try await session.runningPromotions(at: now)
        guard !running.isEmpty else { return nil }
        let history = try await history(of: line, for: running, in: session)
        let candidate = PromotionCandidate(
            channel: channel, paymentMethod: paymentMethod, faceValue: faceValue, at: now, creditedBefore: history.creditedBefore)
        return PromotionOffer.best(among: running, for: candidate, usesOnLine: { history.uses[$0] ?? 0 })
    }

    /// Whether a line was credited before, and its bonuses from each of `promotions` (only read
    /// when a promotion needs them).
    static func history(
        of line: Line?, for promotions: [Promotion], in session: some CreditRows
    ) async throws -> (creditedBefore: Bool, uses: [String: Int]) {
        guard let line else { return (false, [:]) }
        var uses: [String: Int] = [:]
        for promotion in promotions where promotion.perNumberLimit != nil {
            uses[promotion.code] = try await session.promotionUseCount(code: promotion.code, lineID: line.id)
        }
        let creditedBefore = promotions.contains(where: \.firstRechargeOnly) ? try await session.hasBeenCredited(lineID: line.id) : true
        return (creditedBefore, uses)
    }
}

extension Optional {
    func asyncMap<U>(_ transform: (Wrapped) async throws -> U) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
