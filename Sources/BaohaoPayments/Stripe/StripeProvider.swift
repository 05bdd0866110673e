import BaohaoDomain
import Foundation

/// Stripe, for international cards, through Checkout.
///
/// - Payment: `POST /v1/checkout/sessions` (keyed by order id) returns the page to open; the
///   session id is kept for queries.
/// - Webhook: `Stripe-Signature` verified over the raw body; `checkout.session.completed`,
///   `checkout.session.async_payment_succeeded` and `payment_intent.succeeded` credit (all keyed by
///   the PaymentIntent id, so they are duplicates of each other); `…async_payment_failed` and
///   `checkout.session.expired` fail the order; other event types are acknowledged and ignored.
/// - Query: `GET /v1/checkout/sessions/{id}`; refund: `POST /v1/refunds` keyed by our refund id.
public struct StripeProvider: PaymentProvider {
    public let name = "stripe"
    public let methods: [PaymentMethod] = [.card]
    let configuration: StripeConfiguration
    let http: any ProviderHTTPClient
    let clock: any WallClock
    static let maximumBodyBytes = 64 * 1024
    /// Stripe refuses a Checkout Session that expires sooner than 30 minutes after creation.
    static let minimumSessionSeconds: TimeInterval = 31 * 60

    public init(configuration: StripeConfiguration, http: any ProviderHTTPClient, clock: any WallClock) {
        self.configuration = configuration
        self.http = http
        self.clock = clock
    }

    public func createPayment(_ request: PaymentRequest) async throws -> PaymentSession {
        let expiresAt = max(request.expiresAt, clock.now() + Self.minimumSessionSeconds)
        let fields: [(String, String)] = [
            ("mode", "payment"), ("client_reference_id", request.orderID), ("success_url", request.returnURL),
            ("cancel_url", request.returnURL), ("line_items[0][quantity]", "1"),
            ("line_items[0][price_data][currency]", request.total.currency.code.lowercased()),
            ("line_items[0][price_data][unit_amount]", String(request.total.amountMinor)),
            ("line_items[0][price_data][product_data][name]", request.subject), ("metadata[order_id]", request.orderID),
            ("payment_intent_data[metadata][order_id]", request.orderID), ("expires_at", String(Int64(expiresAt.timeIntervalSince1970))),
        ]
        let (status, object) = try await call("POST", "/v1/checkout/sessions", form: fields, idempotencyKey: "baohao-cs-\(request.orderID)")
        guard status == 200, let id = object["id"] as? String, let url = object["url"] as? String else {
            throw ProviderCallError.httpStatus(status, code: (object["error"] as? [String: Any])?["code"] as? String)
        }
        return PaymentSession(provider: name, payURL: url, providerReference: id)
    }

    public func verifyNotification(_ notification: IncomingNotification, now: Date) async throws(NotificationRejection)
        -> PaymentEvent
    {
        switch try await verifyNotice(notification, now: now) {
        case .payment(let event): return event
        case .refund(let notice): throw NotificationRejection("refund_notification", eventID: notice.eventID)
        }
    }

    /// Payment events and refund events (`charge.refund.updated`, `refund.updated`, whose object is
    /// a refund carrying our `metadata[refund_id]`) arrive at the same webhook.
    public func verifyNotice(_ notification: IncomingNotification, now: Date) async throws(NotificationRejection) -> ProviderNotice {
        guard notification.body.count <= Self.maximumBodyBytes else { throw NotificationRejection("body_too_large") }
        if let reason = StripeSignature.verify(
            header: notification.headers["stripe-signature"], body: notification.body, secret: configuration.webhookSecret,
            tolerance: configuration.toleranceSeconds, now: now)
        {
            throw NotificationRejection(reason)
        }
        guard let event = (try? JSONSerialization.jsonObject(with: Data(notification.body))) as? [String: Any],
            let eventID = event["id"] as? String, (1...128).contains(eventID.count), let type = event["type"] as? String,
            let object = (event["data"] as? [String: Any])?["object"] as? [String: Any]
        else { throw NotificationRejection("malformed_body") }
        let created = (event["created"] as? NSNumber).map { Date(timeIntervalSince1970: $0.doubleValue) } ?? now
        switch type {
        case "checkout.session.completed", "checkout.session.async_payment_succeeded":
            guard object["payment_status"] as? String == "paid" else {
                throw NotificationRejection(
                    "status_not_final", eventID: eventID, orderID: object["client_reference_id"] as? String, harmless: true)
            }
            return .payment(try sessionEvent(object, eventID: eventID, outcome: .succeeded, at: created))
        case "checkout.session.async_payment_failed", "checkout.session.expired":
            return .payment(try sessionEvent(object, eventID: eventID, outcome: .failed, at: created))
        case "charge.refund.updated", "refund.updated", "refund.failed":
            guard object["object"] as? String == "refund", let id = object["id"] as? String, id.hasPrefix("re_"), id.count <= 64,
                let ours = (object["metadata"] as? [String: Any])?["refund_id"] as? String, (1...64).contains(ours.count),
                let status = object["status"] as? String
            else { throw NotificationRejection("event_type_ignored", eventID: eventID, harmless: true) }
            let outcome: RefundNotice.Outcome
            switch status {
            case "succeeded": outcome = .succeeded
            case "failed", "canceled": outcome = .failed(code: (object["failure_reason"] as? String).map { "\(status):\($0)" } ?? status)
            default: outcome = .processing
            }
            return .refund(RefundNotice(provider: name, eventID: eventID, refundID: ours, providerRefundID: id, outcome: outcome))
        case "payment_intent.succeeded":
            let orderID = (object["metadata"] as? [String: Any])?["order_id"] as? String
            guard let orderID, (1...64).contains(orderID.count), let intent = object["id"] as? String,
                let amount = (object["amount_received"] as? NSNumber)?.int64Value, let currency = Self.currency(object["currency"])
            else { throw NotificationRejection("malformed_body", eventID: eventID) }
            return .payment(
                PaymentEvent(
                    provider: name, eventID: eventID, orderID: orderID, providerTransactionID: intent, outcome: .succeeded,
                    amount: Money(amount, currency), occurredAt: created))
        default:
            throw NotificationRejection("event_type_ignored", eventID: eventID, harmless: true)
        }
    }

