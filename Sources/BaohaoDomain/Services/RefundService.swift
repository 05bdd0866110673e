import Foundation

/// 退费: money going back to the payer by the way it came.
///
/// - **Credited money** (an operator refunds a top-up after a complaint): one member of staff
///   requests, a different administrator approves or rejects (maker-checker). Approval takes the
///   amount back from the line's balance, in the same transaction, with a ``TransferKind/refund``
///   transfer that reverses (part of) the order's recharge transfer, and is refused with what could
///   be refunded when the balance no longer covers it.
/// - **Money never credited** (a second payment for one order, a payment for a line that no longer
///   takes recharges) was put in suspense by the credit itself; ``createAutomatic(limit:)`` refunds
///   it without approval, once per provider transaction.
///
/// Either way the provider is then asked (``process(limit:)``), keyed by the refund's id so a
/// repeated ask cannot refund twice: a success pays the refund out of the provider's clearing
/// account; a refusal, or a refund the provider closed, puts the money back where it was taken
/// from; a network error or "processing" is asked again on the ``RefundSchedule``, by querying. An
/// answer that cannot say whether money went back (a provider refusing a repeat of a refund it may
/// be making) stops the asking with the money still pending, listed for an operator.
///
/// A refund of a recharge that earned a promotion's bonus also takes back the bonus, in proportion
/// to the face value refunded, as far as the balance still holds it (``TransferKind/bonusClawback``).
public struct RefundService: Sendable {
    /// The ports this service uses, and no others.
    let store: Transactions<any RefundRows & CreditRows & LedgerRows & PromotionRows & ShiftRows & CounterSaleRows>
    let gateways: PaymentGateways
    let clock: any WallClock
    let ids: IdentifierFactory
    let schedule: RefundSchedule

    public init(
        store: any RechargeStore, gateways: PaymentGateways, clock: any WallClock, ids: IdentifierFactory = IdentifierFactory(),
        schedule: RefundSchedule = .standard
    ) {
        self.store = Transactions(store) { $0 }
        self.gateways = gateways
        self.clock = clock
        self.ids = ids
        self.schedule = schedule
    }

    /// Most refunds one round of the automatic or provider work handles.
    public static let roundLimit = 100
    /// Longest refund id accepted in a path.
    static let maximumID = 64

    // MARK: Maker-checker

    /// Requests a refund of `amount` of a credited order's money, by an operator or administrator.
    /// Nothing moves until a different administrator approves it.
    public func request(orderID: String, amount: Money, reason: String, by staff: StaffAccount) async throws -> Refund {
        guard staff.role == .admin || staff.role == .operator else { throw DomainError.staffRoleNotAllowed(staff.role) }
        let reason = try Refund.checkedReason(reason)
        guard amount.amountMinor > 0 else {
            throw DomainError.validation(ValidationError(field: "amount", reason: .outOfRange, detail: "more than zero"))
        }
        let now = clock.now()
        let ids = self.ids
        let gateways = self.gateways
        return try await store.write { session in
            guard orderID.count <= Self.maximumID, let order = try await session.order(id: orderID, forUpdate: true) else {
                throw DomainError.orderNotFound
            }
            let payment = try Self.refundablePayment(of: order, gateways: gateways)
            let earlier = try await session.refunds(orderID: order.id).filter { $0.source == .credit }
            guard let split = RefundSplit.split(amount: amount, order: order, earlier: earlier) else {
                throw DomainError.refundExceedsPaid(refundable: RefundSplit.unrefunded(order: order, earlier: earlier))
            }
            guard let line = try await session.line(id: order.lineID, forUpdate: false) else {
                throw StoreError.corrupt("order \(order.id) has no line")
            }
            guard line.balance.amountMinor >= split.linePart.amountMinor else {
                throw DomainError.refundNotCovered(
                    refundable: RefundSplit.refundable(order: order, earlier: earlier, balance: line.balance))
            }
            let refund = Refund(
                id: ids.make("rf", at: now), orderID: order.id, lineID: order.lineID, provider: payment.provider,
                transactionID: payment.transactionID, source: .credit, amount: amount, linePart: split.linePart,
                feePart: split.feePart, reason: reason, automatic: false, status: .requested, requestedBy: staff.id, requestedAt: now)
            guard try await session.insertRefund(refund) else { throw StoreError.conflict }
            return refund
        }
    }

