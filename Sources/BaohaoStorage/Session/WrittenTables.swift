import BaohaoDomain
import Foundation

/// The tables that credit batches and retention reviews write, each column once with how its value
/// is read from the domain record (see ``WrittenTable``).
enum WrittenTables {
    static let payments = WrittenTable<PaymentRecord>(
        table: "payments",
        columns: [
            .text("provider") { $0.provider }, .text("provider_txn_id") { $0.transactionID }, .text("order_id") { $0.orderID },
            .int("amount") { $0.amount.amountMinor }, .text("currency") { $0.amount.currency.code }, .int("paid_at") { $0.paidAt.millis },
            .int("recorded_at") { $0.recordedAt.millis }, .int("needs_refund") { $0.needsRefund ? 1 : 0 },
        ])

    static let transfers = WrittenTable<Transfer>(
        table: "ledger_transfers",
        columns: [
            .text("id") { $0.id }, .text("kind") { $0.kind.rawValue }, .optionalText("order_id") { $0.orderID },
            .optionalText("reverses") { $0.reverses }, .int("created_at") { $0.createdAt.millis },
        ])

    /// A posting with its transfer and its position in it (`seq`), as ``SQLSession/postingRows(_:)`` lists them.
    typealias PostingRow = (transfer: Transfer, seq: Int64, posting: Posting)

    static let postings = WrittenTable<PostingRow>(
        table: "ledger_postings",
        columns: [
            .text("transfer_id") { $0.transfer.id }, .int("seq") { $0.seq }, .text("account") { $0.posting.account.code },
            .int("amount") { $0.posting.amount.amountMinor }, .text("currency") { $0.posting.amount.currency.code },
            .int("created_at") { $0.transfer.createdAt.millis },
        ])

    /// A new line, every column, `updated_at` its creation (a line import's multi-row insert).
    static let newLines = WrittenTable<Line>(
        table: "lines",
        columns: [
            .text("id") { $0.id }, .text("msisdn") { $0.msisdn.e164 }, .text("operator") { $0.mobileOperator.rawValue },
            .text("plan_code") { $0.planCode }, .text("holder_name") { $0.holderName }, .text("status") { $0.status.rawValue },
            .int("balance") { $0.balance.amountMinor }, .text("currency") { $0.balance.currency.code },
            .int("created_at") { $0.createdAt.millis }, .int("updated_at") { $0.createdAt.millis },
            .optionalText("policy_code") { $0.policyCode }, .int("stage_since") { $0.retention.stageSince.millis },
            .optionalInt("arrears_since") { $0.retention.arrearsSince.map { Int64($0.dayNumber) } },
            .int("last_activity_at") { $0.retention.lastActivityAt.millis },
            .optionalInt("valid_until") { $0.retention.validUntil.map { Int64($0.dayNumber) } },
            .optionalInt("next_charge_at") { $0.retention.nextChargeAt.map { Int64($0.dayNumber) } },
            .optionalInt("review_at") { $0.retention.reviewAt?.millis },
            .optionalInt("quarantine_until") { $0.retention.quarantineUntil?.millis },
        ])

    /// A line's balance, status and retention state, keyed by `id`, with `updated_at` the paired time.
    static let lineStates = WrittenTable<(Line, Date)>(
        table: "lines",
        columns: [
            .text("id") { $0.0.id }, .int("balance") { $0.0.balance.amountMinor }, .text("status") { $0.0.status.rawValue },
            .int("stage_since") { $0.0.retention.stageSince.millis },
            .optionalInt("arrears_since") { $0.0.retention.arrearsSince.map { Int64($0.dayNumber) } },
            .int("last_activity_at") { $0.0.retention.lastActivityAt.millis },
            .optionalInt("valid_until") { $0.0.retention.validUntil.map { Int64($0.dayNumber) } },
            .optionalInt("next_charge_at") { $0.0.retention.nextChargeAt.map { Int64($0.dayNumber) } },
            .optionalInt("review_at") { $0.0.retention.reviewAt?.millis },
            .optionalInt("quarantine_until") { $0.0.retention.quarantineUntil?.millis }, .int("updated_at") { $0.1.millis },
        ])

