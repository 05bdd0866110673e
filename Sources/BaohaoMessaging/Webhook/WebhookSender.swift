import AsyncHTTPClient
import BaohaoDomain
import Foundation
import NIOCore

/// Reminders posted as JSON to the operator's endpoint, signed
/// `Baohao-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`.
/// `Baohao-Event-Id` is the reminder id: a receiver drops repeats by it.
public struct WebhookSender: ReminderSender {
    public let channel = ReminderChannel.webhook
    public let reportsDelivery = false
    let url: URL
    let secret: String
    let clock: any WallClock

    public init(url: URL, secret: String, clock: any WallClock) {
        self.url = url
        self.secret = secret
        self.clock = clock
    }

    public static func signature(body: Data, timestamp: Int, secret: String) -> String {
        "t=\(timestamp),v1=" + TimestampedSignature.hex(secret: secret, timestamp: Int64(timestamp), body: body)
    }

    public static func body(_ message: ReminderMessage) -> Data {
        var object: [String: Any] = [
            "event": "reminder", "reminder_id": message.reminderID, "kind": message.kind.rawValue, "line_id": message.lineID,
            "msisdn": message.msisdn.e164, "stage": message.stage.rawValue, "balance": message.balance.decimalString,
            "currency": message.balance.currency.code, "action_zh": message.actionZh, "action_en": message.actionEn,
            "text": message.text, "created_at": ISO8601DateFormatter().string(from: message.createdAt),
        ]
        object["deadline"] = message.deadline?.iso
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    public func send(_ message: ReminderMessage) async throws(ReminderSendError) -> String? {
        let body = Self.body(message)
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.body = .bytes(ByteBuffer(bytes: body))
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Baohao-Event-Id", value: message.reminderID)
        request.headers.add(
            name: "Baohao-Signature", value: Self.signature(body: body, timestamp: Int(clock.now().timeIntervalSince1970), secret: secret))
        let status: Int
        do {
            let response = try await OutboundHTTP.client.execute(request, timeout: .seconds(15))
            status = Int(response.status.code)
            _ = try? await response.body.collect(upTo: 4096)
        } catch {
            throw ReminderSendError(permanent: false, detail: "webhook unreachable")
        }
        guard (200...299).contains(status) else {
            throw ReminderSendError(permanent: (400...499).contains(status) && status != 408 && status != 429, detail: "webhook \(status)")
        }
        return nil
    }
}