    /// 申请退款: a signed-in subscriber asks for a refund of an order on one of their lines
    /// (`lineID`, which the caller checked is theirs), with a reason. It asks for what can be
    /// refunded now (the line's balance limits the face value) and waits for an administrator.
    /// Asking again while a request of theirs waits answers that request.
    public func requestBySubscriber(orderID: String, lineID: String, reason: String, accountID: String) async throws -> Refund {
        let reason = try Refund.checkedReason(reason)
        let now = clock.now()
        let ids = self.ids
        let gateways = self.gateways
        return try await store.write { session in
            guard orderID.count <= Self.maximumID, let order = try await session.order(id: orderID, forUpdate: true), order.lineID == lineID
            else { throw DomainError.orderNotFound }
            let earlier = try await session.refunds(orderID: order.id)
            if let waiting = earlier.first(where: { $0.status == .requested && $0.requestedBySubscriber == accountID }) { return waiting }
            let payment = try Self.refundablePayment(of: order, gateways: gateways)
            guard let line = try await session.line(id: order.lineID, forUpdate: false) else {
                throw StoreError.corrupt("order \(order.id) has no line")
            }
            let credit = earlier.filter { $0.source == .credit }
            let refundable = RefundSplit.refundable(order: order, earlier: credit, balance: line.balance)
            guard refundable.amountMinor > 0, let split = RefundSplit.split(amount: refundable, order: order, earlier: credit) else {
                throw DomainError.refundNotCovered(refundable: refundable)
            }
            let refund = Refund(
                id: ids.make("rf", at: now), orderID: order.id, lineID: order.lineID, provider: payment.provider,
                transactionID: payment.transactionID, source: .credit, amount: refundable, linePart: split.linePart,
                feePart: split.feePart, reason: reason, automatic: false, status: .requested, requestedBy: nil,
                requestedBySubscriber: accountID, requestedAt: now)
            guard try await session.insertRefund(refund) else { throw StoreError.conflict }
            return refund
        }
    }

    /// What a subscriber could get back from an order now, or why nothing: for the portal's form.
    public func refundable(orderID: String) async throws -> Money {
        try await store.read { session in
            guard let order = try await session.order(id: orderID, forUpdate: false),
                order.status == .credited || order.status == .partiallyRefunded,
                let line = try await session.line(id: order.lineID, forUpdate: false)
            else { return .zero(.cny) }
            let credit = try await session.refunds(orderID: order.id).filter { $0.source == .credit }
            return RefundSplit.refundable(order: order, earlier: credit, balance: line.balance)
        }
    }