    /// Only the balance and `updated_at`, for lines whose status and retention state did not change
    /// (most credits): SQLite then leaves the indexes on status, number and review time alone, where
    /// setting a column to its own value rewrites each index entry (a random page per line and
    /// index in every commit).
    static let lineBalances = lineStates.only(["balance", "updated_at"])

    static let stageChanges = WrittenTable<(id: String, change: StageChange, announced: Bool)>(
        table: "line_stage_events",
        columns: [
            .text("id") { $0.id }, .text("line_id") { $0.change.lineID }, .text("from_stage") { $0.change.from.rawValue },
            .text("to_stage") { $0.change.to.rawValue }, .int("effective_on") { Int64($0.change.effectiveOn.dayNumber) },
            .int("recorded_at") { $0.change.recordedAt.millis }, .text("reason") { $0.change.reason },
            .text("policy") { $0.change.policy }, .int("announced") { $0.announced ? 1 : 0 },
        ])

    static let receipts = WrittenTable<Receipt>(
        table: "receipts",
        columns: [
            .text("receipt_no") { $0.number }, .text("order_id") { $0.orderID }, .text("line_id") { $0.lineID },
            .text("msisdn") { $0.msisdn.e164 }, .text("operator") { $0.mobileOperator.rawValue }, .text("channel") { $0.channel.rawValue },
            .text("payment_method") { $0.paymentMethod.rawValue }, .text("provider") { $0.paymentProvider },
            .text("provider_txn_id") { $0.providerTransactionID }, .int("face_value") { $0.faceValue.amountMinor },
            .int("amount_paid") { $0.amountPaid.amountMinor }, .int("fee") { $0.fee.amountMinor }, .int("bonus") { $0.bonus.amountMinor },
            .int("balance_after") { $0.balanceAfter.amountMinor }, .text("currency") { $0.faceValue.currency.code },
            .int("paid_at") { $0.paidAt.millis }, .int("credited_at") { $0.creditedAt.millis },
            .optionalText("keep_alive_zh") { $0.keepAliveZh }, .optionalText("keep_alive_en") { $0.keepAliveEn },
        ])

    /// What a payment application changes on an order, keyed by `id`, with `updated_at` the paired time.
    static let orderPayments = WrittenTable<(RechargeOrder, Date)>(
        table: "recharge_orders",
        columns: [
            .text("id") { $0.0.id }, .text("status") { $0.0.status.rawValue }, .optionalInt("paid_at") { $0.0.paidAt?.millis },
            .optionalInt("credited_at") { $0.0.creditedAt?.millis }, .optionalText("provider_txn_id") { $0.0.providerTransactionID },
            .optionalText("receipt_no") { $0.0.receiptNumber }, .int("late_payment") { $0.0.latePayment ? 1 : 0 },
            .int("updated_at") { $0.1.millis },
        ])

    static let notifications = WrittenTable<NotificationRecord>(
        table: "payment_notifications",
        columns: [
            .text("id") { $0.id }, .text("provider") { $0.provider }, .optionalText("event_id") { $0.eventID },
            .optionalText("order_id") { $0.orderID }, .optionalText("provider_txn_id") { $0.providerTransactionID },
            .text("outcome") { $0.outcome.rawValue }, .optionalText("reason") { $0.reason }, .int("received_at") { $0.receivedAt.millis },
        ])

    static let reminders = WrittenTable<Reminder>(
        table: "reminders",
        columns: [
            .text("id") { $0.id }, .text("line_id") { $0.lineID }, .text("kind") { $0.kind.rawValue }, .text("dedupe_key") { $0.key },
            .text("channel") { $0.channel.rawValue }, .text("stage") { $0.stage.rawValue },
            .optionalInt("deadline") { $0.deadline.map { Int64($0.dayNumber) } }, .text("status") { $0.status.rawValue },
            .int("attempts") { Int64($0.attempts) }, .int("next_attempt_at") { $0.nextAttemptAt.millis },
            .int("created_at") { $0.createdAt.millis },
        ])
}
