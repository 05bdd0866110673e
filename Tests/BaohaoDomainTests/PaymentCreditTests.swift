import BaohaoDomain
import Foundation
import Testing

/// The credit decision on its own: snapshots in, outcome and changes out, no database.
@Suite("Payment credit decision")
struct PaymentCreditTests {
    static let now = Timestamp.parse("2026-11-24T12:00:00+08:00")!
    static let msisdn = try! MSISDN(parsing: "13800138000")

    static func line(status: LineStatus = .active, balance: Int64 = 2350) -> Line {
        Line(
            id: "ln_1", msisdn: msisdn, mobileOperator: .chinaMobile, planCode: "KEEP5", holderName: "张三", status: status,
            balance: Money(balance, .cny), createdAt: now.addingTimeInterval(-86_400))
    }

    static func order(status: OrderStatus = .pendingPayment, amount: Int64 = 5000, fee: Int64 = 0, expiresIn: TimeInterval = 1800)
        -> RechargeOrder
    {
        RechargeOrder(
            id: "or_1", lineID: "ln_1", msisdn: msisdn, channel: .online, paymentMethod: .sandbox, amount: Money(amount, .cny),
            fee: Money(fee, .cny), total: Money(amount + fee, .cny), status: status, idempotencyKey: "k", requestFingerprint: "f",
            createdAt: now.addingTimeInterval(-60), expiresAt: now.addingTimeInterval(expiresIn))
    }

    static func event(_ outcome: PaymentEvent.Outcome = .succeeded, amount: Int64 = 5000, txn: String = "txn_1") -> PaymentEvent {
        PaymentEvent(
            provider: "sandbox", eventID: "evt_1", orderID: "or_1", providerTransactionID: txn, outcome: outcome,
            amount: Money(amount, .cny), occurredAt: now.addingTimeInterval(-5))
    }

    static func decide(_ event: PaymentEvent, _ snapshot: CreditSnapshot) throws -> (PaymentApplication, CreditChanges) {
        try PaymentCredit.decide(event, snapshot: snapshot, ids: IdentifierFactory(), now: now, retention: .empty)
    }

    @Test func aFirstSuccessCreditsTheLineOnceWithBalancedPostingsAndAReceipt() throws {
        let (outcome, changes) = try Self.decide(Self.event(), CreditSnapshot(order: Self.order(), line: Self.line(), payment: nil))
        guard case .credited(let order, let receipt) = outcome else {
            Issue.record("expected a credit, got \(outcome)")
            return
        }
        #expect(order.status == .credited && order.receiptNumber == receipt.number && order.creditedAt == Self.now)
        #expect(receipt.balanceAfter == Money(7350, .cny) && receipt.faceValue == Money(5000, .cny))
        #expect(changes.balance == .init(lineID: "ln_1", balance: Money(7350, .cny), expected: Money(2350, .cny)))
        #expect(changes.order?.expected == .pendingPayment)
        #expect(changes.payment?.needsRefund == false && changes.payment?.transactionID == "txn_1")
        let transfer = try #require(changes.transfer)
        #expect(transfer.orderID == "or_1" && transfer.postings.reduce(0) { $0 + $1.amount.amountMinor } == 0)
        #expect(transfer.postings.contains { $0.account == .line(id: "ln_1") && $0.amount == Money(5000, .cny) })
        #expect(changes.notification.outcome == .applied && changes.notification.reason == nil)
    }

    @Test func aFeeIsPaidByThePayerAndPostedToFeeRevenueNotToTheLine() throws {
        let (_, changes) = try Self.decide(
            Self.event(amount: 5100), CreditSnapshot(order: Self.order(fee: 100), line: Self.line(), payment: nil))
        let postings = try #require(changes.transfer).postings
        #expect(postings.contains { $0.account == .feeRevenue && $0.amount == Money(100, .cny) })
        #expect(postings.contains { $0.account == .line(id: "ln_1") && $0.amount == Money(5000, .cny) })
        #expect(changes.balance?.balance == Money(7350, .cny))
    }

    @Test func theSamePaymentAgainIsADuplicateThatWritesOnlyItsNotification() throws {
        let recorded = PaymentRecord(
            provider: "sandbox", transactionID: "txn_1", orderID: "or_1", amount: Money(5000, .cny), paidAt: Self.now,
            recordedAt: Self.now, needsRefund: false)
        let (outcome, changes) = try Self.decide(
            Self.event(), CreditSnapshot(order: Self.order(status: .credited), line: Self.line(), payment: recorded))
        #expect(outcome == .duplicate(Self.order(status: .credited)))
        #expect(changes.payment == nil && changes.transfer == nil && changes.balance == nil && changes.order == nil)
        #expect(changes.receipt == nil && changes.notification.outcome == .duplicate)
    }

