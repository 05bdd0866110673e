import BaohaoDomain
import Foundation

/// A retention policy in the admin API.
struct PolicyRepresentation: Encodable, Sendable {
    let code: String
    let version: Int
    let effectiveFrom: String
    let nameZh: String
    let nameEn: String
    let `operator`: String
    let sources: [String]
    let rules: [String]
    let afterLapse: [String]
    let quarantineDays: Int

    enum CodingKeys: String, CodingKey {
        case code, version, sources, rules
        case effectiveFrom = "effective_from"
        case nameZh = "name_zh"
        case nameEn = "name_en"
        case `operator` = "operator"
        case afterLapse = "after_lapse"
        case quarantineDays = "quarantine_days"
    }

    init(_ policy: RetentionPolicy) {
        code = policy.code
        version = policy.version
        effectiveFrom = policy.effectiveFrom.iso
        nameZh = policy.nameZh
        nameEn = policy.nameEn
        self.operator = policy.operatorName
        sources = policy.sources
        var rules: [String] = []
        if let fee = policy.monthlyFee {
            rules.append("monthly_fee \(fee.fee.decimalString) \(fee.fee.currency.code) on day \(fee.dayOfMonth)")
        }
        if let activity = policy.activity {
            switch activity.period {
            case .days(let n): rules.append("activity every \(n) days")
            case .months(let n): rules.append("activity every \(n) months")
            }
        }
        if let validity = policy.validity { rules.append("validity by amount (\(validity.tiers.count) tiers)") }
        if let minimum = policy.minimumBalance {
            rules.append(
                "minimum_balance \(minimum.charge.decimalString) per \(minimum.extendsDays) days after \(minimum.afterInactiveDays) idle days"
            )
        }
        self.rules = rules
        afterLapse = policy.afterLapse.map { "\($0.stage.rawValue) \($0.days) days" }
        quarantineDays = policy.quarantineDays
    }
}

/// Where a line stands under its policy, with history and reminders.
struct RetentionRepresentation: Encodable, Sendable {
    struct Step: Encodable, Sendable {
        let stage: String
        let startsOn: String
        enum CodingKeys: String, CodingKey {
            case stage
            case startsOn = "starts_on"
        }
    }

    struct Change: Encodable, Sendable {
        let from: String
        let to: String
        let effectiveOn: String
        let recordedAt: String
        let reason: String
        let policy: String
        enum CodingKeys: String, CodingKey {
            case from, to, reason, policy
            case effectiveOn = "effective_on"
            case recordedAt = "recorded_at"
        }
    }

    struct Attempt: Encodable, Sendable {
        let attempt: Int
        let at: String
        /// `sent`, `failed`, `deferred`, `dlr:<code>`.
        let outcome: String
        let detail: String?
    }

    struct ReminderItem: Encodable, Sendable {
        let id: String
        let kind: String
        let key: String
        let channel: String
        let status: String
        let attempts: Int
        let lastError: String?
        let createdAt: String
        let sentAt: String?
        let deliveredAt: String?
        let history: [Attempt]
        enum CodingKeys: String, CodingKey {
            case id, kind, key, channel, status, attempts, history
            case lastError = "last_error"
            case createdAt = "created_at"
            case sentAt = "sent_at"
            case deliveredAt = "delivered_at"
        }
    }

    let msisdn: String
    let stage: String
    let stageZh: String
    let balance: Money
    let policy: String?
    let deadline: String?
    let lapseReason: String?
    let nextStage: String?
    let nextStageOn: String?
    let actionZh: String
    let actionEn: String
    let schedule: [Step]
    let history: [Change]
    let reminders: [ReminderItem]
    let quarantineUntil: String?
    /// The line's reminder preferences; `null` until set (SMS in Chinese by default).
    let contact: ContactRepresentation?

    enum CodingKeys: String, CodingKey {
        case msisdn, stage, balance, policy, deadline, schedule, history, reminders, contact
        case stageZh = "stage_zh"
        case lapseReason = "lapse_reason"
        case nextStage = "next_stage"
        case nextStageOn = "next_stage_on"
        case actionZh = "action_zh"
        case actionEn = "action_en"
        case quarantineUntil = "quarantine_until"
    }

    init(_ view: RetentionService.LineView) {
        let a = view.assessment
        msisdn = view.line.msisdn.e164
        stage = view.line.status.rawValue
        stageZh = view.line.status.displayName(.zh)
        balance = view.line.balance
        policy = a.policy
        deadline = a.deadline?.iso
        lapseReason = a.lapseReason?.rawValue
        nextStage = a.nextStage?.rawValue
        nextStageOn = a.nextStageOn?.iso
        actionZh = a.action.text(.zh)
        actionEn = a.action.text(.en)
        schedule = a.schedule.map { Step(stage: $0.stage.rawValue, startsOn: $0.startsOn.iso) }
        history = view.history.map {
            Change(
                from: $0.from.rawValue, to: $0.to.rawValue, effectiveOn: $0.effectiveOn.iso, recordedAt: Timestamp.format($0.recordedAt),
                reason: $0.reason, policy: $0.policy)
        }
        let attempts = Dictionary(grouping: view.attempts, by: \.reminderID)
        reminders = view.reminders.map {
            ReminderItem(
                id: $0.id, kind: $0.kind.rawValue, key: $0.key, channel: $0.channel.rawValue, status: $0.status.rawValue,
                attempts: $0.attempts,
                lastError: $0.lastError, createdAt: Timestamp.format($0.createdAt), sentAt: $0.sentAt.map(Timestamp.format),
                deliveredAt: $0.deliveredAt.map(Timestamp.format),
                history: (attempts[$0.id] ?? []).map {
                    Attempt(attempt: $0.attempt, at: Timestamp.format($0.at), outcome: $0.outcome, detail: $0.detail)
                })
        }
        quarantineUntil = view.line.retention.quarantineUntil.map(Timestamp.format)
        contact = view.contact.map(ContactRepresentation.init)
    }
}

/// Reminder preferences in the admin API.
struct ContactRepresentation: Encodable, Sendable {
    let channels: [String]
    let email: String?
    let language: String
    let quietStart: Int?
    let quietEnd: Int?
    let timeZone: String?
    let optedOut: Bool

    enum CodingKeys: String, CodingKey {
        case channels, email, language
        case quietStart = "quiet_start"
        case quietEnd = "quiet_end"
        case timeZone = "time_zone"
        case optedOut = "opted_out"
    }

    init(_ c: ContactPreferences) {
        channels = c.channels.map(\.rawValue)
        email = c.email
        language = c.language.rawValue
        quietStart = c.quietStart
        quietEnd = c.quietEnd
        timeZone = c.timeZone?.identifier
        optedOut = c.optedOut
    }
}
