import BaohaoDomain
import Logging

/// Demo mode: reminders are written to the log instead of sent (masked number only).
public struct ConsoleSender: ReminderSender {
    public let channel: ReminderChannel
    public let reportsDelivery = false
    let logger: Logger

    public init(channel: ReminderChannel, logger: Logger) {
        self.channel = channel
        self.logger = logger
    }

    public func send(_ message: ReminderMessage) async throws(ReminderSendError) -> String? {
        logger.info("demo \(channel.rawValue) reminder to \(message.msisdn.masked): \(message.subject)")
        return nil
    }
}

/// Demo mode only: one-time codes are written to the log, with the number masked, because a demo
/// has no SMS gateway. Never configured when Kannel is.
public struct ConsoleTextSender: TextMessageSender {
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func sendText(to msisdn: MSISDN, text: String) async throws {
        logger.notice("demo SMS to \(msisdn.masked): \(text)")
    }
}
