import BaohaoDomain
import Foundation

/// Every table of the database as plain values: copied at the start of a write, kept whole when
/// the write succeeds. The same constraints as the SQL schema are checked by the session.
struct InMemoryTables: Sendable {
    var plans: [String: Plan] = [:]
    var lines: [String: Line] = [:]
    var staffTwoFactor: [String: StaffTwoFactor] = [:]
    /// Recovery code hashes per member of staff, with when each was used.
    var recoveryCodes: [String: [String: Date?]] = [:]
    var orders: [String: RechargeOrder] = [:]
    var payments: [PaymentIdentity: PaymentRecord] = [:]
    var notifications: [NotificationRecord] = []
    var transfers: [Transfer] = []
    var receipts: [String: Receipt] = [:]
    /// Receipt voids by receipt number: when and why (kept apart, as the append-only table is).
    var receiptVoids: [String: (at: Date, reason: String)] = [:]
    var receiptPrints: [String: [ReceiptPrint]] = [:]
    var paymentLinks: [String: PaymentLink] = [:]
    var reconciliations: [String: Reconciliation] = [:]
    var settlementRuns: [SettlementReport] = []
    var stageChanges: [StoredStageChange] = []
    var contacts: [String: ContactPreferences] = [:]
    var reminders: [String: Reminder] = [:]
    var reminderAttempts: [ReminderAttempt] = []
    var jobRuns: [JobRun] = []
    var subscriberAccounts: [String: SubscriberAccount] = [:]
    var subscriberLines: [String: LinkedNumber] = [:]
    var codeChallenges: [String: CodeChallenge] = [:]
    var subscriberSessions: [String: SubscriberSession] = [:]
    var staff: [String: StaffAccount] = [:]
    var staffSessions: [String: StaffSession] = [:]
    var outlets: [String: Outlet] = [:]
    var lastZNumbers: [String: Int] = [:]
    var shifts: [String: Shift] = [:]
    var sales: [String: CounterSale] = [:]
    var ivrCalls: [String: IVRCall] = [:]
    var partners: [String: Partner] = [:]
    var partnerKeys: [String: PartnerKey] = [:]
    var partnerDeposits: [String: PartnerDeposit] = [:]
    var partnerTopups: [String: PartnerTopup] = [:]
    var floatMovements: [FloatMovement] = []
    var floatSequences: [String: Int64] = [:]
    var partnerCallbacks: [String: PartnerCallback] = [:]
    var callbackAttempts: [PartnerCallbackAttempt] = []
    var channelPolicies: [Channel: ChannelPolicyRecord] = [:]
    var channelPolicyHistory: [ChannelPolicyRecord] = []
    var refunds: [String: Refund] = [:]
    var promotions: [String: Promotion] = [:]
    var promotionUses: [String: PromotionUse] = [:]
    var voucherBatches: [String: VoucherBatch] = [:]
    var vouchers: [String: Voucher] = [:]
    var voucherEvents: [VoucherEvent] = []
    var inboundMessages: [String: (reply: String, at: Date)] = [:]

    /// The primary key of a payment.
    struct PaymentIdentity: Hashable, Sendable {
        let provider: String
        let transactionID: String
    }

    /// The reconciler's memory of one order.
    struct Reconciliation: Sendable {
        var attempts: Int
        var lastResult: ReconciliationResult?
        var nextAt: Date
    }

    /// A stage change row with its id and whether a reminder announced it.
    struct StoredStageChange: Sendable {
        let id: String
        let change: StageChange
        var announced: Bool
    }

    /// A line proven by a subscriber account.
    struct LinkedNumber: Sendable {
        let accountID: String
        let verifiedAt: Date
    }
}
