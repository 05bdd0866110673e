import Foundation

/// Sends due reminders through the configured senders, with quiet hours, retries with backoff,
/// and every attempt and delivery report recorded.
///
/// A reminder is claimed (leased) before it is sent, so two runners never send it at once; a
/// runner that dies mid-send leaves the lease to expire and the reminder is tried again (a
/// gateway may then deliver it twice: at-least-once, as SMS gateways are).
public struct ReminderService: Sendable {
    /// The ports this service uses, and no others.
    let store: Transactions<any ReminderRows & RetentionRows & LineRows & CreditRows>
    let clock: any WallClock
    let book: PolicyBook
    let senders: [ReminderChannel: any ReminderSender]
    public static let maximumAttempts = 6
    public static let lease: TimeInterval = 120

    public init(
        store: any RechargeStore, clock: any WallClock, book: PolicyBook = .shippedBook,
        senders: [any ReminderSender]
    ) {
        self.store = Transactions(store) { $0 }
        self.clock = clock
        self.book = book
        self.senders = Dictionary(senders.map { ($0.channel, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The wait after `attempts` failed tries: 1 min, 2, 4, … up to 1 h.
    public static func backoff(afterAttempts attempts: Int) -> TimeInterval {
        min(60 * pow(2, Double(max(attempts - 1, 0))), 3600)
    }

    public struct DispatchSummary: Sendable, Hashable, Codable {
        public var claimed = 0
        public var sent = 0
        public var deferred = 0
        public var failed = 0
        public var retrying = 0
        /// The same outcomes (`sent`, `failed`, `deferred`, `retrying`) counted per channel.
        public var byChannel: [ReminderChannel: [String: Int]] = [:]

        enum CodingKeys: String, CodingKey {
            case claimed, sent, deferred, failed, retrying
        }

        public init() {}
    }

    /// Sends up to `limit` due reminders.
    public func dispatch(limit: Int = 200) async throws -> DispatchSummary {
        let now = clock.now()
        let bounded = min(max(limit, 1), 1_000)
        let claimed = try await store.write { try await $0.claimDueReminders(now: now, leaseUntil: now + Self.lease, limit: bounded) }
        var summary = DispatchSummary()
        summary.claimed = claimed.count
        guard !claimed.isEmpty else { return summary }
        let lineIDs = Array(Set(claimed.map(\.lineID)))
        let context: ([String: Line], [String: ContactPreferences]) = try await store.read { session in
            var lines: [String: Line] = [:]
            for id in lineIDs { lines[id] = try await session.line(id: id, forUpdate: false) }
            return (lines, try await session.contactPreferences(lineIDs: lineIDs))
        }
        let results = await withTaskGroup(of: (Reminder, ReminderAttempt).self) { group in
            var running = 0
            var results: [(Reminder, ReminderAttempt)] = []
            for reminder in claimed {
                if running >= 8, let done = await group.next() {
                    results.append(done)
                    running -= 1
                }
                let line = context.0[reminder.lineID]
                let contact = context.1[reminder.lineID]
                group.addTask { await self.attempt(reminder, line: line, contact: contact, now: now) }
                running += 1
            }
            for await done in group { results.append(done) }
            return results
        }
        for (reminder, attempt) in results {
            let outcome: String
            switch reminder.status {
            case .sent, .delivered:
                summary.sent += 1
                outcome = "sent"
            case .failed:
                summary.failed += 1
                outcome = "failed"
            case .pending where attempt.outcome == "deferred":
                summary.deferred += 1
                outcome = "deferred"
            default:
                summary.retrying += 1
                outcome = "retrying"
            }
            summary.byChannel[reminder.channel, default: [:]][outcome, default: 0] += 1
        }
        try await store.write { session in
            for (reminder, attempt) in results { try await session.recordReminderAttempt(attempt, reminder: reminder) }
        }
        return summary
    }

    func attempt(_ claimed: Reminder, line: Line?, contact: ContactPreferences?, now: Date) async -> (Reminder, ReminderAttempt) {
        var reminder = claimed
        func finish(_ status: ReminderStatus, _ outcome: String, _ detail: String?, next: Date = now) -> (Reminder, ReminderAttempt) {
            reminder.status = status
            reminder.nextAttemptAt = next
            if status == .failed || outcome == "failed" { reminder.lastError = detail }
            return (
                reminder, ReminderAttempt(reminderID: reminder.id, attempt: reminder.attempts, at: now, outcome: outcome, detail: detail)
            )
        }
        guard let line, line.status != .reclaimed || reminder.stage == .reclaimed else {
            return finish(.failed, "failed", "line_reclaimed")
        }
        let policy = book.policy(for: line, at: now)
        let zone = policy?.timeZone ?? Deadline.mainlandTimeZone
        if contact?.optedOut == true { return finish(.failed, "failed", "opted_out") }
        if reminder.kind == .deadline, let deadline = reminder.deadline, deadline <= LocalDate(now, in: zone) {
            return finish(.failed, "failed", "deadline_passed")
        }
        guard let sender = senders[reminder.channel] else { return finish(.failed, "failed", "channel_not_configured") }
        if reminder.channel != .webhook, let contact {
            let sendable = contact.sendableTime(at: now, fallbackZone: zone)
            if sendable > now { return finish(.pending, "deferred", "quiet_hours", next: sendable) }
        }
        let message = ReminderMessage.make(
            reminder, line: line, assessment: RetentionEngine.assess(line, policy: policy, now: now), contact: contact)
        reminder.attempts += 1
        do {
            reminder.providerReference = try await sender.send(message)
            reminder.sentAt = now
            reminder.lastError = nil
            return finish(.sent, "sent", reminder.providerReference)
        } catch {
            if error.permanent || reminder.attempts >= Self.maximumAttempts { return finish(.failed, "failed", error.detail) }
            return finish(.pending, "failed", error.detail, next: now + Self.backoff(afterAttempts: reminder.attempts))
        }
    }

    /// Records an SMS delivery report (Kannel `%d`: 1 delivered, 2 failed, 4 buffered, 8 accepted
    /// by the SMSC, 16 rejected by the SMSC). Unknown reminders are ignored; repeats are harmless.
    @discardableResult
    public func recordDeliveryReport(reminderID: String, code: Int) async throws -> Reminder? {
        let now = clock.now()
        return try await store.write { session in
            guard var reminder = try await session.reminder(id: reminderID) else { return nil }
            switch code {
            case 1:
                if reminder.status != .delivered { reminder.deliveredAt = now }
                reminder.status = .delivered
            case 2, 16:
                if reminder.status != .delivered {
                    reminder.status = .failed
                    reminder.lastError = "dlr_\(code)"
                }
            default:
                break
            }
            try await session.recordReminderAttempt(
                ReminderAttempt(reminderID: reminder.id, attempt: reminder.attempts, at: now, outcome: "dlr:\(code)", detail: nil),
                reminder: reminder)
            return reminder
        }
    }

    /// What the balance inquiry SMS ("BAL" / "余额") answers; `nil` if the text is not an inquiry.
    public func balanceReply(from input: String, text: String) async throws -> String? {
        let keyword = text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        let language: Language
        switch keyword {
        case "BAL", "BALANCE": language = .en
        case "余额", "YE", "CXYE": language = .zh
        default: return nil
        }
        guard let msisdn = try? MSISDN(parsing: input),
            let line = try await store.read({ try await $0.line(msisdn: msisdn) })
        else {
            return language == .zh ? "未找到该号码的在网线路。" : "No line in service for this number."
        }
        let now = clock.now()
        let assessment = book.assess(line, at: now)
        let deadline = assessment.deadline.map { language == .zh ? "，保号截止 \($0.iso)" : ", deadline \($0.iso)" } ?? ""
        let action =
            assessment.action == .none ? "" : (language == .zh ? "。\(assessment.action.text(.zh))" : ". \(assessment.action.text(.en))")
        if language == .zh {
            return "余额 \(line.balance.formatted)，状态 \(line.status.displayName(.zh))\(deadline)\(action)。"
        }
        return "Balance \(line.balance.formatted), status \(line.status.displayName(.en))\(deadline)\(action)."
    }
}
