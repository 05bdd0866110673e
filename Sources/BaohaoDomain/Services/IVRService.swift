import Crypto
import Foundation

/// The hotline (自助服务热线) behind every telephony front end: keeps each call's record, runs
/// its ``IVRDialog`` and does what the dialog asks — look up lines, open IVR orders at the
/// channel's fee, charge a keyed-in card through the ``CardPayment`` port or record what a voice
/// platform's connector charged, credit it exactly once, and send the SMS receipt.
///
/// One charge per call at most: before charging, the call's record is locked and marked with the
/// order being charged; a call that has paid, or is paying another order, charges nothing more,
/// whether the front end reconnected or a webhook was retried. A hang-up before the charge
/// cancels the order; after it the credit completes without the caller (the charge runs
/// detached from the call's task).
public struct IVRService: Sendable {
    /// The ports this service uses, and no others.
    let store: Transactions<any IVRCallRows & LineRows & PlanRows & CreditRows>
    let recharges: RechargeService
    let clock: any WallClock
    let retention: PolicyBook
    /// Charges keyed-in cards; `nil` leaves only a connector's payments.
    let cards: (any CardPayment)?
    /// Sends the SMS receipt after a credit, when an SMS gateway is configured.
    let texts: (any TextMessageSender)?
    /// Told of each call started, step reached and outcome (metrics).
    let observe: @Sendable (IVRObservation) -> Void
    /// Promotions, read back with the amount (活动赠送).
    let promotions: PromotionService?
    /// Recharge cards, redeemed at the payment step (menu `2`).
    let vouchers: VoucherService?

    public init(
        store: any RechargeStore, recharges: RechargeService, clock: any WallClock, retention: PolicyBook = .shippedBook,
        cards: (any CardPayment)?, texts: (any TextMessageSender)? = nil, promotions: PromotionService? = nil,
        vouchers: VoucherService? = nil, observe: @escaping @Sendable (IVRObservation) -> Void = { _ in }
    ) {
        self.promotions = promotions
        self.vouchers = vouchers
        self.store = Transactions(store) { $0 }
        self.recharges = recharges
        self.clock = clock
        self.retention = retention
        self.cards = cards
        self.texts = texts
        self.observe = observe
    }

    /// A call as a live front end holds it between inputs: the dialog (with any keyed-in card
    /// digits, in memory only) and the caller's number.
    public struct LiveCall: Sendable {
        public let id: String
        public let caller: String?
        public fileprivate(set) var dialog: IVRDialog
        public fileprivate(set) var turn: Int
    }

    /// Starts a call, or takes up one whose front end reconnected (same call id).
    public func start(id: String, frontEnd: IVRFrontEnd, caller: String?, language: Language = .zh) async throws -> (LiveCall, IVRTurn) {
        let now = clock.now()
        let capture: IVRDialog.CardCapture = frontEnd == .twilio ? .connector : .keypad
        let (fresh, greeting) = IVRDialog.start(language: language, cardCapture: capture)
        let record = IVRCall(
            id: id, frontEnd: frontEnd, callerMasked: IVRCall.mask(caller: caller), dialog: fresh, turn: 0, lastTurn: greeting,
            startedAt: now, updatedAt: now)
        if try await store.write({ try await $0.insertIVRCall(record) }) {
            observe(.started(frontEnd))
            observe(.reached(.menu))
            return (LiveCall(id: id, caller: caller, dialog: fresh, turn: 0), greeting)
        }
        guard let existing = try await store.read({ try await $0.ivrCall(id: id, forUpdate: false) }) else { throw StoreError.conflict }
        var live = LiveCall(id: id, caller: caller, dialog: existing.dialog, turn: existing.turn)
        let before = live.dialog
        let said = await live.dialog.resume(actions: actions(for: live))
        live.turn += 1
        try await save(id: id, dialog: live.dialog, before: before, turn: live.turn, said: said)
        return (live, said)
    }

