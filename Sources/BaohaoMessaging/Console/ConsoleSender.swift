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
