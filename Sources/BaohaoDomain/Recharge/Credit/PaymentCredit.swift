import Foundation

/// Applying one verified payment event, as a pure decision: from the ``CreditSnapshot`` of the
/// rows it touches and the time, the outcome and the ``CreditChanges`` to write. No I/O: the store
/// loads the snapshot and writes the changes (TigerBeetle's prefetch → commit shape), so this is
/// tested without a database and every backend credits by the same rules.
public enum PaymentCredit {
    /// Decides what `event` does to the snapshot's order, line and payment at `now`.
    ///
    /// - a failure marks an unpaid order failed, and is ignored after that;
    /// - a success already recorded is a duplicate (or names another order: rejected);
    /// - a new success is recorded; it credits the line once (ledger transfer, cached balance,
    ///   retention state, receipt) unless the order was paid already or the line takes no
    ///   recharge, in which case it is flagged for a refund and its money put in suspense
    ///   (``SuspenseTransfer``) until the refund pays it back;
    /// - every event leaves one notification record.
    ///
    /// The money comes from `source`: the provider's clearing account unless another is named (a
    /// counter shift's till); or from the `funding` postings, which sum to minus the order's total
    /// (a partner's held float and the wholesale discount).
    public static func decide(
        _ event: PaymentEvent, snapshot: CreditSnapshot, ids: IdentifierFactory, now: Date, retention: PolicyBook,
        source: LedgerAccount? = nil, funding: [Posting]? = nil
    ) throws -> (PaymentApplication, CreditChanges) {
        func changes(_ outcome: NotificationOutcome, _ reason: String?) -> CreditChanges {
            CreditChanges(
                at: now,
                notification: NotificationRecord(
                    id: ids.make("nt", at: now), provider: event.provider, eventID: event.eventID, orderID: event.orderID,
                    providerTransactionID: event.providerTransactionID, outcome: outcome, reason: reason, receivedAt: now))
        }
        guard var order = snapshot.order, order.id == event.orderID else {
            return (.rejected(reason: "unknown_order"), changes(.rejected, "unknown_order"))
        }
        guard event.amount == order.total else {
            return (.rejected(reason: "amount_mismatch"), changes(.rejected, "amount_mismatch"))
        }
        guard event.provider == order.paymentMethod.providerName else {
            return (.rejected(reason: "wrong_provider"), changes(.rejected, "wrong_provider"))
        }

        switch event.outcome {
        case .failed:
            guard order.status == .pendingPayment else {
                let reason = "failure_after_\(order.status.rawValue)"
                return (.ignored(order, reason: reason), changes(.ignored, reason))
            }
            order.status = try OrderStateMachine.next(.pendingPayment, on: .paymentFailed)
            var result = changes(.applied, "payment_failed")
            result.order = .init(order: order, expected: .pendingPayment)
            return (.markedFailed(order), result)

        case .succeeded:
            if let existing = snapshot.payment {
                guard existing.orderID == order.id else {
                    return (.rejected(reason: "transaction_of_another_order"), changes(.rejected, "transaction_of_another_order"))
                }
                return (.duplicate(order), changes(.duplicate, nil))
            }
            let previous = order.status
            let alreadyPaid = previous == .credited || previous == .paid
            guard let line = snapshot.line, line.id == order.lineID else {
                throw StoreError.corrupt("order \(order.id) has no line")
            }
            let cannotCredit = alreadyPaid || !line.status.acceptsRecharge
            let payment = PaymentRecord(
                provider: event.provider, transactionID: event.providerTransactionID, orderID: order.id, amount: event.amount,
                paidAt: event.occurredAt, recordedAt: now, needsRefund: cannotCredit)
            if alreadyPaid {
                var result = changes(.flagged, "second_payment_for_order")
                result.payment = payment
                result.transfer = try SuspenseTransfer.make(for: payment, at: now)
                return (.flagged(order, reason: "second_payment_for_order"), result)
            }
            // An unpaid order past its time is expired even if the sweeper has not marked it yet.
            let effective: OrderStatus = previous == .pendingPayment && order.expiresAt <= now ? .expired : previous
            let late = OrderStateMachine.isLatePayment(effective)
            order.status = try OrderStateMachine.next(effective, on: .paymentSucceeded)
            order.paidAt = event.occurredAt
            order.providerTransactionID = event.providerTransactionID
            order.latePayment = late
            if !line.status.acceptsRecharge {
                let reason = "line_\(line.status.rawValue)"
                var result = changes(.flagged, reason)
                result.payment = payment
                result.transfer = try SuspenseTransfer.make(for: payment, at: now)
                result.order = .init(order: order, expected: previous)
                return (.flagged(order, reason: reason), result)
            }
            return try credit(
                order: order, previous: previous, line: line, payment: payment, event: event, late: late, ids: ids, now: now,
                retention: retention, promotion: snapshot.promotion,
                funding: funding ?? [Posting(source ?? .providerClearing(provider: event.provider), try order.total.negated())],
                changes: changes(.applied, late ? "late_payment" : nil))
        }
    }

