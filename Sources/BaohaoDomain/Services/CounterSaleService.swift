import Crypto
import Foundation

/// Selling at the counter: a clerk in an open shift recharges a number for cash or a card on the
/// POS terminal, and the line is credited at once — order, payment, till transfer, balance,
/// receipt and sale in one transaction. A payment code (付款码) is charged at its wallet's provider
/// and credited like an online payment when the provider says it is paid; while the payer confirms
/// in the app it is queried on ``CodePaymentSchedule`` and cancelled if it never completes.
///
/// A retry with the same `Idempotency-Key` (scoped to the clerk) and the same request is the same
/// sale; the same key with another request is ``DomainError/idempotencyKeyReused``.
public struct CounterSaleService: Sendable {
    /// The ports this service uses, and no others.
    let store: Transactions<any ShiftRows & CounterSaleRows & CreditRows & LedgerRows & PromotionRows>
    let recharges: RechargeService
    let clock: any WallClock
    let ids: IdentifierFactory
    let retention: PolicyBook
    /// The server's key for ID-number hashes (its bytes); `nil` refuses sales that need the
    /// real-name check.
    let idHashKey: Data?
    /// Whether every sale needs the payer's resident ID (实名).
    public let realNameRequired: Bool
    /// The providers that take payment codes, and how a waiting one is followed.
    let codeGateways: [any CodePaymentGateway]
    let schedule: CodePaymentSchedule
    let sleeper: any Clock<Duration>

    /// The longest POS terminal reference kept.
    public static let maximumTerminalReference = 64

    public init(
        store: any RechargeStore, recharges: RechargeService, clock: any WallClock, idHashKey: Data?, realNameRequired: Bool = true,
        ids: IdentifierFactory = IdentifierFactory(), retention: PolicyBook = .shippedBook, codeGateways: [any CodePaymentGateway] = [],
        schedule: CodePaymentSchedule = .standard, sleeper: any Clock<Duration> = ContinuousClock()
    ) {
        self.codeGateways = codeGateways
        self.schedule = schedule
        self.sleeper = sleeper
        self.store = Transactions(store) { $0 }
        self.recharges = recharges
        self.clock = clock
        self.idHashKey = idHashKey
        self.realNameRequired = realNameRequired
        self.ids = ids
        self.retention = retention
    }

    /// A sale and its receipt number.
    public struct Result: Sendable, Hashable {
        public let sale: CounterSale
        public let order: RechargeOrder
        /// `false` when this was a retry of a sale made before.
        public let created: Bool
    }

