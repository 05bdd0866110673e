import Crypto
import Foundation

/// 充值卡: recharge cards issued in batches, sold (activated), frozen and redeemed.
///
/// Only a keyed hash of each PIN is stored (``VoucherCodes/pinHash(_:key:)``); the PINs leave the
/// server once, in the printer's file. Money: activation moves the cards' face value from what
/// the distributor owes (`clearing:voucher_sales`) to what the holders are owed
/// (`liability:vouchers`); a redemption credits the line from there, as a recharge order of
/// channel `voucher` whose payment is keyed by the card's serial, so a card credits once.
public struct VoucherService: Sendable {
    /// The ports this service uses, and no others.
    let store: Transactions<any VoucherRows & CreditRows & LineRows & OrderRows & LedgerRows & PromotionRows>
    let clock: any WallClock
    let ids: IdentifierFactory
    /// The PIN hash key's bytes (a `SymmetricKey` is made from them when needed).
    let keyData: Data?
    let random: any RandomSource
    let retention: PolicyBook
    let throttle: ThrottleBox

    public init(
        store: any RechargeStore, clock: any WallClock, key: Data?, ids: IdentifierFactory = IdentifierFactory(),
        random: any RandomSource = SystemRandomSource(), retention: PolicyBook = .shippedBook,
        limits: VoucherThrottle.Limits = .standard
    ) {
        self.store = Transactions(store) { $0 }
        self.clock = clock
        self.keyData = key
        self.ids = ids
        self.random = random
        self.retention = retention
        self.throttle = ThrottleBox(VoucherThrottle(limits: limits))
    }

    /// Largest batch, face value and reason.
    public static let maximumBatch = 1_000_000
    public static let maximumFace = Money.major(1_000)
    public static let maximumReason = 200
    /// Most serials one freeze or unfreeze names one by one.
    public static let maximumSerials = 1_000

    /// A batch just issued, with the only copy of its PINs.
    public struct Issued: Sendable {
        public let batch: VoucherBatch
        /// Serial and PIN of each card, in serial order.
        public let codes: [(serial: String, pin: String)]
        public let activated: Bool
    }

    /// Issues `count` cards of `face` valid through `expiresOn` (Beijing); `activate` sells them at once.
    public func issue(
        face: Money, count: Int, expiresOn: LocalDate, serialDigits: Int = VoucherCodes.defaultSerialDigits,
        pinDigits: Int = VoucherCodes.defaultPINDigits, activate: Bool, by: String
    ) async throws -> Issued {
        guard let keyData else { throw DomainError.voucherKeyMissing }
        let key = SymmetricKey(data: keyData)
        func invalid(_ field: String, _ detail: String) -> DomainError {
            .validation(ValidationError(field: field, reason: .outOfRange, detail: detail))
        }
        guard face.currency == .cny, face.amountMinor > 0, face.amountMinor <= Self.maximumFace.amountMinor else {
            throw invalid("face", "more than zero and at most \(Self.maximumFace.formatted)")
        }
        guard (1...Self.maximumBatch).contains(count) else { throw invalid("count", "1 to \(Self.maximumBatch)") }
        let now = clock.now()
        guard expiresOn >= LocalDate(now, in: Deadline.mainlandTimeZone) else { throw invalid("expires", "today or later (Beijing)") }
        guard (12...24).contains(serialDigits), serialDigits >= String(count).count + 6 else { throw invalid("serial_digits", "12 to 24") }
        guard (12...24).contains(pinDigits) else { throw invalid("pin_digits", "12 to 24") }
        let random = self.random
        let ids = self.ids
        for _ in 0..<3 {
            let serials = VoucherCodes.serials(count: count, serialDigits: serialDigits, random: random)
            var pins: [String] = []
            pins.reserveCapacity(count)
            var hashes = Set<String>()
            var vouchers: [Voucher] = []
            vouchers.reserveCapacity(count)
            let batchID = ids.make("vb", at: now)
            for serial in serials {
                var pin = VoucherCodes.digits(pinDigits, random: random)
                var hash = VoucherCodes.pinHash(pin, key: key)
                while !hashes.insert(hash).inserted {
                    pin = VoucherCodes.digits(pinDigits, random: random)
                    hash = VoucherCodes.pinHash(pin, key: key)
                }
                pins.append(pin)
                vouchers.append(
                    Voucher(serial: serial, batchID: batchID, pinHash: hash, face: face, expiresOn: expiresOn, stored: .issued))
            }
            let batch = VoucherBatch(
                id: batchID, face: face, count: count, expiresOn: expiresOn, firstSerial: serials[0], lastSerial: serials[count - 1],
                createdBy: by, createdAt: now)
            let cards = vouchers
            let inserted = try await store.write { session -> Bool in
                guard try await session.insertVoucherBatch(batch, vouchers: cards) else { return false }
                try await session.insertVoucherEvent(
                    VoucherEvent(
                        id: ids.make("ve", at: now), kind: .issued, batchID: batch.id, fromSerial: batch.firstSerial,
                        toSerial: batch.lastSerial, count: count, by: by, reason: nil, at: now))
                if activate {
                    _ = try await Self.change(
                        from: batch.firstSerial, to: batch.lastSerial, batchID: batch.id, .activate, by: by, session: session, ids: ids,
                        now: now)
                }
                return true
            }
            if inserted { return Issued(batch: batch, codes: Array(zip(serials, pins)).map { ($0.0, $0.1) }, activated: activate) }
        }
        throw StoreError.conflict
    }

