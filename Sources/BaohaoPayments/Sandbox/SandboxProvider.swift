import BaohaoDomain
import Crypto
import Foundation

/// The built-in sandbox provider, for demos and tests. It behaves like a real one: the payer
/// approves or declines on a page under `/sandbox`, and the result arrives later as a signed,
/// asynchronous notification that may be late, repeated or out of order.
public struct SandboxProvider: PaymentProvider {
    public let name = "sandbox"
    public let methods: [PaymentMethod] = [.sandbox]
    /// The shared secret for notification signatures (`BAOHAO_SANDBOX_SECRET`).
    let secret: String
    /// Where this server is reached, e.g. `http://127.0.0.1:8080`.
    let publicBaseURL: String
    /// Largest notification body read.
    public static let maximumBodyBytes = 16 * 1024

    public init(secret: String, publicBaseURL: String) {
        precondition(secret.utf8.count >= 16, "the sandbox secret must be at least 16 bytes")
        self.secret = secret
        self.publicBaseURL = publicBaseURL
    }

    public func createPayment(_ request: PaymentRequest) async throws -> PaymentSession {
        let token = payToken(orderID: request.orderID, total: request.total, expiresAt: request.expiresAt)
        let query =
            "amount=\(request.total.amountMinor)&currency=\(request.total.currency.code)&exp=\(Int64(request.expiresAt.timeIntervalSince1970))&token=\(token)"
        return PaymentSession(provider: name, payURL: "\(publicBaseURL)/sandbox/pay/\(request.orderID)?\(query)")
    }

    /// Binds a pay link to its order, amount and expiry so the page cannot be edited into another payment.
    public func payToken(orderID: String, total: Money, expiresAt: Date) -> String {
        let message = "pay|\(orderID)|\(total.amountMinor)|\(total.currency.code)|\(Int64(expiresAt.timeIntervalSince1970))"
        let mac = HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return Hex.encode(mac.prefix(16))
    }

    /// The provider's transaction id for an order: one per order, so a double click pays once.
    public func transactionID(orderID: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("txn|\(orderID)".utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return "sbx_" + Hex.encode(mac.prefix(12))
    }

    /// Signs a body as the sandbox does when it sends a notification.
    public func sign(_ body: [UInt8], at date: Date) -> String {
        SandboxSignature.header(body: body, secret: secret, timestamp: Int64(date.timeIntervalSince1970))
    }

    public func verifyNotification(_ notification: IncomingNotification, now: Date) async throws(NotificationRejection) -> PaymentEvent {
        guard notification.body.count <= Self.maximumBodyBytes else { throw NotificationRejection("body_too_large") }
        try SandboxSignature.verify(header: notification.headers["baohao-signature"], body: notification.body, secret: secret, now: now)
        let decoded: SandboxNotification
        do {
            decoded = try JSONDecoder().decode(SandboxNotification.self, from: Data(notification.body))
        } catch {
            throw NotificationRejection("malformed_body")
        }
        let ids = (decoded.eventID, decoded.orderID)
        guard (1...128).contains(decoded.eventID.count), (1...64).contains(decoded.orderID.count),
            (1...128).contains(decoded.providerTransactionID.count)
        else { throw NotificationRejection("malformed_body", eventID: nil, orderID: nil) }
        let outcome: PaymentEvent.Outcome
        switch decoded.status {
        case "succeeded": outcome = .succeeded
        case "failed": outcome = .failed
        default: throw NotificationRejection("unknown_status", eventID: ids.0, orderID: ids.1)
        }
        guard let paidAt = Self.parseTime(decoded.paidAt) else {
            throw NotificationRejection("malformed_paid_at", eventID: ids.0, orderID: ids.1)
        }
        return PaymentEvent(
            provider: name, eventID: decoded.eventID, orderID: decoded.orderID,
            providerTransactionID: decoded.providerTransactionID, outcome: outcome, amount: decoded.amount, occurredAt: paidAt)
    }

    public func acknowledgement(_ outcome: NotificationAcknowledgement) -> NotificationReply {
        switch outcome {
        case .accepted:
            return NotificationReply(status: 200, contentType: "application/json", body: #"{"received":true}"#)
        case .rejected(let status, let reason):
            let body =
                #"{"detail":"\#(reason)","status":\#(status),"title":"支付通知被拒绝 / Notification rejected","type":"https://baohao.dev/problems/notification-rejected"}"#
            return NotificationReply(status: status, contentType: "application/problem+json", body: body)
        }
    }

    public func queryPayment(_ query: PaymentQuery) async throws -> PaymentQueryResult {
        // The sandbox keeps no ledger of its own: its payments exist only as the notifications it sent.
        .notFound
    }

    /// The sandbox accepts every refund at once, as a provider that refunds synchronously does;
    /// its refund id is derived from ours, so asking again answers the same refund.
    public func refund(_ request: RefundRequest) async throws -> RefundResult {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Array("refund|\(request.refundID)".utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return .succeeded(providerRefundID: "sbx_rf_" + Hex.encode(mac.prefix(12)))
    }

    static func parseTime(_ text: String) -> Date? {
        Timestamp.parse(text)
    }
}
