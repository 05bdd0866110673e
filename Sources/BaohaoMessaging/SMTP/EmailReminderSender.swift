import BaohaoDomain
import Foundation

/// Reminders by email through ``SMTPClient``.
public struct EmailReminderSender: ReminderSender {
    public let channel = ReminderChannel.email
    public let reportsDelivery = false
    let client: SMTPClient
    let clock: any WallClock

    public init(client: SMTPClient, clock: any WallClock) {
        self.client = client
        self.clock = clock
    }

    public func send(_ message: ReminderMessage) async throws(ReminderSendError) -> String? {
        guard let to = message.email else { throw ReminderSendError(permanent: true, detail: "no_email_address") }
        let mail = MailMessage(
            from: client.configuration.from, to: to, subject: message.subject,
            body: message.text + (message.language == .zh ? "\n\n—— 保号 Baohao" : "\n\n— Baohao"),
            messageID: "\(message.reminderID)@baohao", date: clock.now())
        do {
            return try await client.send(mail)
        } catch let error as SMTPError {
            throw ReminderSendError(permanent: error.permanent, detail: "smtp: \(error.description)")
        } catch {
            throw ReminderSendError(permanent: false, detail: "smtp: \(type(of: error))")
        }
    }
}