    /// Activates (sells), freezes or unfreezes the cards from `first` to `last` (a batch's whole
    /// run when `batchID` is given and the serials are `nil`); returns how many changed.
    public func change(
        from first: String?, to last: String?, batchID: String? = nil, _ change: VoucherChange, by: String
    ) async throws -> Int {
        let now = clock.now()
        let ids = self.ids
        if case .freeze(let reason) = change { _ = try Self.checkedReason(reason) }
        return try await store.write { session in
            var from = first
            var to = last
            if from == nil || to == nil, let batchID {
                guard batchID.count <= 64, let batch = try await session.voucherBatch(id: batchID) else {
                    throw DomainError.voucherNotFound
                }
                from = batch.firstSerial
                to = batch.lastSerial
            }
            guard let from, let to, Self.isSerial(from), Self.isSerial(to), from.count == to.count, from <= to else {
                throw DomainError.validation(
                    ValidationError(field: "from", reason: .invalidFormat, detail: "two serials of one length, from ≤ to"))
            }
            return try await Self.change(from: from, to: to, batchID: batchID, change, by: by, session: session, ids: ids, now: now)
        }
    }

    /// The same, for serials named one by one.
    public func change(serials: [String], _ change: VoucherChange, by: String) async throws -> Int {
        guard (1...Self.maximumSerials).contains(serials.count), serials.allSatisfy(Self.isSerial) else {
            throw DomainError.validation(
                ValidationError(field: "serials", reason: .invalidFormat, detail: "1 to \(Self.maximumSerials) serials of digits"))
        }
        if case .freeze(let reason) = change { _ = try Self.checkedReason(reason) }
        let now = clock.now()
        let ids = self.ids
        return try await store.write { session in
            var total = 0
            for serial in Set(serials).sorted() {
                total += try await Self.change(from: serial, to: serial, batchID: nil, change, by: by, session: session, ids: ids, now: now)
            }
            return total
        }
    }