    /// Approves a requested refund: a different administrator than the one who asked. The money
    /// is taken back from the line at once; the provider is asked right after (see ``process(limit:)``).
    /// Approving an approved refund again, by the same administrator, answers it as it is.
    public func approve(id: String, reason: String?, by staff: StaffAccount) async throws -> Refund {
        guard staff.role == .admin else { throw DomainError.staffRoleNotAllowed(staff.role) }
        let reason = try reason.map { try Refund.checkedReason($0) }
        let now = clock.now()
        let ids = self.ids
        let approved = try await store.write { session -> Refund in
            guard id.count <= Self.maximumID, var refund = try await session.refund(id: id, forUpdate: true) else {
                throw DomainError.refundNotFound
            }
            guard refund.requestedBy != staff.id else { throw DomainError.refundNeedsAnotherApprover }
            guard refund.status == .requested else {
                if refund.decidedBy == staff.id, refund.status != .rejected { return refund }
                throw DomainError.refundAlreadyDecided(refund.status)
            }
            guard let order = try await session.order(id: refund.orderID, forUpdate: true),
                let line = try await session.line(id: refund.lineID, forUpdate: true),
                let original = try await session.transfer(orderID: order.id)
            else { throw StoreError.corrupt("refund \(refund.id): order \(refund.orderID) has no credit") }
            let others = try await session.refunds(orderID: order.id).filter { $0.source == .credit && $0.id != refund.id }
            guard order.status == .credited || order.status == .partiallyRefunded,
                RefundSplit.split(amount: refund.amount, order: order, earlier: others) != nil
            else { throw DomainError.refundExceedsPaid(refundable: RefundSplit.unrefunded(order: order, earlier: others)) }
            guard line.balance.amountMinor >= refund.linePart.amountMinor else {
                throw DomainError.refundNotCovered(refundable: RefundSplit.refundable(order: order, earlier: others, balance: line.balance))
            }
            var postings: [Posting] = []
            if refund.linePart.amountMinor > 0 { postings.append(Posting(.line(id: line.id), try refund.linePart.negated())) }
            if refund.feePart.amountMinor > 0 { postings.append(Posting(.feeRevenue, try refund.feePart.negated())) }
            postings.append(Posting(.refundsPending, refund.amount))
            let transfer = try Transfer(
                id: ids.make("tr", at: now), kind: .refund, orderID: nil, reverses: original.id, postings: postings, createdAt: now)
            try await session.appendTransfer(transfer)
            var balance = try line.balance.subtracting(refund.linePart)
            // The bonus goes back in proportion to the face value refunded, as far as it is unused.
            let refundedFace = try others.filter { $0.status.holdsMoney }.reduce(refund.linePart) { try $0.adding($1.linePart) }
            balance = try balance.subtracting(
                try await BonusClawback.take(
                    order: order, refundedFace: refundedFace, available: balance, session: session, ids: ids, now: now))
            if balance != line.balance {
                guard try await session.setBalance(lineID: line.id, to: balance, expected: line.balance, at: now) else {
                    throw StoreError.conflict
                }
            }
            refund.status = .processing
            refund.decidedBy = staff.id
            refund.decidedAt = now
            refund.decisionReason = reason
            refund.transferID = transfer.id
            // A counter sale's money is paid back at a counter; a provider is asked at once.
            refund.nextAttemptAt = refund.paidAtCounter ? nil : now
            guard try await session.updateRefund(refund, expected: .requested) else { throw StoreError.conflict }
            return refund
        }
        return try await attempt(approved) ?? approved
    }

    /// Rejects a requested refund, with a reason; nothing moves. Only a different administrator
    /// than the one who asked may decide.
    public func reject(id: String, reason: String, by staff: StaffAccount) async throws -> Refund {
        guard staff.role == .admin else { throw DomainError.staffRoleNotAllowed(staff.role) }
        let reason = try Refund.checkedReason(reason)
        let now = clock.now()
        return try await store.write { session in
            guard id.count <= Self.maximumID, var refund = try await session.refund(id: id, forUpdate: true) else {
                throw DomainError.refundNotFound
            }
            guard refund.requestedBy != staff.id else { throw DomainError.refundNeedsAnotherApprover }
            guard refund.status == .requested else {
                if refund.status == .rejected, refund.decidedBy == staff.id { return refund }
                throw DomainError.refundAlreadyDecided(refund.status)
            }
            refund.status = .rejected
            refund.decidedBy = staff.id
            refund.decidedAt = now
            refund.decisionReason = reason
            refund.completedAt = now
            guard try await session.updateRefund(refund, expected: .requested) else { throw StoreError.conflict }
            return refund
        }
    }