    /// One input of a live call (FastAGI): the dialog moves on in memory and its record is saved.
    public func advance(_ live: inout LiveCall, with input: IVRInput) async throws -> IVRTurn {
        let before = live.dialog
        let said = await live.dialog.handle(input, caller: live.caller, actions: actions(for: live))
        live.turn += 1
        try await save(id: live.id, dialog: live.dialog, before: before, turn: live.turn, said: said)
        return said
    }

    /// One request of a stateless front end (TwiML): loads the call, moves it on, saves it. A
    /// request for a turn already answered (a retried webhook) gets the answer it had, and
    /// nothing happens twice. `turn` `nil` takes the call where it stands (a hang-up report).
    /// - Returns: what to say and ask, and the turn the next request answers; `nil` for no such call.
    public func advance(id: String, turn: Int?, caller: String?, input: IVRInput) async throws -> (IVRTurn, Int)? {
        guard let call = try await store.read({ try await $0.ivrCall(id: id, forUpdate: false) }) else { return nil }
        guard turn ?? call.turn == call.turn, !call.dialog.isEnded else {
            return (call.lastTurn ?? IVRTurn(language: call.dialog.language, utterances: [.prompt(.goodbye)], next: .hangUp), call.turn)
        }
        var live = LiveCall(id: id, caller: caller, dialog: call.dialog, turn: call.turn)
        let said = try await advance(&live, with: input)
        return (said, live.turn)
    }

    /// The newest calls (1–500 of them), for the staff console.
    public func recentCalls(limit: Int = 100) async throws -> [IVRCall] {
        try await store.read { try await $0.ivrCalls(limit: min(max(limit, 1), 500)) }
    }

    /// The newest calls (1–500), each with the receipt number of the order it paid, if any, read
    /// in one session.
    public func recentCallsWithReceipts(limit: Int = 100) async throws -> [(call: IVRCall, receipt: String?)] {
        try await store.read { session in
            var result: [(call: IVRCall, receipt: String?)] = []
            for call in try await session.ivrCalls(limit: min(max(limit, 1), 500)) {
                var receipt: String? = nil
                if let orderID = call.chargedOrderID { receipt = try await session.order(id: orderID, forUpdate: false)?.receiptNumber }
                result.append((call, receipt))
            }
            return result
        }
    }

    func save(id: String, dialog: IVRDialog, before: IVRDialog, turn: Int, said: IVRTurn) async throws {
        let now = clock.now()
        let saved = try await store.write { session -> Bool in
            guard var call = try await session.ivrCall(id: id, forUpdate: true) else { return false }
            call.dialog = dialog
            call.turn = turn
            call.lastTurn = said
            call.updatedAt = now
            if dialog.isEnded { call.endedAt = call.endedAt ?? now }
            return try await session.updateIVRCall(call, expectedTurn: turn - 1)
        }
        guard saved else { throw StoreError.conflict }
        for step in dialog.steps.dropFirst(min(before.steps.count, dialog.steps.count)) { observe(.reached(step)) }
        if dialog.isEnded, !before.isEnded { observe(.ended(dialog.outcome)) }
    }

    func actions(for live: LiveCall) -> Actions { Actions(service: self, callID: live.id, capture: live.dialog.cardCapture) }

    /// The dialog's effects for one call.
    struct Actions: IVRActions {
        let service: IVRService
        let callID: String
        let capture: IVRDialog.CardCapture

        func lookUp(number: String) async -> IVRNumberCheck {
            guard let msisdn = try? LineService.parseNumber(number) else { return .invalid }
            guard let line = try? await service.store.read({ try await $0.line(msisdn: msisdn) }), line.status != .reclaimed else {
                return .unknown
            }
            return line.status.acceptsRecharge ? .line : .notRechargeable
        }

