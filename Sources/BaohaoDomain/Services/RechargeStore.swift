import Foundation

/// The persistence the domain needs, implemented by the storage module on SQLite and PostgreSQL.
///
/// The domain never sees SQL: it asks for a session and works through ``StoreSession``.
public protocol RechargeStore: Sendable {
    /// Runs `body` against committed data.
    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) async throws -> T) async throws -> T

    /// Runs `body` in one database transaction and returns only once it is durable.
    ///
    /// If `body` throws, nothing it wrote is kept. An implementation may commit several concurrent
    /// bodies in one transaction (group commit), each isolated so that one failing body does not
    /// affect the others; callers cannot tell the difference.
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) async throws -> T) async throws -> T

    /// Applies one payment: loads the ``CreditSnapshot`` for `key`, lets `decide` turn it into a
    /// result and ``CreditChanges``, and writes those changes durably. The store may load the
    /// snapshots of many such calls in one go and commit their changes together; each decision
    /// sees the changes of the ones before it, exactly as in ``write(_:)``. If `decide` throws,
    /// nothing of it is written.
    func credit<T: Sendable>(
        _ key: PaymentKey, _ decide: @escaping @Sendable (CreditSnapshot) throws -> (T, CreditChanges)
    ) async throws -> T

    /// Succeeds when the database answers.
    func ping() async throws

    /// Closes connections. No call may follow.
    func shutdown() async throws
}

/// Every port a storage backend implements: what the composition root opens and hands, port by
/// port, to the services.
public typealias BaohaoDatabase = RechargeStore & ChannelPolicyRepository

/// Reads and writes inside one session. Methods marked "locks" take a row lock on databases
/// that have them, so a read-decide-write sequence in ``RechargeStore/write(_:)`` is race-free.
/// What a payment application reads and writes is the narrower ``CreditRows``.
public protocol StoreSession: CreditRows {
    // Plans
    /// Inserts a plan; `false` if one with the same code exists.
    func insertPlan(_ plan: Plan, at: Date) async throws -> Bool
    func plan(code: String) async throws -> Plan?
    func plans() async throws -> [Plan]

    // Lines
    /// Inserts a line; throws ``StoreError/duplicate`` if the number already has a line in service.
    func insertLine(_ line: Line) async throws
    /// The line holding this number now (reclaimed lines are history).
    func line(msisdn: MSISDN) async throws -> Line?
    /// Lines in number order after `cursor` (a number in E.164), at most `limit`.
    func lines(status: LineStatus?, after cursor: String?, limit: Int) async throws -> [Line]
    /// Sets a line's status if it still is `expected`; `false` otherwise.
    func setStatus(lineID: String, to status: LineStatus, expected: LineStatus, at: Date) async throws -> Bool

    // Orders
    /// Inserts an order; `false` if its idempotency key is taken.
    func insertOrder(_ order: RechargeOrder) async throws -> Bool
    func order(idempotencyKey: String) async throws -> RechargeOrder?
    /// A line's orders, newest first.
    func orders(lineID: String, limit: Int) async throws -> [RechargeOrder]
    /// Marks up to `limit` unpaid orders whose time ran out as expired; returns how many.
    func expireOrders(before: Date, limit: Int) async throws -> Int

    // Payments and notifications
    func notifications(outcome: NotificationOutcome?, limit: Int) async throws -> [NotificationRecord]

    // Payment links, reconciliation and settlement
    /// Keeps what a provider returned for an order's payment; `false` if the order has one already.
    func insertPaymentLink(_ link: PaymentLink) async throws -> Bool
    func paymentLink(orderID: String) async throws -> PaymentLink?
    /// Claims up to `limit` unpaid or expired orders due to be asked about (created before
    /// `createdBefore`, expired no earlier than `expiredAfter`, fewer than `maximumAttempts` asks,
    /// next ask due by `now`), leasing each until `leaseUntil` so another process skips it.
    func claimReconciliationCandidates(
        now: Date, createdBefore: Date, expiredAfter: Date, maximumAttempts: Int, leaseUntil: Date, limit: Int
    ) async throws -> [ReconciliationCandidate]
    /// Records an ask's result and when to ask next.
    func recordReconciliation(orderID: String, attempts: Int, result: ReconciliationResult, nextAt: Date, at: Date) async throws
    /// This provider's payments with these transaction ids.
    func payments(provider: String, transactionIDs: [String]) async throws -> [PaymentRecord]
    /// This provider's payments paid in `[from, until)`, at most `limit`.
    func payments(provider: String, paidFrom: Date, until: Date, limit: Int) async throws -> [PaymentRecord]
    /// Keeps a settlement report's summary.
    func insertSettlementRun(_ report: SettlementReport) async throws

    // Retention
    /// Up to `limit` lines with a policy whose review time has come, oldest first; locks them,
    /// skipping lines another process holds.
    func claimLinesForReview(now: Date, limit: Int) async throws -> [Line]
    /// Writes one review batch: charges, line states, stage changes and reminders.
    func applyReview(_ batch: ReviewBatch) async throws
    /// Stage changes not yet announced by a reminder, per line.
    func unannouncedStageChanges(lineIDs: [String]) async throws -> [String: [StageChange]]
    /// A line's stage history, newest first.
    func stageChanges(lineID: String, limit: Int) async throws -> [StageChange]
    /// Whether a reclaimed line with this number is still in quarantine at `at`.
    func isQuarantined(msisdn: MSISDN, at: Date) async throws -> Bool
    func contactPreferences(lineIDs: [String]) async throws -> [String: ContactPreferences]
    func setContactPreferences(_ preferences: ContactPreferences, at: Date) async throws

