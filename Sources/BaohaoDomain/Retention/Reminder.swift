import Foundation

/// How a reminder reaches the subscriber.
public enum ReminderChannel: String, Sendable, Codable, CaseIterable {
    case sms
    case email
    case webhook
}

/// Where one reminder on one channel stands.
public enum ReminderStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting for its time (or its next retry).
    case pending
    /// Claimed by a runner that is sending it now.
    case sending
    /// Handed to the gateway (SMS), mail server or webhook receiver.
    case sent
    /// The SMS centre reported delivery.
    case delivered
    /// Gave up: attempts used, the gateway refused for good, or the deadline passed.
    case failed
}

/// One reminder on one channel, with its delivery history summary.
public struct Reminder: Hashable, Sendable {
    public let id: String
    public let lineID: String
    public let kind: ReminderDue.Kind
    public let key: String
    public let channel: ReminderChannel
    public let stage: LineStatus
    public let deadline: LocalDate?
    public var status: ReminderStatus
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    /// The gateway's id for the message (SMTP queue id, Kannel has none), if any.
    public var providerReference: String?
    public let createdAt: Date
    public var sentAt: Date?
    public var deliveredAt: Date?

    public init(
        id: String, lineID: String, kind: ReminderDue.Kind, key: String, channel: ReminderChannel, stage: LineStatus, deadline: LocalDate?,
        status: ReminderStatus, attempts: Int, nextAttemptAt: Date, lastError: String? = nil, providerReference: String? = nil,
        createdAt: Date, sentAt: Date? = nil, deliveredAt: Date? = nil
    ) {
        self.id = id
        self.lineID = lineID
        self.kind = kind
        self.key = key
        self.channel = channel
        self.stage = stage
        self.deadline = deadline
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.providerReference = providerReference
        self.createdAt = createdAt
        self.sentAt = sentAt
        self.deliveredAt = deliveredAt
    }
}

/// One try at sending a reminder, or a delivery report about it.
public struct ReminderAttempt: Hashable, Sendable {
    public let reminderID: String
    public let attempt: Int
    public let at: Date
    /// `sent`, `failed`, `deferred` (quiet hours), `dlr:<code>`.
    public let outcome: String
    public let detail: String?

    public init(reminderID: String, attempt: Int, at: Date, outcome: String, detail: String?) {
        self.reminderID = reminderID
        self.attempt = attempt
        self.at = at
        self.outcome = outcome
        self.detail = detail
    }
}

/// A subscriber's reminder choices for one line.
public struct ContactPreferences: Hashable, Sendable {
    public let lineID: String
    public var channels: [ReminderChannel]
    public var email: String?
    public var language: Language
    /// Local hours (0–23) during which SMS and email wait: from `quietStart` up to `quietEnd`.
    public var quietStart: Int?
    public var quietEnd: Int?
    /// The line's time zone for quiet hours (a number abroad is not in its operator's zone).
    public var timeZone: TimeZone?
    public var optedOut: Bool

    public init(
        lineID: String, channels: [ReminderChannel], email: String? = nil, language: Language = .zh, quietStart: Int? = nil,
        quietEnd: Int? = nil, timeZone: TimeZone? = nil, optedOut: Bool = false
    ) {
        self.lineID = lineID
        self.channels = channels
        self.email = email
        self.language = language
        self.quietStart = quietStart
        self.quietEnd = quietEnd
        self.timeZone = timeZone
        self.optedOut = optedOut
    }

    /// When a message may go out at `now`: `now`, or the end of quiet hours.
    public func sendableTime(at now: Date, fallbackZone: TimeZone) -> Date {
        guard let start = quietStart, let end = quietEnd, start != end else { return now }
        let zone = timeZone ?? fallbackZone
        let offset = zone.secondsFromGMT(for: now)
        let local = Int(now.timeIntervalSince1970) + offset
        let secondOfDay = ((local % 86_400) + 86_400) % 86_400
        let hour = secondOfDay / 3600
        let quiet = start < end ? (hour >= start && hour < end) : (hour >= start || hour < end)
        guard quiet else { return now }
        var wait = end * 3600 - secondOfDay
        if wait <= 0 { wait += 86_400 }
        return now.addingTimeInterval(TimeInterval(wait))
    }
}

/// What one pass of a job did, kept for the operator.
public struct JobRun: Hashable, Sendable {
    public let id: String
    public let job: String
    public let startedAt: Date
    public let finishedAt: Date
    public let processed: Int
    public let detail: String

    public init(id: String, job: String, startedAt: Date, finishedAt: Date, processed: Int, detail: String) {
        self.id = id
        self.job = job
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.processed = processed
        self.detail = detail
    }
}

/// Everything one review batch writes, in a few set-based statements.
public struct ReviewBatch: Sendable {
    /// The review time: each written line's `updated_at`.
    public let reviewedAt: Date
    public var lines: [Line] = []
    public var transfers: [Transfer] = []
    public var changes: [(id: String, change: StageChange, announced: Bool)] = []
    /// Lines whose earlier stage changes are now announced.
    public var announcedLineIDs: [String] = []
    public var reminders: [Reminder] = []

    public init(reviewedAt: Date) {
        self.reviewedAt = reviewedAt
    }
}
