import Foundation

/// What a reminder says, built from the line as it stands when the reminder is sent.
public struct ReminderMessage: Sendable, Hashable {
    public let reminderID: String
    public let kind: ReminderDue.Kind
    public let channel: ReminderChannel
    /// Where it goes: the number for SMS, the address for email (the operator's URL for a webhook).
    public let msisdn: MSISDN
    public let email: String?
    public let language: Language
    public let subject: String
    public let text: String
    /// The facts, for the webhook body.
    public let lineID: String
    public let stage: LineStatus
    public let deadline: LocalDate?
    public let balance: Money
    public let actionZh: String
    public let actionEn: String
    public let createdAt: Date

    /// Builds the message for `reminder` about `line` as assessed now.
    public static func make(
        _ reminder: Reminder, line: Line, assessment: RetentionAssessment, contact: ContactPreferences?
    ) -> ReminderMessage {
        let language = contact?.language ?? .zh
        let masked = line.msisdn.masked
        let stageName = reminder.stage.displayName(language)
        let action = assessment.action.text(language)
        let when = reminder.deadline?.iso ?? ""
        let subject: String
        let body: String
        switch (reminder.kind, language) {
        case (.deadline, .zh):
            subject = "保号提醒：\(masked) 将于 \(when) 进入\(stageName)"
            body = "【保号提醒】您的号码 \(masked) 将于 \(when) 进入\(stageName)。\(action)。当前余额 \(line.balance.formatted)。"
        case (.deadline, .en):
            subject = "Keep your number: \(masked) becomes \(stageName.lowercased()) on \(when)"
            body = "Your number \(masked) becomes \(stageName.lowercased()) on \(when). \(action). Balance: \(line.balance.formatted)."
        case (.stageChange, .zh) where reminder.stage == .active:
            subject = "保号通知：\(masked) 已恢复正常"
            body = "【保号通知】您的号码 \(masked) 已恢复正常使用。当前余额 \(line.balance.formatted)。"
        case (.stageChange, .en) where reminder.stage == .active:
            subject = "Your number \(masked) is back in service"
            body = "Your number \(masked) is back in service. Balance: \(line.balance.formatted)."
        case (.stageChange, .zh):
            subject = "保号通知：\(masked) 已进入\(stageName)"
            body = "【保号通知】您的号码 \(masked) 已进入\(stageName)。\(action)。当前余额 \(line.balance.formatted)。"
        case (.stageChange, .en):
            subject = "Your number \(masked) is now \(stageName.lowercased())"
            body = "Your number \(masked) is now \(stageName.lowercased()). \(action). Balance: \(line.balance.formatted)."
        case (.lowBalance, .zh):
            subject = "余额提醒：\(masked) 余额不足"
            body = "【余额提醒】您的号码 \(masked) 余额 \(line.balance.formatted)，预计 \(when) 进入\(stageName)。\(action)。"
        case (.lowBalance, .en):
            subject = "Low balance on \(masked)"
            body = "Your number \(masked) has \(line.balance.formatted) left and becomes \(stageName.lowercased()) on \(when). \(action)."
        }
        return ReminderMessage(
            reminderID: reminder.id, kind: reminder.kind, channel: reminder.channel, msisdn: line.msisdn, email: contact?.email,
            language: language, subject: subject, text: body, lineID: line.id, stage: reminder.stage, deadline: reminder.deadline,
            balance: line.balance, actionZh: assessment.action.text(.zh), actionEn: assessment.action.text(.en),
            createdAt: reminder.createdAt)
    }
}

/// A gateway that delivers reminders on one channel (Kannel, SMTP, webhook, the console).
public protocol ReminderSender: Sendable {
    var channel: ReminderChannel { get }
    /// Hands the message over; returns the gateway's reference, if it gives one.
    func send(_ message: ReminderMessage) async throws(ReminderSendError) -> String?
    /// Whether the gateway reports delivery later (SMS delivery reports).
    var reportsDelivery: Bool { get }
}

/// Why a send failed; `permanent` failures are not retried.
public struct ReminderSendError: Error, Sendable, Hashable {
    public let permanent: Bool
    /// Safe to store and show: never a secret or a full number.
    public let detail: String

    public init(permanent: Bool, detail: String) {
        self.permanent = permanent
        self.detail = String(detail.prefix(300))
    }
}