        func amountRange() async -> (minimum: Money, maximum: Money)? {
            guard let policy = try? await service.recharges.channelPolicies.policy(for: .ivr), policy.enabled else { return nil }
            return (policy.minimumAmount, policy.maximumAmount)
        }

        func quote(yuan: Int64, number: String) async -> Quote? {
            guard let policy = try? await service.recharges.channelPolicies.policy(for: .ivr), policy.enabled,
                yuan <= ChannelPolicy.ceilingMinor / 100, var quote = try? policy.quote(Money.major(yuan, policy.currency))
            else { return nil }
            let method = capture == .keypad ? (service.cards?.method ?? .card) : .card
            quote.bonus = try? await service.promotions?.offers(
                msisdn: number, channel: .ivr, paymentMethod: method, faceValues: [quote.faceValue]
            )[quote.faceValue]?.bonus
            return quote
        }

        func openOrder(number: String, quote: Quote, attempt: Int) async -> RechargeOrder? {
            // A connector (Twilio <Pay>) charges through the platform's card processor.
            let method = capture == .keypad ? (service.cards?.method ?? .card) : .card
            let key = "ivr-\(Hex.encode(SHA256.hash(data: Data(callID.utf8))).prefix(32))-\(attempt)"
            return try? await service.recharges.createOrder(
                RechargeRequest(msisdn: number, amount: quote.faceValue, channel: .ivr, paymentMethod: method), idempotencyKey: key
            ).0
        }

        func charge(orderID: String, card: CardDetails) async -> IVRPaymentResult {
            guard let gateway = service.cards else { return .declined(reason: "card_payments_unavailable") }
            let service = self.service
            let callID = self.callID
            // Detached from the call: a hang-up during the charge does not stop the credit.
            return await Task {
                await service.charged(callID: callID, orderID: orderID, last4: card.last4) { order in
                    let outcome: CardChargeOutcome
                    do {
                        outcome = try await gateway.charge(
                            CardChargeRequest(orderID: order.id, total: order.total, card: card, description: "话费充值 \(order.msisdn.masked)")
                        )
                    } catch { outcome = .unknown }
                    switch outcome {
                    case .approved(let event, _): return .paid(event)
                    case .declined(let reason): return .declined(reason, provider: gateway.name)
                    case .unknown: return .unknown
                    }
                }
            }.value
        }

        func connectorPaid(orderID: String, result: ConnectorPaymentResult) async -> IVRPaymentResult {
            let service = self.service
            let callID = self.callID
            let last4: String?
            if case .approved(_, let digits) = result { last4 = digits } else { last4 = nil }
            return await Task {
                await service.charged(callID: callID, orderID: orderID, last4: last4) { order in
                    switch result {
                    case .approved(let reference, _):
                        return .paid(
                            PaymentEvent(
                                provider: order.paymentMethod.providerName, eventID: "ivr-connector:\(reference)", orderID: order.id,
                                providerTransactionID: reference, outcome: .succeeded, amount: order.total, occurredAt: service.clock.now())
                        )
                    case .declined(let reason):
                        return .declined(reason, provider: order.paymentMethod.providerName)
                    }
                }
            }.value
        }

        /// The deadline is the retention assessment's, as the portal, the console and the SMS
        /// balance reply give it.
        func balance(number: String) async -> IVRBalance? {
            guard let msisdn = try? LineService.parseNumber(number),
                let (line, plan) = try? await service.store.read({ try await $0.lineWithPlan(msisdn: msisdn) }),
                line.status != .reclaimed
            else { return nil }
            let deadline = service.retention.assess(line, plan: plan, at: service.clock.now()).deadline
            return IVRBalance(balance: line.balance, deadline: deadline)
        }

        func cancel(orderID: String) async {
            _ = try? await service.recharges.cancel(orderID: orderID)
        }