    public func sell(_ request: CounterSaleRequest, by clerk: StaffAccount, idempotencyKey: String) async throws -> Result {
        guard clerk.role == .clerk else { throw DomainError.staffRoleNotAllowed(clerk.role) }
        let gateway = try checkedCode(request)
        guard let method = request.tender.paymentMethod ?? gateway?.method else { throw StoreError.corrupt("tender without method") }
        let (idHash, idMasked) = try checkedID(request.idNumber)
        let reference = try checkedTerminalReference(request)
        let policy = try await recharges.channelPolicies.policy(for: .counter)
        guard policy.enabled else { throw DomainError.validation(ValidationError(field: "channel", reason: .notAllowed)) }
        let quote: Quote
        do { quote = try policy.quote(request.amount) } catch { throw DomainError.validation(error) }
        let change = try checkedChange(request, total: quote.total)
        guard let shift = try await store.read({ try await $0.openShift(clerkID: clerk.id) }) else { throw DomainError.noOpenShift }

        let scopedKey = "ctr-\(clerk.id)-\(idempotencyKey)"
        guard (8...128).contains(idempotencyKey.utf8.count), scopedKey.utf8.count <= 128 else {
            throw DomainError.validation(ValidationError(field: "Idempotency-Key", reason: .invalidFormat))
        }
        let (order, _) = try await recharges.createOrder(
            RechargeRequest(msisdn: request.msisdn, amount: request.amount, channel: .counter, paymentMethod: method),
            idempotencyKey: scopedKey)
        let fingerprint = Self.fingerprint(request, idHash: idHash, reference: reference, code: request.paymentCode)
        let now = clock.now()
        let sale = CounterSale(
            id: ids.make("cs", at: now), orderID: order.id, shiftID: shift.id, clerkID: clerk.id, tender: request.tender,
            amount: order.amount, fee: order.fee, total: order.total, tendered: request.tender == .cash ? request.tendered : nil,
            change: change, cardTerminalRef: reference, idHash: idHash, idMasked: idMasked, fingerprint: fingerprint, createdAt: now)
        let ids = self.ids
        let retention = self.retention
        let result = try await store.write { session in
            // The order's row lock orders two terminals sending the same sale: the second waits,
            // then finds the first one's sale.
            _ = try await session.order(id: order.id, forUpdate: true)
            if let existing = try await session.sale(orderID: order.id) {
                guard existing.fingerprint == fingerprint else { throw DomainError.idempotencyKeyReused }
                return Result(sale: existing, order: try await session.order(id: order.id, forUpdate: false) ?? order, created: false)
            }
            guard let current = try await session.shift(id: shift.id, forUpdate: true), current.status == .open else {
                throw DomainError.shiftClosed
            }
            if gateway != nil {
                // A payment code: the sale is recorded first; the provider's answer credits it.
                guard try await session.insertSale(sale) else { throw StoreError.conflict }
                return Result(sale: sale, order: order, created: true)
            }
            guard let till = request.tender.till(shiftID: shift.id) else { throw StoreError.corrupt("tender without till") }
            let validUntilBefore = try await session.line(id: order.lineID, forUpdate: true)?.retention.validUntil
            let event = PaymentEvent(
                provider: PaymentMethod.cash.providerName, eventID: "counter:\(sale.id)", orderID: order.id, providerTransactionID: sale.id,
                outcome: .succeeded, amount: order.total, occurredAt: now)
            let application = try await session.credit(PaymentKey(orderID: order.id, provider: event.provider, transactionID: sale.id)) {
                snapshot in
                let (outcome, changes) = try PaymentCredit.decide(
                    event, snapshot: snapshot, ids: ids, now: now, retention: retention, source: till)
                guard case .credited = outcome else {
                    throw DomainError.validation(
                        ValidationError(field: "msisdn", reason: .notAllowed, detail: "the line takes no recharge now"))
                }
                return (outcome, changes)
            }
            guard case .credited(let credited, _) = application else { throw StoreError.corrupt("counter sale not credited") }
            var sale = sale
            sale.validUntilBefore = validUntilBefore
            sale.validUntilAfter = try await session.line(id: order.lineID, forUpdate: false)?.retention.validUntil
            guard try await session.insertSale(sale) else { throw StoreError.conflict }
            return Result(sale: sale, order: credited, created: true)
        }
        guard let gateway, let code = request.paymentCode, result.created else { return result }
        let settled = try await settle(
            CodePaymentRequest(
                orderID: order.id, total: order.total, code: code, subject: "话费充值 \(order.msisdn.masked)", outletCode: shift.outletCode),
            at: gateway)
        if let reason = settled.declined { throw DomainError.paymentDeclined(reason) }
        var settledSale = result.sale
        settledSale.orderStatus = settled.order.status
        return Result(sale: settledSale, order: settled.order, created: true)
    }

    /// A code payment's order after the provider answered, and why it failed if it did.
    typealias Settled = (order: RechargeOrder, declined: String?)

    /// Charges a payment code and follows it: credited when paid, failed when declined or closed,
    /// and while the payer confirms, queried on the schedule — the first queries before answering
    /// the clerk, the rest afterwards — then cancelled if it never completes.
    func settle(_ charge: CodePaymentRequest, at gateway: any CodePaymentGateway) async throws -> Settled {
        let outcome: CodePaymentOutcome
        do { outcome = try await gateway.charge(charge) } catch { outcome = .unknown }
        switch outcome {
        case .paid(let event):
            return try await applied(event, charge)
        case .declined(let reason):
            return try await failed(charge, gateway: gateway, reason: reason)
        case .userPaying, .unknown:
            break
        }
        let delays = schedule.queryDelays
        if let done = try await follow(charge, at: gateway, delays: delays.prefix(schedule.queriesBeforeAnswering)) { return done }
        let rest = Array(delays.dropFirst(schedule.queriesBeforeAnswering))
        let service = self
        // The clerk hears "pending_payment" now; the payer may still confirm. Bounded by the schedule.
        Task {
            if try await service.follow(charge, at: gateway, delays: rest[...]) == nil {
                for _ in 0..<3 where (try? await gateway.cancelCharge(orderID: charge.orderID)) != true {}
                _ = try? await service.failed(charge, gateway: gateway, reason: "cancelled_unconfirmed")
            }
        }
        return (try await recharges.order(id: charge.orderID), nil)
    }