    /// Settles by hand a refund whose asking stopped on an unclear answer, after an administrator
    /// checked with the provider: `paidBack` pays it out as if the provider had confirmed it;
    /// otherwise the money goes back where it was taken from. Who and why are kept. Only a
    /// processing refund that is no longer being asked can be settled this way.
    public func resolve(id: String, paidBack: Bool, reason: String, by staff: StaffAccount) async throws -> Refund {
        guard staff.role == .admin else { throw DomainError.staffRoleNotAllowed(staff.role) }
        let reason = try Refund.checkedReason(reason)
        let stopped = try await store.write { session -> Refund in
            guard id.count <= Self.maximumID, var refund = try await session.refund(id: id, forUpdate: true) else {
                throw DomainError.refundNotFound
            }
            guard refund.status == .processing, refund.nextAttemptAt == nil, !refund.paidAtCounter else {
                throw DomainError.refundAlreadyDecided(refund.status)
            }
            refund.resolvedBy = staff.id
            refund.resolutionReason = reason
            guard try await session.updateRefund(refund, expected: .processing) else { throw StoreError.conflict }
            return refund
        }
        return try await record(
            paidBack ? .paid(providerRefundID: stopped.providerRefundID ?? "checked-by-hand") : .refused(code: "checked by hand"),
            for: stopped.id, counting: false)
    }

    // MARK: At the counter

    /// Pays back an approved refund of a counter sale (cash, or a card on the counter's terminal)
    /// at the clerk's open shift: the money leaves that shift's till of the sale's tender, shown in
    /// its X and Z reports (退款支出). Cash is paid only while the drawer is expected to hold it.
    /// Paying the same refund again answers it unchanged.
    public func payOutAtCounter(id: String, by clerk: StaffAccount) async throws -> Refund {
        guard clerk.role == .clerk else { throw DomainError.staffRoleNotAllowed(clerk.role) }
        let now = clock.now()
        let ids = self.ids
        return try await store.write { session in
            guard id.count <= Self.maximumID, var refund = try await session.refund(id: id, forUpdate: true), refund.paidAtCounter else {
                throw DomainError.refundNotFound
            }
            if refund.status == .succeeded, refund.payoutShiftID != nil { return refund }
            guard refund.status == .processing else { throw DomainError.refundAlreadyDecided(refund.status) }
            guard let shift = try await session.openShift(clerkID: clerk.id) else { throw DomainError.noOpenShift }
            guard let sale = try await session.sale(orderID: refund.orderID), let till = sale.tender.till(shiftID: shift.id) else {
                throw StoreError.corrupt("refund \(refund.id): no counter sale of a till tender")
            }
            if sale.tender == .cash {
                let report = try ShiftService.xReport(
                    shift, sales: try await session.sales(shiftID: shift.id), payouts: try await session.refunds(payoutShiftID: shift.id),
                    at: now)
                guard report.expectedCash.amountMinor >= refund.amount.amountMinor else {
                    throw DomainError.validation(
                        ValidationError(
                            field: "id", reason: .notAllowed,
                            detail: "the drawer is expected to hold \(report.expectedCash.formatted), less than \(refund.amount.formatted)")
                    )
                }
            }
            let payout = try Transfer(
                id: ids.make("tr", at: now), kind: .refundPayout, orderID: nil,
                postings: [Posting(.refundsPending, try refund.amount.negated()), Posting(till, refund.amount)], createdAt: now)
            try await session.appendTransfer(payout)
            refund.payoutTransferID = payout.id
            refund.payoutShiftID = shift.id
            refund.payoutTender = sale.tender.rawValue
            refund.status = .succeeded
            refund.completedAt = now
            refund.lastError = nil
            try await Self.markOrderRefunded(refund, in: session, at: now)
            guard try await session.updateRefund(refund, expected: .processing) else { throw StoreError.conflict }
            return refund
        }
    }

    /// Approved refunds of counter sales waiting to be paid back at a counter, oldest first.
    public func awaitingCounterPayout(limit: Int = 200) async throws -> [Refund] {
        try await store.read { try await $0.refunds(status: .processing, limit: 1_000) }.filter(\.paidAtCounter).reversed().prefix(limit)
            .map { $0 }
    }

    // MARK: Reading

    public func refund(id: String) async throws -> Refund {
        guard id.count <= Self.maximumID, let refund = try await store.read({ try await $0.refund(id: id, forUpdate: false) }) else {
            throw DomainError.refundNotFound
        }
        return refund
    }

