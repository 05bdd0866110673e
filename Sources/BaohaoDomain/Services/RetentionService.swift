import Foundation

/// Runs the retention lifecycle: reviews due lines in set-based batches (charges, stages,
/// reminders), records uses, and answers where a line stands.
///
/// Exactly once: a batch claims its lines (row locks, skipping lines another process holds, on
/// PostgreSQL), and writes every charge, line state and reminder in one transaction. A charge's
/// transfer id is `fee:<line>:<period>`, so the same fee can never be written twice; a reminder
/// is unique per line, key and channel.
public struct RetentionService: Sendable {
    /// The ports this service uses, and no others.
    let store: Transactions<any RetentionRows & ReminderRows & LineRows & PlanRows & CreditRows>
    let clock: any WallClock
    let ids: IdentifierFactory
    public let book: PolicyBook
    /// Channels for lines without preferences.
    public let defaultChannels: [ReminderChannel]
    public static let maximumBatchSize = 2_000

    public init(
        store: any RechargeStore, clock: any WallClock, ids: IdentifierFactory = IdentifierFactory(),
        book: PolicyBook = .shippedBook, defaultChannels: [ReminderChannel] = [.sms]
    ) {
        self.store = Transactions(store) { $0 }
        self.clock = clock
        self.ids = ids
        self.book = book
        self.defaultChannels = defaultChannels
    }

    /// What a review run did.
    public struct RunSummary: Sendable, Hashable, Codable {
        public var reviewed = 0
        public var charges = 0
        /// Minor units charged, per currency code.
        public var charged: [String: Int64] = [:]
        public var stageChanges = 0
        public var reminders = 0
        public var batches = 0

        enum CodingKeys: String, CodingKey {
            case reviewed, charges, charged, reminders, batches
            case stageChanges = "stage_changes"
        }

        public init() {}
    }

    /// How many lines are due for review at `now` (the clock's time by default): the size of the
    /// next ``runReviews(now:batchSize:maximumBatches:workers:progress:)``, for its progress.
    public func linesDue(now: Date? = nil) async throws -> Int {
        let at = now ?? clock.now()
        return try await store.read { try await $0.countLinesDueForReview(now: at) }
    }

    /// Reviews every line due at `now` (the clock's time by default), batch by batch; `progress`
    /// hears the running totals after each committed batch.
    ///
    /// `workers` batches are in flight at once, each its own transaction. More than one pays only
    /// where a claim skips the lines another batch holds (PostgreSQL): while one batch is written,
    /// the next is claimed and reviewed. A full batch is followed by another; the run ends when
    /// every batch in flight has finished and the last ones came back short.
    public func runReviews(
        now: Date? = nil, batchSize: Int = 1_000, maximumBatches: Int = 100_000, workers: Int = 1,
        progress: (@Sendable (RunSummary) -> Void)? = nil
    ) async throws -> RunSummary {
        let at = now ?? clock.now()
        let limit = min(max(batchSize, 1), Self.maximumBatchSize)
        var summary = RunSummary()
        try await withThrowingTaskGroup(of: RunSummary.self) { group in
            var started = 0
            for _ in 0..<max(0, min(max(workers, 1), Self.maximumWorkers, maximumBatches)) {
                group.addTask { try await self.reviewBatch(now: at, limit: limit) }
                started += 1
            }
            while let batch = try await group.next() {
                summary.batches += 1
                summary.reviewed += batch.reviewed
                summary.charges += batch.charges
                summary.stageChanges += batch.stageChanges
                summary.reminders += batch.reminders
                for (code, amount) in batch.charged { summary.charged[code, default: 0] += amount }
                progress?(summary)
                if batch.reviewed == limit && started < maximumBatches {
                    group.addTask { try await self.reviewBatch(now: at, limit: limit) }
                    started += 1
                }
            }
        }
        return summary
    }

    /// Most review batches in flight at once in one run.
    public static let maximumWorkers = 8

    func reviewBatch(now: Date, limit: Int) async throws -> RunSummary {
        let ids = self.ids
        let book = self.book
        let defaults = defaultChannels
        return try await store.write { session in
            let lines = try await session.claimLinesForReview(now: now, limit: limit)
            guard !lines.isEmpty else { return RunSummary() }
            let lineIDs = lines.map(\.id)
            let pending = try await session.unannouncedStageChanges(lineIDs: lineIDs)
            let contacts = try await session.contactPreferences(lineIDs: lineIDs)
            var batch = ReviewBatch(reviewedAt: now)
            var summary = RunSummary()
            summary.reviewed = lines.count
            for line in lines {
                guard let policy = book.policy(for: line, at: now) else {
                    var unmanaged = line
                    unmanaged.retention.reviewAt = nil
                    batch.lines.append(unmanaged)
                    continue
                }
                let review = RetentionEngine.review(line, policy: policy, now: now, pendingChanges: pending[line.id] ?? [])
                batch.lines.append(review.line)
                for charge in review.charges {
                    batch.transfers.append(
                        try Transfer(
                            id: charge.transferID, kind: charge.kind, orderID: nil,
                            postings: [
                                Posting(.line(id: line.id), try charge.amount.negated()), Posting(.serviceRevenue, charge.amount),
                            ], createdAt: now))
                    summary.charged[charge.amount.currency.code, default: 0] += charge.amount.amountMinor
                }
                summary.charges += review.charges.count
                for change in review.changes { batch.changes.append((ids.make("se", at: now), change, true)) }
                summary.stageChanges += review.changes.count
                if pending[line.id] != nil { batch.announcedLineIDs.append(line.id) }
                let contact = contacts[line.id]
                let channels = contact?.optedOut == true ? [] : (contact?.channels ?? defaults)
                for due in review.reminders {
                    for channel in channels where channel != .email || contact?.email != nil {
                        batch.reminders.append(
                            Reminder(
                                id: ids.make("rm", at: now), lineID: line.id, kind: due.kind, key: due.key, channel: channel,
                                stage: due.stage,
                                deadline: due.deadline, status: .pending, attempts: 0, nextAttemptAt: now, createdAt: now))
                    }
                }
                summary.reminders += review.reminders.count * channels.count
            }
            try await session.applyReview(batch)
            return summary
        }
    }