    /// 到账: the transfer, the new balance, the retention state a recharge restores, the receipt.
    static func credit(
        order paid: RechargeOrder, previous: OrderStatus, line: Line, payment: PaymentRecord, event: PaymentEvent, late: Bool,
        ids: IdentifierFactory, now: Date, retention: PolicyBook, promotion: PromotionState?, funding: [Posting],
        changes: CreditChanges
    ) throws -> (PaymentApplication, CreditChanges) {
        var order = paid
        var result = changes
        order.status = try OrderStateMachine.next(order.status, on: .credit)
        order.creditedAt = now
        var newBalance = try line.balance.adding(order.amount)
        var postings = funding + [Posting(.line(id: line.id), order.amount)]
        if order.fee.amountMinor != 0 { postings.append(Posting(.feeRevenue, order.fee)) }
        result.transfer = try Transfer(
            id: ids.make("tr", at: now), kind: .recharge, orderID: order.id, postings: postings, createdAt: now)
        var bonus = Money.zero(order.amount.currency)
        if let promotion,
            let payment = try bonusPayment(
                order: order, line: line, state: promotion, paidAt: event.occurredAt, ids: ids, now: now)
        {
            bonus = payment.use.bonus
            newBalance = try newBalance.adding(bonus)
            result.bonus = payment
        }
        var credited = line
        credited.balance = newBalance
        let policy = retention.policy(for: line, at: now)
        if let policy {
            let (updated, change) = RetentionEngine.afterRecharge(credited, amount: order.amount, policy: policy, now: now)
            credited = updated
            result.retention = .init(lineID: line.id, status: updated.status, retention: updated.retention, expected: line.status)
            if let change { result.stageChange = .init(id: ids.make("se", at: now), change: change) }
        }
        let keepAlive = policy.map { RetentionEngine.assess(credited, policy: $0, now: now).action }
        var receipt = Receipt(
            number: ids.receiptNumber(at: now), orderID: order.id, lineID: line.id, msisdn: line.msisdn,
            mobileOperator: line.mobileOperator, channel: order.channel, paymentMethod: order.paymentMethod,
            paymentProvider: event.provider, providerTransactionID: event.providerTransactionID, faceValue: order.amount,
            amountPaid: order.total, fee: order.fee, bonus: bonus, balanceAfter: newBalance,
            paidAt: event.occurredAt, creditedAt: now)
        receipt.keepAliveZh = keepAlive?.text(.zh)
        receipt.keepAliveEn = keepAlive?.text(.en)
        order.receiptNumber = receipt.number
        result.payment = payment
        result.balance = .init(lineID: line.id, balance: newBalance, expected: line.balance)
        result.receipt = receipt
        result.order = .init(order: order, expected: previous)
        return (.credited(order, receipt), result)
    }

    /// The offered promotion's bonus, if it still holds for a payment made at `paidAt`: inside its
    /// window, within the number's limit and the budget (which the usage update, checked against
    /// the count read, keeps exact under any concurrency).
    static func bonusPayment(
        order: RechargeOrder, line: Line, state: PromotionState, paidAt: Date, ids: IdentifierFactory, now: Date
    ) throws -> CreditChanges.BonusPayment? {
        let promotion = state.promotion
        let candidate = PromotionCandidate(
            channel: order.channel, paymentMethod: order.paymentMethod, faceValue: order.amount, at: min(paidAt, now),
            creditedBefore: state.lineCreditedBefore)
        guard case .success(let bonus) = promotion.weigh(candidate, usesOnLine: state.usesOnLine) else { return nil }
        let transfer = try Transfer(
            id: ids.make("tr", at: now), kind: .bonus, orderID: nil,
            postings: [Posting(.promotion(code: promotion.code), try bonus.negated()), Posting(.line(id: line.id), bonus)],
            createdAt: now)
        let use = PromotionUse(
            orderID: order.id, promotionCode: promotion.code, lineID: line.id, bonus: bonus, transferID: transfer.id,
            createdAt: now, clawedBack: .zero(bonus.currency))
        let usage = PromotionUsage(count: promotion.used.count + 1, amount: try promotion.used.amount.adding(bonus))
        return CreditChanges.BonusPayment(transfer: transfer, use: use, usage: usage, expectedCount: promotion.used.count)
    }
}
