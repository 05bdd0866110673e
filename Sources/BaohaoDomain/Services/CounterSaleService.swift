import Crypto
import Foundation

/// Selling at the counter: a clerk in an open shift recharges a number for cash or a card on the
/// POS terminal, and the line is credited at once — order, payment, till transfer, balance,
/// receipt and sale in one transaction.
///
/// A retry with the same `Idempotency-Key` (scoped to the clerk) and the same request is the same
/// sale; the same key with another request is ``DomainError/idempotencyKeyReused``.
public struct CounterSaleService: Sendable {
    /// The ports this service uses, and no others.
    let store: Transactions<any ShiftRows & CounterSaleRows & CreditRows & LedgerRows>
    let recharges: RechargeService
    let clock: any WallClock
    let ids: IdentifierFactory
    let retention: PolicyBook
    /// The server's key for ID-number hashes (its bytes); `nil` refuses sales that need the
    /// real-name check.
    let idHashKey: Data?
    /// Whether every sale needs the payer's resident ID (实名).
    let realNameRequired: Bool

    /// The longest POS terminal reference kept.
    public static let maximumTerminalReference = 64

    public init(
        store: any RechargeStore, recharges: RechargeService, clock: any WallClock, idHashKey: Data?, realNameRequired: Bool = true,
        ids: IdentifierFactory = IdentifierFactory(), retention: PolicyBook = .shippedBook
    ) {
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
        guard let method = request.tender.paymentMethod else {
            throw DomainError.validation(ValidationError(field: "tender", reason: .notAllowed, detail: "payment codes are not taken yet"))
        }
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
        let fingerprint = Self.fingerprint(request, idHash: idHash, reference: reference)
        let now = clock.now()
        let sale = CounterSale(
            id: ids.make("cs", at: now), orderID: order.id, shiftID: shift.id, clerkID: clerk.id, tender: request.tender,
            amount: order.amount, fee: order.fee, total: order.total, tendered: request.tender == .cash ? request.tendered : nil,
            change: change, cardTerminalRef: reference, idHash: idHash, idMasked: idMasked, fingerprint: fingerprint, createdAt: now)
        let ids = self.ids
        let retention = self.retention
        return try await store.write { session in
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
            let validUntilBefore = try await session.line(id: order.lineID, forUpdate: true)?.retention.validUntil
            let event = PaymentEvent(
                provider: PaymentMethod.cash.providerName, eventID: "counter:\(sale.id)", orderID: order.id, providerTransactionID: sale.id,
                outcome: .succeeded, amount: order.total, occurredAt: now)
            let application = try await session.credit(PaymentKey(orderID: order.id, provider: event.provider, transactionID: sale.id)) {
                snapshot in
                let (outcome, changes) = try PaymentCredit.decide(
                    event, snapshot: snapshot, ids: ids, now: now, retention: retention, source: request.tender.till(shiftID: shift.id))
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
            guard
                try await session.setBalance(
                    lineID: line.id, to: try line.balance.subtracting(sale.amount), expected: line.balance, at: now)
            else { throw StoreError.conflict }
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
            reference.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 && $0.value < 127 })
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

    static func fingerprint(_ request: CounterSaleRequest, idHash: String?, reference: String?) -> String {
        let canonical = [
            request.tender.rawValue, request.tendered.map { "\($0.amountMinor) \($0.currency.code)" } ?? "", reference ?? "", idHash ?? "",
        ].joined(separator: "\u{1F}")
        return Hex.encode(SHA256.hash(data: Data(canonical.utf8)))
    }
}