    public func refunds(status: RefundStatus?, limit: Int = 200) async throws -> [Refund] {
        try await store.read { try await $0.refunds(status: status, limit: limit) }
    }

    public func refunds(orderID: String) async throws -> [Refund] {
        try await store.read { try await $0.refunds(orderID: orderID) }
    }

    // MARK: Automatic refunds

    /// Refunds every payment the credit flagged (money in suspense), without approval: one
    /// automatic refund per provider transaction, however often this runs or in how many processes.
    /// Returns how many were created.
    @discardableResult
    public func createAutomatic(limit: Int = roundLimit) async throws -> Int {
        let waiting = try await store.read { try await $0.paymentsAwaitingRefund(limit: limit) }
        var created = 0
        for payment in waiting where try await createAutomatic(for: payment) { created += 1 }
        return created
    }

    func createAutomatic(for payment: PaymentRecord) async throws -> Bool {
        let now = clock.now()
        let ids = self.ids
        return try await store.write { session in
            guard let order = try await session.order(id: payment.orderID, forUpdate: false) else {
                throw StoreError.corrupt("payment \(payment.transactionID) has no order")
            }
            let suspenseID = SuspenseTransfer.id(provider: payment.provider, transactionID: payment.transactionID)
            let transfer = try Transfer(
                id: ids.make("tr", at: now), kind: .refund, orderID: nil, reverses: suspenseID,
                postings: [Posting(.suspense, try payment.amount.negated()), Posting(.refundsPending, payment.amount)], createdAt: now)
            let zero = Money.zero(payment.amount.currency)
            let refund = Refund(
                id: ids.make("rf", at: now), orderID: order.id, lineID: order.lineID, provider: payment.provider,
                transactionID: payment.transactionID, source: .suspense, amount: payment.amount, linePart: zero, feePart: zero,
                reason: order.providerTransactionID == payment.transactionID ? "line_not_rechargeable" : "second_payment_for_order",
                automatic: true, status: .processing, requestedBy: nil, requestedAt: now, decidedAt: now, nextAttemptAt: now)
            // The refund first: its key (one automatic refund per payment) decides who goes on.
            guard try await session.insertRefund(refund) else { return false }
            // Payments flagged before suspense existed have no entry yet: it is made now, once.
            if try await session.transfer(id: suspenseID) == nil {
                try await session.appendTransfer(try SuspenseTransfer.make(for: payment, at: now))
            }
            try await session.appendTransfer(transfer)
            var taken = refund
            taken.transferID = transfer.id
            guard try await session.updateRefund(taken, expected: .processing) else { throw StoreError.conflict }
            return true
        }
    }

    // MARK: The provider

    /// What one round of provider asks did.
    public struct Round: Sendable, Hashable {
        public var succeeded = 0
        public var failed = 0
        public var pending = 0
    }

    /// Asks the provider about every processing refund that is due, at most `limit`.
    public func process(limit: Int = roundLimit) async throws -> Round {
        let due = try await store.read { [clock] in try await $0.dueRefunds(at: clock.now(), limit: limit) }
        var round = Round()
        for refund in due {
            guard let after = try await attempt(refund) else { continue }
            switch after.status {
            case .succeeded: round.succeeded += 1
            case .failed: round.failed += 1
            default: round.pending += 1
            }
        }
        return round
    }

    /// A provider's verified notification about one of our refunds settles it now, by the rules a
    /// query's answer follows: paid back, given back, or stopped for an operator. A refund that is
    /// not ours, not this provider's, or no longer processing is answered unchanged (a repeat of a
    /// notification changes nothing). `nil` when no such refund exists.
    public func applyNotice(_ notice: RefundNotice) async throws -> Refund? {
        guard notice.refundID.count <= Self.maximumID,
            let refund = try await store.read({ try await $0.refund(id: notice.refundID, forUpdate: false) }),
            refund.provider == notice.provider
        else { return nil }
        guard refund.status == .processing else { return refund }
        switch notice.outcome {
        case .succeeded:
            return try await record(
                .paid(providerRefundID: notice.providerRefundID ?? refund.providerRefundID ?? notice.eventID), for: refund.id,
                counting: false)
        case .failed(let code):
            return try await record(.refused(code: code), for: refund.id, counting: false)
        case .unclear(let code):
            return try await record(.inDoubt(code: code), for: refund.id, counting: false)
        case .processing:
            return refund
        }
    }