    static func change(
        from: String, to: String, batchID: String?, _ change: VoucherChange, by: String, session: some VoucherRows & CreditRows,
        ids: IdentifierFactory, now: Date
    ) async throws -> Int {
        let states: Set<VoucherState>
        let kind: VoucherEvent.Kind
        var reason: String? = nil
        switch change {
        case .activate:
            states = [.issued]
            kind = .activated
        case .freeze(let why):
            states = [.issued, .active]
            kind = .frozen
            reason = try checkedReason(why)
        case .unfreeze:
            states = [.frozen]
            kind = .unfrozen
        }
        let (count, face) = try await session.changeVouchers(from: from, to: to, batchID: batchID, states: states, change: change, at: now)
        guard count > 0 else { return 0 }
        if case .activate = change {
            let amount = Money(face, .cny)
            try await session.appendTransfer(
                try Transfer(
                    id: ids.make("tr", at: now), kind: .voucherActivation, orderID: nil,
                    postings: [Posting(.voucherSales, try amount.negated()), Posting(.vouchersOutstanding, amount)], createdAt: now))
        }
        try await session.insertVoucherEvent(
            VoucherEvent(
                id: ids.make("ve", at: now), kind: kind, batchID: batchID, fromSerial: from, toSerial: to, count: count, by: by,
                reason: reason, at: now))
        return count
    }

    static func isSerial(_ text: String) -> Bool { (6...24).contains(text.count) && text.allSatisfy { $0.isASCII && $0.isNumber } }