    func sessionEvent(_ session: [String: Any], eventID: String, outcome: PaymentEvent.Outcome, at date: Date) throws(NotificationRejection)
        -> PaymentEvent
    {
        let orderID = session["client_reference_id"] as? String
        guard let orderID, (1...64).contains(orderID.count), let amount = (session["amount_total"] as? NSNumber)?.int64Value,
            let currency = Self.currency(session["currency"])
        else { throw NotificationRejection("malformed_body", eventID: eventID) }
        let intent = session["payment_intent"] as? String ?? (session["id"] as? String ?? eventID)
        return PaymentEvent(
            provider: name, eventID: eventID, orderID: orderID, providerTransactionID: intent, outcome: outcome,
            amount: Money(amount, currency),
            occurredAt: date)
    }

    static func currency(_ value: Any?) -> Currency? {
        (value as? String).flatMap { Currency(code: $0.uppercased()) }
    }

    public func acknowledgement(_ outcome: NotificationAcknowledgement) -> NotificationReply {
        switch outcome {
        case .accepted:
            return NotificationReply(status: 200, contentType: "application/json", body: #"{"received":true}"#)
        case .rejected(let status, let reason):
            return NotificationReply(status: status, contentType: "application/json", body: #"{"error":"\#(reason)"}"#)
        }
    }

    public func queryPayment(_ query: PaymentQuery) async throws -> PaymentQueryResult {
        guard let reference = query.providerReference, reference.hasPrefix("cs_"), reference.count <= 255 else { return .notFound }
        let (status, session) = try await call(
            "GET", "/v1/checkout/sessions/\(FormEncoding.escape(reference))", form: [], idempotencyKey: nil)
        if status == 404 { return .notFound }
        guard status == 200 else { throw ProviderCallError.httpStatus(status, code: nil) }
        guard session["client_reference_id"] as? String == query.orderID else { throw ProviderCallError.malformed("client_reference_id") }
        if session["payment_status"] as? String == "paid" {
            do {
                return .paid(try sessionEvent(session, eventID: "query:\(reference)", outcome: .succeeded, at: clock.now()))
            } catch {
                throw ProviderCallError.malformed("session")
            }
        }
        return session["status"] as? String == "expired" ? .closed : .pending
    }

    public func refund(_ request: RefundRequest) async throws -> RefundResult {
        let fields = [
            ("payment_intent", request.transactionID), ("amount", String(request.amount.amountMinor)),
            ("metadata[order_id]", request.orderID),
            ("metadata[refund_id]", request.refundID),
        ]
        let (status, object) = try await call("POST", "/v1/refunds", form: fields, idempotencyKey: "baohao-rf-\(request.refundID)")
        guard status == 200, let id = object["id"] as? String else {
            return .refused(code: (object["error"] as? [String: Any])?["code"] as? String ?? "http_\(status)")
        }
        switch object["status"] as? String {
        case "succeeded": return .succeeded(providerRefundID: id)
        case "pending", "requires_action": return .processing(providerRefundID: id)
        default: return .refused(code: object["status"] as? String ?? "unknown")
        }
    }

    /// `GET /v1/refunds/{id}` once Stripe named the refund; before that, the request again under its
    /// idempotency key, which answers the same refund.
    public func queryRefund(_ request: RefundRequest, providerRefundID: String?) async throws -> RefundQueryResult {
        guard let providerRefundID, providerRefundID.hasPrefix("re_"), providerRefundID.count <= 64,
            providerRefundID.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
        else { return try await queryByRepeating(request) }
        let (status, object) = try await call("GET", "/v1/refunds/\(providerRefundID)", form: [], idempotencyKey: nil)
        if status == 404 { return .notFound }
        guard status == 200 else {
            throw ProviderCallError.httpStatus(status, code: (object["error"] as? [String: Any])?["code"] as? String)
        }
        switch object["status"] as? String {
        case "succeeded": return .succeeded(providerRefundID: providerRefundID)
        case "pending", "requires_action": return .processing(providerRefundID: providerRefundID)
        case "failed", "canceled": return .failed(code: object["failure_reason"] as? String ?? object["status"] as! String)
        default: return .unknown(code: object["status"] as? String ?? "unknown")
        }
    }

    func call(_ method: String, _ path: String, form: [(String, String)], idempotencyKey: String?) async throws -> (Int, [String: Any]) {
        var headers = ["Authorization": "Bearer \(configuration.secretKey)", "Stripe-Version": "2024-06-20"]
        if method == "POST" { headers["Content-Type"] = "application/x-www-form-urlencoded" }
        if let idempotencyKey { headers["Idempotency-Key"] = idempotencyKey }
        let response = try await http.send(
            ProviderHTTPRequest(
                method: method, url: configuration.baseURL + path, headers: headers, body: Array(FormEncoding.encode(form).utf8)))
        if response.status >= 500 { throw ProviderCallError.httpStatus(response.status, code: nil) }
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        return (response.status, object)
    }
}