        func redeemVoucher(number: String, pin: String) async -> IVRPaymentResult {
            guard let vouchers = service.vouchers else { return .declined(reason: "vouchers_unavailable") }
            do {
                let redeemed = try await vouchers.redeem(msisdn: number, pin: pin, address: "ivr:\(callID)")
                return .credited(amount: redeemed.order.amount, receiptNumber: redeemed.receipt.number)
            } catch {
                return .declined(reason: "voucher_refused")
            }
        }
    }

    /// What a charge attempt came to, before it is applied.
    enum ChargeAnswer: Sendable {
        case paid(PaymentEvent)
        case declined(String, provider: String)
        case unknown
    }

    /// Claims the call's one charge for `orderID`, runs `charge`, applies its answer to the order
    /// and records it on the call.
    func charged(
        callID: String, orderID: String, last4: String?, _ charge: @escaping @Sendable (RechargeOrder) async -> ChargeAnswer
    ) async -> IVRPaymentResult {
        enum Claim: Sendable {
            case claimed
            case paid(String)
            case busy
        }
        do {
            let claim = try await store.write { session -> Claim in
                guard let call = try await session.ivrCall(id: callID, forUpdate: true) else {
                    throw StoreError.corrupt("no call \(callID)")
                }
                if let paid = call.chargedOrderID { return .paid(paid) }
                if let charging = call.chargingOrderID, charging != orderID { return .busy }
                try await session.updateIVRCharge(callID: callID, chargingOrderID: orderID, chargedOrderID: nil, cardLast4: last4)
                return .claimed
            }
            switch claim {
            case .paid(let paid):
                guard paid == orderID else { return .alreadyCharged }
                return try await credited(try await recharges.order(id: orderID)) ?? .pending
            case .busy:
                return .pending
            case .claimed:
                break
            }
            let order = try await recharges.order(id: orderID)
            switch await charge(order) {
            case .paid(let event):
                _ = try await recharges.applyPayment(event)
                let after = try await recharges.order(id: orderID)
                try await store.write {
                    try await $0.updateIVRCharge(callID: callID, chargingOrderID: nil, chargedOrderID: orderID, cardLast4: last4)
                }
                guard let result = try await credited(after) else { return .pending }
                sendReceipt(after)
                return result
            case .declined(let reason, let provider):
                _ = try await recharges.applyPayment(
                    PaymentEvent(
                        provider: provider, eventID: "ivr-declined:\(orderID)", orderID: orderID,
                        providerTransactionID: "declined:\(orderID)",
                        outcome: .failed, amount: order.total, occurredAt: clock.now()))
                try await store.write {
                    try await $0.updateIVRCharge(callID: callID, chargingOrderID: nil, chargedOrderID: nil, cardLast4: last4)
                }
                return .declined(reason: Self.declineCode(reason))
            case .unknown:
                return .pending
            }
        } catch {
            return .pending
        }
    }

    func credited(_ order: RechargeOrder) async throws -> IVRPaymentResult? {
        guard order.status == .credited, let receipt = order.receiptNumber else { return nil }
        return .credited(amount: order.amount, receiptNumber: receipt)
    }

    /// A decline code as the caller may hear it: lower-case letters, digits, `_` and `-`, at most 64.
    static func declineCode(_ reason: String) -> String {
        let cleaned = String(
            reason.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-" }.prefix(64))
        return cleaned.isEmpty ? "declined" : cleaned
    }

    func sendReceipt(_ order: RechargeOrder) {
        guard let texts, let receipt = order.receiptNumber else { return }
        let text =
            "【保号】\(order.msisdn.masked) 充值 \(order.amount.formatted) 已到账，收据号 \(receipt)。"
            + "Recharge of \(order.amount.formatted) credited, receipt \(receipt)."
        let msisdn = order.msisdn
        Task { try? await texts.sendText(to: msisdn, text: text) }
    }
}

/// What the hotline tells its metrics.
public enum IVRObservation: Sendable, Hashable {
    case started(IVRFrontEnd)
    case reached(IVRStep)
    case ended(IVRCallOutcome)
}