    /// What an ask learned, as far as the money is concerned.
    enum Answer: Sendable {
        /// Paid back.
        case paid(providerRefundID: String)
        /// Under way: ask again later.
        case underWay(providerRefundID: String?)
        /// Certainly not paid back, and never will be under this id: the money goes back.
        case refused(code: String)
        /// Nobody can tell whether money went back: asking stops, an operator checks.
        case inDoubt(code: String)
        /// No answer (network, provider down): ask again later.
        case noAnswer(String)
    }

    /// One ask for one processing refund, claimed first so two processes never ask at once; the
    /// refund after, or `nil` if another process had claimed it.
    ///
    /// The first ask requests the refund. Later ones query it (an earlier ask may have arrived):
    /// a refund the provider does not know is requested again, and only a refusal of a request
    /// the provider had not seen before moves the money back.
    func attempt(_ due: Refund) async throws -> Refund? {
        guard due.status == .processing, let dueAt = due.nextAttemptAt else { return nil }
        let claimedAt = clock.now()
        guard
            try await store.write({
                try await $0.claimRefund(id: due.id, expected: dueAt, leaseUntil: claimedAt + RefundSchedule.lease)
            })
        else { return nil }
        let answer: Answer
        if let gateway = gateways.gateway(named: due.provider) {
            let total = try await store.read { try await $0.payment(provider: due.provider, transactionID: due.transactionID) }?.amount
            let request = RefundRequest(
                orderID: due.orderID, transactionID: due.transactionID, refundID: due.id, amount: due.amount,
                paymentTotal: total ?? due.amount, reason: due.reason, requestedAt: due.decidedAt ?? due.requestedAt)
            answer = await Self.ask(gateway, request, asked: due.attempts > 0, providerRefundID: due.providerRefundID)
        } else {
            answer = .noAnswer("provider \(due.provider) is not configured")
        }
        return try await record(answer, for: due.id)
    }

    static func ask(_ gateway: any PaymentGateway, _ request: RefundRequest, asked: Bool, providerRefundID: String?) async -> Answer {
        do {
            if asked {
                switch try await gateway.queryRefund(request, providerRefundID: providerRefundID) {
                case .succeeded(let id): return .paid(providerRefundID: id)
                case .processing(let id): return .underWay(providerRefundID: id)
                case .failed(let code): return .refused(code: code)
                case .unknown(let code): return .inDoubt(code: code)
                case .notFound: break
                }
            }
            switch try await gateway.refund(request) {
            case .succeeded(let id): return .paid(providerRefundID: id)
            case .processing(let id): return .underWay(providerRefundID: id)
            case .refused(let code): return .refused(code: code)
            }
        } catch let unsupported as ProviderUnsupported {
            return asked ? .inDoubt(code: "unsupported_\(unsupported.operation)") : .refused(code: "unsupported_\(unsupported.operation)")
        } catch {
            return .noAnswer(String(describing: error))
        }
    }