    static func checkedReason(_ input: String) throws -> String {
        let reason = input.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...maximumReason).contains(reason.count), !reason.contains(where: \.isNewline) else {
            throw DomainError.validation(ValidationError(field: "reason", reason: .invalidFormat, detail: "1 to 200 characters, one line"))
        }
        return reason
    }

    // MARK: Redemption

    /// A card redeemed: the order it became and its receipt.
    public struct Redemption: Sendable {
        public let order: RechargeOrder
        public let receipt: Receipt
        public let line: Line
    }

    /// Redeems the card whose PIN is `pin` onto `msisdn`, exactly once, for a payer at `address`.
    /// An unknown, used, frozen, expired or unsold PIN is the one ``DomainError/voucherRefused``;
    /// failures count against the number, the address and the process (``VoucherThrottle``).
    public func redeem(msisdn input: String, pin pinInput: String, address: String) async throws -> Redemption {
        guard let keyData else { throw DomainError.voucherKeyMissing }
        let key = SymmetricKey(data: keyData)
        let msisdn = try LineService.parseNumber(input)
        let now = clock.now()
        if let (_, until) = await throttle.lockedOut(number: msisdn.e164, address: address, at: now) {
            throw DomainError.voucherThrottled(retryAfter: max(Int(until.timeIntervalSince(now).rounded(.up)), 1))
        }
        let ids = self.ids
        let retention = self.retention
        do {
            guard let pin = VoucherCodes.normalizedPIN(pinInput) else { throw DomainError.voucherRefused }
            let hash = VoucherCodes.pinHash(pin, key: key)
            return try await retryingConflicts {
                try await store.write { session in
                    // The number first: a PIN is never checked for a number that cannot take it,
                    // so an unknown number says nothing about the PIN.
                    guard let line = try await session.line(msisdn: msisdn) else { throw DomainError.lineNotFound }
                    guard line.status.acceptsRecharge else { throw DomainError.lineNotRechargeable(line.status) }
                    guard let voucher = try await session.voucher(pinHash: hash, forUpdate: true), voucher.state(at: now) == .active else {
                        throw DomainError.voucherRefused
                    }
                    let offer = try await PromotionService.offer(
                        for: line, channel: .voucher, paymentMethod: .voucher, faceValue: voucher.face, at: now, session: session)
                    let order = RechargeOrder(
                        id: ids.make("rc", at: now), lineID: line.id, msisdn: msisdn, channel: .voucher, paymentMethod: .voucher,
                        amount: voucher.face, fee: .zero(voucher.face.currency), total: voucher.face, status: .pendingPayment,
                        idempotencyKey: "vch:\(voucher.serial)", requestFingerprint: nil, createdAt: now, expiresAt: now + 60,
                        promotionCode: offer?.promotion.code, offeredBonus: offer?.bonus)
                    guard try await session.insertOrder(order),
                        try await session.useVoucher(serial: voucher.serial, orderID: order.id, msisdnMasked: msisdn.masked, at: now)
                    else { throw DomainError.voucherRefused }
                    let event = PaymentEvent(
                        provider: PaymentMethod.voucher.providerName, eventID: "voucher:\(voucher.serial)", orderID: order.id,
                        providerTransactionID: voucher.serial, outcome: .succeeded, amount: voucher.face, occurredAt: now)
                    let application = try await session.credit(
                        PaymentKey(orderID: order.id, provider: event.provider, transactionID: voucher.serial)
                    ) { snapshot in
                        try PaymentCredit.decide(
                            event, snapshot: snapshot, ids: ids, now: now, retention: retention, source: .vouchersOutstanding)
                    }
                    guard case .credited(let credited, let receipt) = application else { throw DomainError.voucherRefused }
                    try await session.insertVoucherEvent(
                        VoucherEvent(
                            id: ids.make("ve", at: now), kind: .redeemed, batchID: voucher.batchID, fromSerial: voucher.serial,
                            toSerial: voucher.serial, count: 1, by: msisdn.masked, reason: nil, at: now))
                    return Redemption(
                        order: credited, receipt: receipt, line: try await session.line(id: line.id, forUpdate: false) ?? line)
                }
            }
        } catch DomainError.voucherRefused {
            await throttle.fail(number: msisdn.e164, address: address, at: now)
            throw DomainError.voucherRefused
        }
    }

    // MARK: Reading

    /// A batch with how many of its cards are in each state.
    public struct BatchSummary: Sendable {
        public let batch: VoucherBatch
        public let counts: [VoucherState: Int]
    }

    public func batches(limit: Int = 100) async throws -> [BatchSummary] {
        let now = clock.now()
        return try await store.read { session in
            var out: [BatchSummary] = []
            for batch in try await session.voucherBatches(limit: min(max(limit, 1), 1_000)) {
                var counts = try await session.voucherCounts(batchID: batch.id)
                if batch.expiresOn.adding(days: 1).startOfDay(in: Deadline.mainlandTimeZone) <= now {
                    // Past its last day every card not used is expired.
                    let unused = counts.filter { $0.key != .used }.values.reduce(0, +)
                    counts = [.used: counts[.used] ?? 0, .expired: unused]
                }
                out.append(BatchSummary(batch: batch, counts: counts))
            }
            return out
        }
    }

    public func voucher(serial: String) async throws -> Voucher {
        guard Self.isSerial(serial), let voucher = try await store.read({ try await $0.voucher(serial: serial) }) else {
            throw DomainError.voucherNotFound
        }
        return voucher
    }

    public func events(limit: Int = 200) async throws -> [VoucherEvent] {
        try await store.read { try await $0.voucherEvents(limit: min(max(limit, 1), 1_000)) }
    }

    /// Cards redeemed on one Beijing day.
    public func redeemed(on day: LocalDate, limit: Int = 10_000) async throws -> [Voucher] {
        let from = day.startOfDay(in: Deadline.mainlandTimeZone)
        let to = day.adding(days: 1).startOfDay(in: Deadline.mainlandTimeZone)
        return try await store.read { try await $0.redeemedVouchers(from: from, to: to, limit: limit) }
    }
}

/// The throttle's state, shared by every request of the process.
actor ThrottleBox {
    private var throttle: VoucherThrottle

    init(_ throttle: VoucherThrottle) {
        self.throttle = throttle
    }

    func lockedOut(number: String, address: String, at now: Date) -> (VoucherThrottle.Scope, until: Date)? {
        throttle.lockedOut(number: number, address: address, at: now)
    }

    func fail(number: String, address: String, at now: Date) {
        throttle.fail(number: number, address: address, at: now)
    }
}