    /// Queries after each delay; the settled order, or `nil` while the payer has not confirmed.
    func follow(_ charge: CodePaymentRequest, at gateway: any CodePaymentGateway, delays: ArraySlice<Duration>) async throws -> Settled? {
        for delay in delays {
            try await sleeper.sleep(for: delay)
            let answer: PaymentQueryResult
            do {
                answer = try await gateway.queryPayment(PaymentQuery(orderID: charge.orderID, total: charge.total, providerReference: nil))
            } catch { continue }
            switch answer {
            case .paid(let event): return try await applied(event, charge)
            case .closed: return try await failed(charge, gateway: gateway, reason: "closed")
            case .pending, .notFound: continue
            }
        }
        return nil
    }

    func applied(_ event: PaymentEvent, _ charge: CodePaymentRequest) async throws -> Settled {
        _ = try await recharges.applyPayment(event)
        return (try await recharges.order(id: charge.orderID), nil)
    }

    func failed(_ charge: CodePaymentRequest, gateway: any CodePaymentGateway, reason: String) async throws -> Settled {
        _ = try await recharges.applyPayment(
            PaymentEvent(
                provider: gateway.name, eventID: "code-\(reason):\(charge.orderID)", orderID: charge.orderID,
                providerTransactionID: "code:\(charge.orderID)", outcome: .failed, amount: charge.total, occurredAt: clock.now()))
        // A failure after the money was taken (a notification won the race) is ignored: not declined.
        let order = try await recharges.order(id: charge.orderID)
        return (order, order.status == .failed ? reason : nil)
    }

    /// The gateway for a payment-code tender, with the code checked; `nil` for money in hand.
    func checkedCode(_ request: CounterSaleRequest) throws -> (any CodePaymentGateway)? {
        guard let wallet = request.tender.wallet else {
            guard request.paymentCode == nil else {
                throw DomainError.validation(
                    ValidationError(field: "payment_code", reason: .notAllowed, detail: "alipay_code and wechat_code only"))
            }
            return nil
        }
        guard let code = request.paymentCode, wallet.accepts(code) else {
            throw DomainError.validation(
                ValidationError(
                    field: "payment_code", reason: .invalidFormat,
                    detail: wallet == .alipay
                        ? "an Alipay payment code: 16–24 digits from 25–30" : "a WeChat Pay payment code: 18 digits from 10–15"))
        }
        guard let gateway = codeGateways.first(where: { $0.wallets.contains(wallet) }) else {
            throw DomainError.validation(
                ValidationError(field: "tender", reason: .notAllowed, detail: "no provider takes \(wallet.rawValue) codes here"))
        }
        return gateway
    }

    /// The longest void reason kept.
    public static let maximumReason = 200

