import BaohaoDomain
import Foundation
import Logging

/// A messaging setting that cannot be used; names the setting, never its value.
public struct MessagingConfigurationError: Error, CustomStringConvertible {
    public let setting: String
    public let reason: String
    public var description: String { "\(setting): \(reason)" }
}

/// The reminder senders the environment configures (see README, "Reminders").
public enum MessagingSetup {
    public struct Result: Sendable {
        public var senders: [any ReminderSender] = []
        /// Sends one-time sign-in codes (Kannel, or the log in demo mode); `nil`: SMS sign-in is off.
        public var textSender: (any TextMessageSender)?
        /// Authenticates Kannel's callbacks.
        public var smsCallbackSecret: String?
        public var defaultChannels: [ReminderChannel] = [.sms]
    }

    /// A secret by variable name, `nil` when unset; its `_FILE` form was already read (`SettingsLoader`).
    static func secret(_ environment: [String: String], _ name: String) -> String? {
        environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The senders and callback settings for `environment`; `clock` stamps what they send.
    public static func configure(
        environment: [String: String], publicBaseURL: String, demo: Bool, clock: any WallClock, logger: Logger
    ) throws -> Result {
        var result = Result()
        result.smsCallbackSecret = secret(environment, "BAOHAO_SMS_CALLBACK_SECRET")
        if let secret = result.smsCallbackSecret, secret.utf8.count < 16 {
            throw MessagingConfigurationError(setting: "BAOHAO_SMS_CALLBACK_SECRET", reason: "must be at least 16 characters")
        }
        if let raw = environment["BAOHAO_KANNEL_URL"], !raw.isEmpty {
            guard let url = URL(string: raw), ["http", "https"].contains(url.scheme ?? "") else {
                throw MessagingConfigurationError(setting: "BAOHAO_KANNEL_URL", reason: "must be http(s)://host:13013/cgi-bin/sendsms")
            }
            guard let secret = result.smsCallbackSecret else {
                throw MessagingConfigurationError(setting: "BAOHAO_SMS_CALLBACK_SECRET", reason: "is needed for Kannel delivery reports")
            }
            guard let username = environment["BAOHAO_KANNEL_USERNAME"], !username.isEmpty else {
                throw MessagingConfigurationError(setting: "BAOHAO_KANNEL_USERNAME", reason: "is missing")
            }
            guard let password = Self.secret(environment, "BAOHAO_KANNEL_PASSWORD") else {
                throw MessagingConfigurationError(setting: "BAOHAO_KANNEL_PASSWORD", reason: "is missing")
            }
            let kannel = KannelSMSSender(
                configuration: KannelConfiguration(
                    sendURL: url, username: username, password: password, from: environment["BAOHAO_KANNEL_FROM"] ?? "10086",
                    deliveryReportURL: "\(publicBaseURL)/v1/sms/dlr", callbackSecret: secret))
            result.senders.append(kannel)
            result.textSender = kannel
        } else if demo {
            result.senders.append(ConsoleSender(channel: .sms, logger: logger))
            result.textSender = ConsoleTextSender(logger: logger)
        }
        if let host = environment["BAOHAO_SMTP_HOST"], !host.isEmpty {
            let port = Int(environment["BAOHAO_SMTP_PORT"] ?? "587") ?? -1
            guard (1...65535).contains(port) else {
                throw MessagingConfigurationError(setting: "BAOHAO_SMTP_PORT", reason: "must be 1–65535")
            }
            guard let from = environment["BAOHAO_SMTP_FROM"], MailMessage.isAcceptableAddress(from) else {
                throw MessagingConfigurationError(setting: "BAOHAO_SMTP_FROM", reason: "must be an email address")
            }
            guard let security = SMTPConfiguration.Security(rawValue: environment["BAOHAO_SMTP_SECURITY"] ?? "starttls") else {
                throw MessagingConfigurationError(setting: "BAOHAO_SMTP_SECURITY", reason: "must be starttls, starttls-optional or none")
            }
            let caFile = environment["BAOHAO_SMTP_CA_FILE"].flatMap { $0.isEmpty ? nil : $0 }
            if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
                throw MessagingConfigurationError(setting: "BAOHAO_SMTP_CA_FILE", reason: "cannot read the file")
            }
            result.senders.append(
                EmailReminderSender(
                    client: SMTPClient(
                        configuration: SMTPConfiguration(
                            host: host, port: port, from: from, username: environment["BAOHAO_SMTP_USERNAME"],
                            password: secret(environment, "BAOHAO_SMTP_PASSWORD"), security: security, caFile: caFile)),
                    clock: clock))
        } else if demo {
            result.senders.append(ConsoleSender(channel: .email, logger: logger))
        }
        if let raw = environment["BAOHAO_WEBHOOK_URL"], !raw.isEmpty {
            guard let url = URL(string: raw), ["http", "https"].contains(url.scheme ?? "") else {
                throw MessagingConfigurationError(setting: "BAOHAO_WEBHOOK_URL", reason: "must be an http(s) URL")
            }
            guard let secret = secret(environment, "BAOHAO_WEBHOOK_SECRET"), secret.utf8.count >= 16 else {
                throw MessagingConfigurationError(setting: "BAOHAO_WEBHOOK_SECRET", reason: "must be at least 16 characters")
            }
            result.senders.append(WebhookSender(url: url, secret: secret, clock: clock))
        }
        if let raw = environment["BAOHAO_REMINDER_CHANNELS"], !raw.isEmpty {
            var channels: [ReminderChannel] = []
            for item in raw.split(separator: ",") {
                guard let channel = ReminderChannel(rawValue: item.trimmingCharacters(in: .whitespaces)) else {
                    throw MessagingConfigurationError(setting: "BAOHAO_REMINDER_CHANNELS", reason: "lists sms, email, webhook")
                }
                channels.append(channel)
            }
            result.defaultChannels = channels
        }
        return result
    }
}