    /// Writes what the provider said: a payout, a cancellation, or the next ask.
    func record(_ answer: Answer, for id: String, counting: Bool = true) async throws -> Refund {
        let now = clock.now()
        let ids = self.ids
        let schedule = self.schedule
        return try await store.write { session in
            guard var refund = try await session.refund(id: id, forUpdate: true) else { throw DomainError.refundNotFound }
            guard refund.status == .processing else { return refund }
            if counting { refund.attempts += 1 }
            switch answer {
            case .paid(let providerRefundID):
                refund.providerRefundID = providerRefundID
                let payout = try Transfer(
                    id: ids.make("tr", at: now), kind: .refundPayout, orderID: nil,
                    postings: [
                        Posting(.refundsPending, try refund.amount.negated()),
                        Posting(.providerClearing(provider: refund.provider), refund.amount),
                    ], createdAt: now)
                try await session.appendTransfer(payout)
                refund.payoutTransferID = payout.id
                refund.status = .succeeded
                refund.completedAt = now
                refund.nextAttemptAt = nil
                refund.lastError = nil
                if refund.source == .credit { try await Self.markOrderRefunded(refund, in: session, at: now) }
            case .inDoubt(let code):
                // The money stays pending: moving it back could pay it twice.
                refund.lastError = String("unclear after an earlier ask: \(code); check with the provider".prefix(200))
                refund.nextAttemptAt = nil
            case .refused(let code):
                guard let transferID = refund.transferID, let taken = try await session.transfer(id: transferID) else {
                    throw StoreError.corrupt("refund \(refund.id) has no transfer")
                }
                let cancel = try taken.reversal(id: ids.make("tr", at: now), kind: .refundCancel, at: now)
                try await session.appendTransfer(cancel)
                if refund.linePart.amountMinor > 0 {
                    guard let line = try await session.line(id: refund.lineID, forUpdate: true) else {
                        throw StoreError.corrupt("refund \(refund.id) has no line")
                    }
                    guard
                        try await session.setBalance(
                            lineID: line.id, to: try line.balance.adding(refund.linePart), expected: line.balance, at: now)
                    else { throw StoreError.conflict }
                }
                refund.cancelTransferID = cancel.id
                refund.status = .failed
                refund.completedAt = now
                refund.nextAttemptAt = nil
                refund.lastError = String("refused: \(code)".prefix(200))
            case .underWay(let providerRefundID):
                refund.providerRefundID = providerRefundID ?? refund.providerRefundID
                refund.lastError = "processing"
                refund.nextAttemptAt = schedule.retry(after: refund.attempts, now: now)
            case .noAnswer(let error):
                refund.lastError = String(error.prefix(200))
                refund.nextAttemptAt = schedule.retry(after: refund.attempts, now: now)
            }
            guard try await session.updateRefund(refund, expected: .processing) else { throw StoreError.conflict }
            return refund
        }
    }

    /// After a confirmed refund of credited money: the order is `refunded` once everything paid
    /// went back, `partially_refunded` before.
    static func markOrderRefunded(_ refund: Refund, in session: any RefundRows & CreditRows, at now: Date) async throws {
        guard var order = try await session.order(id: refund.orderID, forUpdate: true) else {
            throw StoreError.corrupt("refund \(refund.id) has no order")
        }
        let confirmed = try await session.refunds(orderID: order.id).filter { $0.source == .credit && $0.status == .succeeded }
            .filter { $0.id != refund.id }.reduce(refund.amount.amountMinor) { $0 + $1.amount.amountMinor }
        let previous = order.status
        order.status = try OrderStateMachine.next(previous, on: confirmed >= order.total.amountMinor ? .refundFully : .refundPartially)
        guard try await session.updateOrder(order, expected: previous, at: now) else { throw StoreError.conflict }
    }

    // MARK: Rules

    /// The payment a refund of an order's credited money goes back to, if it can go back.
    static func refundablePayment(of order: RechargeOrder, gateways: PaymentGateways) throws -> (provider: String, transactionID: String) {
        guard order.status == .credited || order.status == .partiallyRefunded, let transaction = order.providerTransactionID else {
            throw DomainError.refundNotAllowed(order.status)
        }
        switch order.channel {
        case .partner:
            throw DomainError.validation(
                ValidationError(
                    field: "order_id", reason: .notAllowed, detail: "a partner's top-up is refunded to its float, not by this route"))
        case .counter where order.paymentMethod == .cash || order.paymentMethod == .cardPresent:
            // Paid back at a counter with an open shift (``RefundService/payOutAtCounter(id:by:)``).
            return (Refund.counterProvider, transaction)
        default: break
        }
        let provider = order.paymentMethod.providerName
        guard gateways.gateway(named: provider) != nil else { throw DomainError.providerUnavailable(provider) }
        return (provider, transaction)
    }
}
