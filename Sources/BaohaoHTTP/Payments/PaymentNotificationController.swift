import BaohaoDomain
import BaohaoPayments
import Foundation
import Hummingbird
import Tracing

/// `POST /v1/payments/{provider}/notify`: every provider's asynchronous notification.
///
/// In order: the provider verifies the signature over the raw bytes and its timestamp window;
/// the domain then finds the order, compares amount and currency exactly, and applies the payment
/// exactly once. Every notification, refused or not, is recorded for the operator; signatures and
/// secrets are never logged or stored.
struct PaymentNotificationController<Context: RequestContext> {
    let clock: any WallClock
    let metrics: BaohaoMetrics
    let payments: PaymentProviderRegistry
    let recharges: RechargeService
    /// Refund notifications (WeChat Pay's `REFUND.*`, Stripe's refund events) settle refunds.
    let refunds: RefundService
    /// Told after every applied notification, so waiting payers hear of it at once.
    let watch: OrderWatch
    /// Largest notification body read (Alipay's form posts are the largest, a few KB).
    static var maximumBodyBytes: Int { 64 * 1024 }

    func addRoutes(to router: Router<Context>) {
        router.post("/v1/payments/:provider/notify", use: notify)
    }

    @Sendable func notify(_ request: Request, context: Context) async throws -> Response {
        let name = try context.parameters.require("provider")
        guard let provider = self.payments.provider(named: name) else { throw Problem(.notFound, "unknown-provider") }
        let arrived = ContinuousClock.now
        let body = try await request.bodyBytes(limit: Self.maximumBodyBytes)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let now = self.clock.now()

        let notice: ProviderNotice
        do throws(NotificationRejection) {
            let span = startSpan("payment.verify")
            span.attributes["baohao.provider"] = provider.name
            defer { span.end() }
            do {
                notice = try await provider.verifyNotice(IncomingNotification(body: body, headers: headers), now: now)
            } catch {
                span.attributes["baohao.refusal"] = error.reason
                if !error.harmless { span.setStatus(SpanStatus(code: .error)) }
                throw error
            }
        } catch {
            if error.harmless {
                try await self.recharges.recordUnappliedNotification(
                    provider: provider.name, eventID: error.eventID, orderID: error.orderID, outcome: .ignored, reason: error.reason)
                self.metrics.notification(provider: provider.name, outcome: "ignored")
                return Self.reply(provider.acknowledgement(.accepted))
            }
            try await self.recharges.recordUnappliedNotification(
                provider: provider.name, eventID: error.eventID, orderID: error.orderID, reason: error.reason)
            self.metrics.notification(provider: provider.name, outcome: "rejected")
            self.metrics.refused(provider: provider.name, reason: error.reason)
            context.logger.warning(
                "payment notification rejected", metadata: ["provider": "\(provider.name)", "reason": "\(error.reason)"])
            let status = error.isAuthenticationFailure ? 401 : 400
            return Self.reply(provider.acknowledgement(.rejected(status: status, reason: error.reason)))
        }

        let event: PaymentEvent
        switch notice {
        case .payment(let payment): event = payment
        case .refund(let refund): return try await refundNotice(refund, provider: provider)
        }
        let application = try await withSpan("payment.apply") { span in
            span.attributes["baohao.provider"] = provider.name
            span.attributes["baohao.order_id"] = event.orderID
            let application = try await self.recharges.applyPayment(event)
            span.attributes["baohao.outcome"] = application.traceOutcome
            return application
        }
        await watch.nudge()
        let acknowledgement: NotificationAcknowledgement
        let outcome: String
        switch application {
        case .credited(let order, _):
            outcome = "applied"
            acknowledgement = .accepted
            self.metrics.credited(channel: order.channel.rawValue, amountMinor: order.amount.amountMinor)
            self.metrics.notificationToCredit(provider: provider.name, ContinuousClock.now - arrived)
        case .markedFailed:
            outcome = "applied"
            acknowledgement = .accepted
        case .duplicate:
            outcome = "duplicate"
            acknowledgement = .accepted
        case .ignored:
            outcome = "ignored"
            acknowledgement = .accepted
        case .flagged(_, let reason):
            outcome = "flagged"
            acknowledgement = .accepted
            context.logger.warning(
                "payment needs refund", metadata: ["provider": "\(provider.name)", "order_id": "\(event.orderID)", "reason": "\(reason)"])
        case .rejected(let reason):
            outcome = "rejected"
            acknowledgement = .rejected(status: reason == "unknown_order" ? 404 : 422, reason: reason)
            self.metrics.refused(provider: provider.name, reason: reason)
            context.logger.warning(
                "payment notification rejected",
                metadata: ["provider": "\(provider.name)", "order_id": "\(event.orderID)", "reason": "\(reason)"])
        }
        self.metrics.notification(provider: provider.name, outcome: outcome)
        return Self.reply(provider.acknowledgement(acknowledgement))
    }

    /// A verified refund notification: the refund settles (or is already settled); kept for the
    /// operator beside payment notifications. One about no refund of ours is acknowledged and
    /// recorded as ignored, so the provider stops sending it.
    func refundNotice(_ notice: RefundNotice, provider: any PaymentProvider) async throws -> Response {
        let refund = try await refunds.applyNotice(notice)
        await watch.nudge()
        let outcome: NotificationOutcome = refund == nil ? .ignored : .applied
        try await recharges.recordUnappliedNotification(
            provider: provider.name, eventID: notice.eventID, orderID: refund?.orderID, outcome: outcome,
            reason: refund.map { "refund_\($0.status.rawValue)" } ?? "unknown_refund")
        metrics.notification(provider: provider.name, outcome: refund == nil ? "ignored" : "refund")
        return Self.reply(provider.acknowledgement(.accepted))
    }

    static func reply(_ reply: NotificationReply) -> Response {
        var headers = HTTPFields()
        if let type = reply.contentType { headers[.contentType] = type }
        return Response(status: .init(code: reply.status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: reply.body)))
    }
}

extension PaymentApplication {
    /// What a trace records of the application; no number, no amount.
    fileprivate var traceOutcome: String {
        switch self {
        case .credited: "credited"
        case .duplicate: "duplicate"
        case .markedFailed: "marked_failed"
        case .ignored: "ignored"
        case .flagged: "flagged"
        case .rejected(let reason): "rejected: \(reason)"
        }
    }
}