    /// Voids the clerk's own sale in its still-open shift: a transfer reversing the sale's credit
    /// (never an edit), the line's balance and any validity the sale bought given back, the order
    /// `voided` and the receipt marked voided, in one transaction. Refused while the line's balance
    /// no longer covers the face value (``DomainError/voidNotCovered(available:)``); after the
    /// shift closes it is a refund, not a void. Voiding a voided sale again answers the same void.
    public func void(saleID: String, reason: String, by clerk: StaffAccount) async throws -> Result {
        guard clerk.role == .clerk else { throw DomainError.staffRoleNotAllowed(clerk.role) }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...Self.maximumReason).contains(reason.count),
            !reason.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw DomainError.validation(
                ValidationError(field: "reason", reason: .invalidFormat, detail: "1–\(Self.maximumReason) characters, one line"))
        }
        let now = clock.now()
        let ids = self.ids
        return try await store.write { session in
            guard saleID.count <= 64, var sale = try await session.sale(id: saleID), sale.clerkID == clerk.id else {
                throw DomainError.saleNotFound
            }
            guard var order = try await session.order(id: sale.orderID, forUpdate: true) else {
                throw StoreError.corrupt("sale \(sale.id) has no order")
            }
            if sale.voided != nil { return Result(sale: sale, order: order, created: false) }
            guard sale.tender.till(shiftID: sale.shiftID) != nil else {
                throw DomainError.validation(
                    ValidationError(field: "id", reason: .notAllowed, detail: "a payment-code sale goes back to the wallet by a refund"))
            }
            guard let shift = try await session.shift(id: sale.shiftID, forUpdate: true), shift.status == .open else {
                throw DomainError.shiftClosed
            }
            guard order.status == .credited, let line = try await session.line(id: order.lineID, forUpdate: true),
                let original = try await session.transfer(orderID: order.id)
            else { throw StoreError.corrupt("sale \(sale.id): order \(order.id) is \(order.status.rawValue) without its credit") }
            guard line.balance.amountMinor >= sale.amount.amountMinor else {
                throw DomainError.voidNotCovered(available: line.balance)
            }
            let reversal = try original.reversal(id: ids.make("tr", at: now), kind: .void, at: now)
            try await session.appendTransfer(reversal)
            var balance = try line.balance.subtracting(sale.amount)
            balance = try balance.subtracting(
                try await BonusClawback.take(
                    order: order, refundedFace: order.amount, available: balance, session: session, ids: ids, now: now))
            guard try await session.setBalance(lineID: line.id, to: balance, expected: line.balance, at: now) else {
                throw StoreError.conflict
            }
            if let after = sale.validUntilAfter, let current = line.retention.validUntil, after != sale.validUntilBefore {
                var retention = line.retention
                retention.validUntil = Self.validityAfterVoid(current: current, before: sale.validUntilBefore, after: after)
                retention.reviewAt = now
                guard
                    try await session.setRetention(
                        lineID: line.id, status: line.status, retention: retention, expected: line.status, at: now)
                else { throw StoreError.conflict }
            }
            order.status = try OrderStateMachine.next(order.status, on: .void)
            guard try await session.updateOrder(order, expected: .credited, at: now) else { throw StoreError.conflict }
            let void = CounterVoid(at: now, reason: reason, transferID: reversal.id)
            guard try await session.markVoided(saleID: sale.id, void) else { throw StoreError.conflict }
            if let number = order.receiptNumber { _ = try await session.voidReceipt(number: number, at: now, reason: reason) }
            sale.voided = void
            return Result(sale: sale, order: order, created: true)
        }
    }

    /// The lapse day after a void: what the sale added is taken off again (a later recharge's
    /// extension stays), never earlier than before the sale.
    static func validityAfterVoid(current: LocalDate, before: LocalDate?, after: LocalDate) -> LocalDate? {
        if current == after { return before }
        guard let before else { return current }
        return max(before, current.adding(days: before.dayNumber - after.dayNumber))
    }

    func checkedID(_ input: String?) throws -> (hash: String?, masked: String?) {
        guard realNameRequired || input != nil else { return (nil, nil) }
        guard let input, !input.isEmpty else {
            throw DomainError.validation(ValidationError(field: "id_number", reason: .missing, detail: "the payer's resident ID (实名)"))
        }
        let id: ResidentID
        do { id = try ResidentID(input, today: LocalDate(clock.now(), in: Deadline.mainlandTimeZone)) } catch {
            throw DomainError.validation(ValidationError(field: "id_number", reason: .invalidFormat, detail: error.rawValue))
        }
        guard let idHashKey else { throw DomainError.idCheckUnavailable }
        return (id.keyedHash(key: SymmetricKey(data: idHashKey)), id.masked)
    }

    func checkedTerminalReference(_ request: CounterSaleRequest) throws -> String? {
        guard request.tender == .card else {
            guard request.cardTerminalRef == nil else {
                throw DomainError.validation(ValidationError(field: "card_terminal_ref", reason: .notAllowed, detail: "card only"))
            }
            return nil
        }
        guard let reference = request.cardTerminalRef, (1...Self.maximumTerminalReference).contains(reference.count),
            reference.isAllVisibleASCII
        else {
            throw DomainError.validation(
                ValidationError(field: "card_terminal_ref", reason: .invalidFormat, detail: "the POS terminal's reference, 1–64 characters")
            )
        }
        return reference
    }

    func checkedChange(_ request: CounterSaleRequest, total: Money) throws -> Money? {
        guard request.tender == .cash else {
            guard request.tendered == nil else {
                throw DomainError.validation(ValidationError(field: "tendered", reason: .notAllowed, detail: "cash only"))
            }
            return nil
        }
        guard let tendered = request.tendered else {
            throw DomainError.validation(ValidationError(field: "tendered", reason: .missing, detail: "the cash handed over"))
        }
        guard tendered.currency == total.currency, tendered.amountMinor >= total.amountMinor,
            tendered.amountMinor <= ShiftService.maximumCash.amountMinor
        else {
            throw DomainError.validation(
                ValidationError(field: "tendered", reason: .outOfRange, detail: "at least the total \(total.formatted)"))
        }
        return try tendered.subtracting(total)
    }

    static func fingerprint(_ request: CounterSaleRequest, idHash: String?, reference: String?, code: String?) -> String {
        let canonical = [
            request.tender.rawValue, request.tendered.map { "\($0.amountMinor) \($0.currency.code)" } ?? "", reference ?? "", idHash ?? "",
            code ?? "",
        ].joined(separator: "\u{1F}")
        return Hex.encode(SHA256.hash(data: Data(canonical.utf8)))
    }
}