    @Test func aTransactionRecordedForAnotherOrderIsRejected() throws {
        let other = PaymentRecord(
            provider: "sandbox", transactionID: "txn_1", orderID: "or_2", amount: Money(5000, .cny), paidAt: Self.now,
            recordedAt: Self.now, needsRefund: false)
        let (outcome, changes) = try Self.decide(Self.event(), CreditSnapshot(order: Self.order(), line: Self.line(), payment: other))
        #expect(outcome == .rejected(reason: "transaction_of_another_order"))
        #expect(changes.transfer == nil && changes.notification.outcome == .rejected)
    }

    @Test func anUnknownOrderOrAWrongAmountIsRejectedAndChangesNothing() throws {
        let (unknown, unknownChanges) = try Self.decide(Self.event(), CreditSnapshot(order: nil, line: nil, payment: nil))
        #expect(unknown == .rejected(reason: "unknown_order") && unknownChanges.order == nil)
        let (wrong, wrongChanges) = try Self.decide(
            Self.event(amount: 4999), CreditSnapshot(order: Self.order(), line: Self.line(), payment: nil))
        #expect(wrong == .rejected(reason: "amount_mismatch"))
        #expect(wrongChanges.payment == nil && wrongChanges.balance == nil && wrongChanges.notification.reason == "amount_mismatch")
    }

    @Test func aFailureMarksAnUnpaidOrderFailedAndIsIgnoredOnceCredited() throws {
        let (failed, changes) = try Self.decide(Self.event(.failed), CreditSnapshot(order: Self.order(), line: Self.line(), payment: nil))
        guard case .markedFailed(let order) = failed else {
            Issue.record("expected a failure, got \(failed)")
            return
        }
        #expect(order.status == .failed && changes.order?.expected == .pendingPayment && changes.balance == nil)
        let (ignored, ignoredChanges) = try Self.decide(
            Self.event(.failed), CreditSnapshot(order: Self.order(status: .credited), line: Self.line(), payment: nil))
        #expect(ignored == .ignored(Self.order(status: .credited), reason: "failure_after_credited"))
        #expect(ignoredChanges.order == nil && ignoredChanges.notification.outcome == .ignored)
    }

    @Test func moneyForAnExpiredOrderIsStillCreditedAndMarkedLate() throws {
        let (outcome, changes) = try Self.decide(
            Self.event(), CreditSnapshot(order: Self.order(expiresIn: -1), line: Self.line(), payment: nil))
        guard case .credited(let order, _) = outcome else {
            Issue.record("expected a credit, got \(outcome)")
            return
        }
        #expect(order.latePayment && changes.notification.reason == "late_payment")
        #expect(changes.balance?.balance == Money(7350, .cny))
    }

    @Test func aSecondPaymentForACreditedOrderIsKeptForARefundAndNotCredited() throws {
        let (outcome, changes) = try Self.decide(
            Self.event(txn: "txn_2"), CreditSnapshot(order: Self.order(status: .credited), line: Self.line(), payment: nil))
        #expect(outcome == .flagged(Self.order(status: .credited), reason: "second_payment_for_order"))
        #expect(changes.payment?.needsRefund == true && changes.balance == nil && changes.order == nil)
        // The money is in suspense, keyed by the transaction: a repeat cannot put it there twice.
        #expect(changes.transfer?.kind == .suspense && changes.transfer?.orderID == nil)
        #expect(changes.transfer?.id == SuspenseTransfer.id(provider: "sandbox", transactionID: "txn_2"))
        #expect(changes.transfer?.postings.last == Posting(.suspense, Money(5000, .cny)))
    }

    @Test func moneyForAReclaimedLineIsKeptForARefundAndTheOrderShowsItWasPaid() throws {
        let (outcome, changes) = try Self.decide(
            Self.event(), CreditSnapshot(order: Self.order(), line: Self.line(status: .reclaimed), payment: nil))
        guard case .flagged(let order, let reason) = outcome else {
            Issue.record("expected a flag, got \(outcome)")
            return
        }
        #expect(reason == "line_reclaimed" && order.status == .paid)
        #expect(changes.payment?.needsRefund == true && changes.transfer?.kind == .suspense && changes.balance == nil)
        #expect(changes.order == .init(order: order, expected: .pendingPayment))
    }
}
