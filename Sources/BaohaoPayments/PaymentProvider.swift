import BaohaoDomain
import Foundation

/// A payment provider as the HTTP layer meets it: the domain's ``PaymentGateway`` (start, ask,
/// refund) plus what a notification needs, which only HTTP sees.
///
/// The shape follows what Alipay, WeChat Pay, UnionPay and Stripe have in common:
/// - the result arrives as an asynchronous, signed server-to-server notification whose raw bytes
///   (body, headers, or form fields) must be verified before anything is parsed as trusted;
/// - each provider expects its own acknowledgement (`success`, HTTP 204, JSON `FAIL`).
public protocol PaymentProvider: PaymentGateway {
    /// Verifies a notification over its raw bytes and turns it into a trusted event, or says why not.
    func verifyNotification(_ notification: IncomingNotification, now: Date) async throws(NotificationRejection) -> PaymentEvent

    /// The reply the provider expects after a notification was handled (or refused).
    func acknowledgement(_ outcome: NotificationAcknowledgement) -> NotificationReply

    /// Verifies a notification that may be about a payment or about a refund (providers that send
    /// both to one address). By default every notification is a payment's.
    func verifyNotice(_ notification: IncomingNotification, now: Date) async throws(NotificationRejection) -> ProviderNotice
}

/// What a verified notification is about.
public enum ProviderNotice: Sendable {
    case payment(PaymentEvent)
    case refund(RefundNotice)
}

extension PaymentProvider {
    public func verifyNotice(_ notification: IncomingNotification, now: Date) async throws(NotificationRejection) -> ProviderNotice {
        .payment(try await verifyNotification(notification, now: now))
    }
}

/// A notification exactly as it arrived: raw body bytes and headers, untouched.
public struct IncomingNotification: Sendable {
    public let body: [UInt8]
    /// Header names lower-cased.
    public let headers: [String: String]

    public init(body: [UInt8], headers: [String: String]) {
        self.body = body
        self.headers = headers
    }
}

/// Why a notification was refused; the code is kept for the operator, never the signature.
public struct NotificationRejection: Error, Sendable, Equatable {
    /// `bad_signature`, `missing_signature`, `stale_timestamp`, `malformed`, `wrong_merchant`, …
    public let reason: String
    /// Ids read from the body, if it could be read, for the operator's record.
    public let eventID: String?
    public let orderID: String?
    /// Authentic but not for us to act on (an event type we do not use, a status that is not
    /// final): acknowledged so the provider stops retrying, and recorded as ignored.
    public let harmless: Bool

    /// Reasons that mean the sender is not proven to be the provider (answered 401, not 400).
    public static let authenticationFailures: Set<String> = [
        "missing_signature", "bad_signature", "bad_signature_type", "malformed_signature", "stale_timestamp", "unknown_platform_key",
        "bad_certificate", "untrusted_certificate", "expired_certificate",
    ]

    /// The sender could not be authenticated (signature, timestamp, key or certificate).
    public var isAuthenticationFailure: Bool { Self.authenticationFailures.contains(reason) }

    public init(_ reason: String, eventID: String? = nil, orderID: String? = nil, harmless: Bool = false) {
        self.reason = reason
        self.eventID = eventID
        self.orderID = orderID
        self.harmless = harmless
    }
}

/// The HTTP answer a provider expects to a notification.
public struct NotificationReply: Sendable, Hashable {
    public let status: Int
    public let contentType: String?
    public let body: String

    public init(status: Int, contentType: String?, body: String) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

/// Whether a notification was taken (applied, or a harmless duplicate) or refused, and why.
public enum NotificationAcknowledgement: Sendable, Hashable {
    case accepted
    /// Refused with an HTTP status (401 signature, 400 malformed, 404 unknown order, 422 mismatch).
    case rejected(status: Int, reason: String)
}