    // Reminders and jobs
    /// Up to `limit` reminders due by `now` (pending, or sending with an expired lease), marked
    /// sending until `leaseUntil`; skips reminders another process holds.
    func claimDueReminders(now: Date, leaseUntil: Date, limit: Int) async throws -> [Reminder]
    /// Records an attempt or delivery report and the reminder's new state.
    func recordReminderAttempt(_ attempt: ReminderAttempt, reminder: Reminder) async throws
    func reminder(id: String) async throws -> Reminder?
    /// A line's reminders, newest first.
    func reminders(lineID: String, limit: Int) async throws -> [Reminder]
    /// Every attempt and delivery report of these reminders, oldest first.
    func reminderAttempts(reminderIDs: [String]) async throws -> [ReminderAttempt]
    func insertJobRun(_ run: JobRun) async throws
    func jobRuns(limit: Int) async throws -> [JobRun]

    // Subscribers
    func insertSubscriberAccount(_ account: SubscriberAccount) async throws
    func subscriberAccount(id: String) async throws -> SubscriberAccount?
    func subscriberAccount(calendarKey: String) async throws -> SubscriberAccount?
    func setCalendarKey(accountID: String, key: String) async throws
    /// Links a line to an account (moving it from any other account).
    func linkNumber(lineID: String, accountID: String, at: Date) async throws
    func accountID(lineID: String) async throws -> String?
    /// The lines an account proved, in the order they were added.
    func linkedLines(accountID: String) async throws -> [Line]
    func insertCodeChallenge(_ challenge: CodeChallenge) async throws
    /// A code challenge; locks it when `forUpdate`.
    func codeChallenge(id: String, forUpdate: Bool) async throws -> CodeChallenge?
    func updateCodeChallenge(_ challenge: CodeChallenge) async throws
    /// Codes sent to a number since `since`, and the wrong tries against them.
    func codeActivity(msisdn: MSISDN, since: Date) async throws -> CodeActivity
    func codeCount(clientKey: String, since: Date) async throws -> Int
    func insertSubscriberSession(_ session: SubscriberSession) async throws
    func subscriberSession(tokenHash: String) async throws -> SubscriberSession?
    func touchSubscriberSession(tokenHash: String, at: Date) async throws
    func deleteSubscriberSession(tokenHash: String) async throws

    // Staff and the console
    func insertStaff(_ account: StaffAccount) async throws
    func staff(username: String) async throws -> StaffAccount?
    func staff(id: String) async throws -> StaffAccount?
    func staffAccounts() async throws -> [StaffAccount]
    func updateStaff(_ account: StaffAccount, at: Date) async throws
    func insertStaffSession(_ session: StaffSession) async throws
    func staffSession(tokenHash: String) async throws -> StaffSession?
    func touchStaffSession(tokenHash: String, at: Date) async throws
    func deleteStaffSession(tokenHash: String) async throws
    func deleteStaffSessions(staffID: String) async throws
    /// Orders credited in `[from, until)`, by channel, payment method and currency.
    func rechargeTallies(from: Date, until: Date) async throws -> [RechargeTally]
    func lineCountsByStatus() async throws -> [LineStatus: Int]
    /// Lines in any of `statuses`, soonest review first.
    func lines(statuses: [LineStatus], limit: Int) async throws -> [Line]
    func notificationCount(outcome: NotificationOutcome, since: Date) async throws -> Int
    /// Deletes code challenges created before the cutoff and sessions idle past theirs or expired; returns rows deleted.
    func purgeSignIns(
        codesCreatedBefore: Date, subscriberSessionsSeenBefore: Date, staffSessionsSeenBefore: Date, staffTokensSeenBefore: Date,
        now: Date
    ) async throws -> Int

    // Ledger and receipts
    /// Transfers touching an account, newest first.
    func transfers(account: LedgerAccount, limit: Int) async throws -> [Transfer]
    func receipt(number: String) async throws -> Receipt?

    // Verification
    /// Recomputes the books in a few set-based queries and lists every difference.
    func verify() async throws -> VerificationReport
}

/// What a payment-applying write will touch: its order and its (provider, transaction id).
public struct PaymentKey: Sendable, Hashable {
    public let orderID: String
    public let provider: String
    public let transactionID: String

    public init(orderID: String, provider: String, transactionID: String) {
        self.orderID = orderID
        self.provider = provider
        self.transactionID = transactionID
    }
}

extension RechargeStore {
    /// Stores without batching apply a payment as a plain write: snapshot, decision, changes.
    public func credit<T: Sendable>(
        _ key: PaymentKey, _ decide: @escaping @Sendable (CreditSnapshot) throws -> (T, CreditChanges)
    ) async throws -> T {
        try await write { session in try await session.credit(key, decide) }
    }
}

extension CreditRows {
    /// One payment application on these rows: snapshot, decision, changes.
    public func credit<T: Sendable>(_ key: PaymentKey, _ decide: (CreditSnapshot) throws -> (T, CreditChanges)) async throws -> T {
        let (result, changes) = try decide(try await creditSnapshot(for: key))
        try await apply(changes)
        return result
    }
}

/// Storage-level failures the domain reacts to.
public enum StoreError: Error, Equatable, Sendable {
    /// A unique constraint refused the write.
    case duplicate(String)
    /// A stored value could not be read back (corrupt or foreign data).
    case corrupt(String)
    /// A concurrent writer changed a row between read and write; the write may be retried.
    case conflict
    /// The database did not answer in time; the write may or may not have happened, and is safe
    /// to retry because every write Baohao retries is idempotent.
    case timedOut
}