    /// A line, where it stands under its policy, its stage history and its reminders.
    public struct LineView: Sendable {
        public let line: Line
        public let policy: RetentionPolicy?
        public let assessment: RetentionAssessment
        public let history: [StageChange]
        public let reminders: [Reminder]
        /// Every attempt and delivery report of ``reminders``, oldest first.
        public let attempts: [ReminderAttempt]
        public let contact: ContactPreferences?
    }

    public func view(msisdn input: String) async throws -> LineView {
        let msisdn = try LineService.parseNumber(input)
        let now = clock.now()
        let result: (Line, Plan?, [StageChange], [Reminder], [ReminderAttempt], ContactPreferences?)? = try await store.read { session in
            guard let (line, plan) = try await session.lineWithPlan(msisdn: msisdn) else { return nil }
            let reminders = try await session.reminders(lineID: line.id, limit: 100)
            return (
                line, plan, try await session.stageChanges(lineID: line.id, limit: 100), reminders,
                try await session.reminderAttempts(reminderIDs: reminders.map(\.id)),
                try await session.contactPreferences(lineIDs: [line.id])[line.id]
            )
        }
        guard let (line, plan, history, reminders, attempts, contact) = result else { throw DomainError.lineNotFound }
        let policy = book.policy(for: line, at: now)
        return LineView(
            line: line, policy: policy, assessment: book.assess(line, plan: plan, at: now), history: history,
            reminders: reminders, attempts: attempts, contact: contact)
    }

    /// Records a counted use reported by the operator's network (a call, SMS, data session).
    public func recordActivity(msisdn input: String, kind: ActivityKind, at: Date) async throws -> Line {
        let msisdn = try LineService.parseNumber(input)
        let now = clock.now()
        guard at <= now.addingTimeInterval(300), at >= now.addingTimeInterval(-400 * 86_400) else {
            throw DomainError.validation(ValidationError(field: "at", reason: .outOfRange))
        }
        let ids = self.ids
        let book = self.book
        return try await store.write { session in
            guard let line = try await session.line(msisdn: msisdn) else { throw DomainError.lineNotFound }
            guard let policy = book.policy(for: line, at: now) else { return line }
            let (updated, change) = RetentionEngine.afterActivity(line, kind: kind, at: at, policy: policy, now: now)
            guard
                try await session.setRetention(
                    lineID: line.id, status: updated.status, retention: updated.retention, expected: line.status, at: now)
            else { throw StoreError.conflict }
            if let change { try await session.insertStageChange(id: ids.make("se", at: now), change, announced: false) }
            return updated
        }
    }

    /// Sets a line's reminder preferences.
    public func setContact(msisdn input: String, _ preferences: (String) -> ContactPreferences) async throws -> ContactPreferences {
        let msisdn = try LineService.parseNumber(input)
        let now = clock.now()
        guard let line = try await store.read({ try await $0.line(msisdn: msisdn) }) else { throw DomainError.lineNotFound }
        let value = preferences(line.id)
        if let email = value.email {
            guard email.count <= 254, email.contains("@"),
                !email.contains(where: { $0.isWhitespace || $0.isNewline || $0 == "<" || $0 == ">" })
            else { throw DomainError.validation(ValidationError(field: "email", reason: .invalidFormat)) }
        }
        if let start = value.quietStart, !(0...23).contains(start) {
            throw DomainError.validation(ValidationError(field: "quiet_start", reason: .outOfRange))
        }
        if let end = value.quietEnd, !(0...23).contains(end) {
            throw DomainError.validation(ValidationError(field: "quiet_end", reason: .outOfRange))
        }
        try await store.write { try await $0.setContactPreferences(value, at: now) }
        return value
    }

    /// Keeps a job run's summary for the operator.
    public func recordJobRun(job: String, startedAt: Date, processed: Int, detail: String) async throws {
        let now = clock.now()
        let run = JobRun(
            id: ids.make("job", at: now), job: job, startedAt: startedAt, finishedAt: now, processed: processed, detail: detail)
        try await store.write { try await $0.insertJobRun(run) }
    }

    public func jobRuns(limit: Int = 50) async throws -> [JobRun] {
        let bounded = min(max(limit, 1), 500)
        return try await store.read { try await $0.jobRuns(limit: bounded) }
    }
}
