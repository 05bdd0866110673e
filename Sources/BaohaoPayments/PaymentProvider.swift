import BaohaoDomain
import Foundation

/// A payment provider behind one interface: the sandbox now; Alipay, WeChat Pay, UnionPay and
/// Stripe through the same shape later.
///
/// The shape follows what those providers have in common:
/// - creating a payment returns what the payer's device needs next (a page to open, a QR code
///   payload, or a client secret), never a synchronous "paid";
/// - the result arrives as an asynchronous, signed server-to-server notification whose raw bytes
///   (body, headers, or form fields) must be verified before anything is parsed as trusted;
/// - each provider expects its own acknowledgement (`success`, HTTP 204, JSON `FAIL`);
/// - a lost notification is recovered by querying the provider's order API (the reconciler).
public protocol PaymentProvider: Sendable {
    /// Stable provider name used in ledger accounts and the payments key, e.g. `sandbox`, `alipay`.
    var name: String { get }
    /// The payment methods this provider serves.
    var methods: [PaymentMethod] { get }

    /// Starts a payment for an order.
    func createPayment(_ request: PaymentRequest) async throws -> PaymentSession

    /// Verifies a notification over its raw bytes and turns it into a trusted event, or says why not.
    func verifyNotification(_ notification: IncomingNotification, now: Date) async throws(NotificationRejection) -> PaymentEvent

    /// The reply the provider expects after a notification was handled (or refused).
    func acknowledgement(_ outcome: NotificationAcknowledgement) -> NotificationReply

    /// Asks the provider what became of an order's payment (for the reconciler).
    func queryPayment(_ query: PaymentQuery) async throws -> PaymentQueryResult

    /// Asks the provider to return money for a payment. Keyed by `refundID`, so repeating the
    /// request cannot refund twice.
    func refund(_ request: RefundRequest) async throws -> RefundResult
}

/// What the reconciler knows about an order when it asks the provider.
public struct PaymentQuery: Sendable, Hashable {
    public let orderID: String
    public let total: Money
    /// The provider's id for the payment session, if creating it returned one (Stripe's Checkout Session).
    public let providerReference: String?

    public init(orderID: String, total: Money, providerReference: String?) {
        self.orderID = orderID
        self.total = total
        self.providerReference = providerReference
    }
}

/// A request to give money back for one provider transaction.
public struct RefundRequest: Sendable, Hashable {
    public let orderID: String
    public let transactionID: String
    /// Our id for this refund; the provider's idempotency key.
    public let refundID: String
    public let amount: Money
    /// The payment's full amount (WeChat Pay wants it beside the refund).
    public let paymentTotal: Money
    public let reason: String

    public init(orderID: String, transactionID: String, refundID: String, amount: Money, paymentTotal: Money, reason: String) {
        self.orderID = orderID
        self.transactionID = transactionID
        self.refundID = refundID
        self.amount = amount
        self.paymentTotal = paymentTotal
        self.reason = reason
    }
}

/// What the provider said to a refund request.
public enum RefundResult: Sendable, Hashable {
    /// The money is on its way back; the provider's refund id.
    case succeeded(providerRefundID: String)
    /// Accepted; the final result comes later (WeChat Pay's PROCESSING).
    case processing(providerRefundID: String)
    /// Refused, with the provider's code.
    case refused(code: String)
}

/// A provider that cannot do something asked of it (the sandbox has no refunds).
public struct ProviderUnsupported: Error, Sendable {
    public let operation: String
    public init(_ operation: String) { self.operation = operation }
}

/// What a provider needs to start a payment.
public struct PaymentRequest: Sendable, Hashable {
    public let orderID: String
    public let total: Money
    /// Shown on the provider's page, e.g. `话费充值 138****8000 ¥50.00`.
    public let subject: String
    /// Where the provider sends its notification.
    public let notifyURL: String
    /// Where the payer's browser returns afterwards.
    public let returnURL: String
    public let expiresAt: Date

    public init(orderID: String, total: Money, subject: String, notifyURL: String, returnURL: String, expiresAt: Date) {
        self.orderID = orderID
        self.total = total
        self.subject = subject
        self.notifyURL = notifyURL
        self.returnURL = returnURL
        self.expiresAt = expiresAt
    }
}

/// What the payer's device does next.
public struct PaymentSession: Sendable, Hashable {
    public let provider: String
    /// A page to open (sandbox, Alipay page pay, WeChat H5, UnionPay front URL).
    public let payURL: String?
    /// A payload to show as a QR code (WeChat Native, Alipay precreate).
    public let qrCode: String?
    /// The provider's id for this payment session, kept for later queries (Stripe's `cs_…`).
    public let providerReference: String?

    public init(provider: String, payURL: String?, qrCode: String? = nil, providerReference: String? = nil) {
        self.provider = provider
        self.payURL = payURL
        self.qrCode = qrCode
        self.providerReference = providerReference
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

/// What the provider's order query says.
public enum PaymentQueryResult: Sendable, Hashable {
    case paid(PaymentEvent)
    case pending
    case closed
    case notFound
}
