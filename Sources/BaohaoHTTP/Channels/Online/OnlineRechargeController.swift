import BaohaoDomain
import BaohaoPayments
import Foundation
import Hummingbird

/// 线上充值: the online channel's public API. No login: anyone may top up any number.
struct OnlineRechargeController<Context: RequestContext> {
    let channelPolicies: ChannelPolicyService
    let checkout: PaymentService
    let metrics: BaohaoMetrics
    let payments: PaymentProviderRegistry
    let recharges: RechargeService
    let refunds: RefundService
    let clock: any WallClock
    /// Budgets for the anonymous number lookup.
    let lookups: LookupLimits
    /// Waiting payers' live updates, one reader for all.
    let watch: OrderWatch
    /// Orders per client address.
    let orderLimits: OrderCreationLimits

    func addRoutes(to router: Router<Context>) {
        router.get("/v1/lines/:msisdn/confirm", use: confirm)
        router.get("/v1/channels/online", use: channelRules)
        router.post("/v1/recharges", use: create)
        router.get("/v1/recharges/:id", use: show)
        router.post("/v1/recharges/:id/cancel", use: cancel)
        router.get("/v1/recharges/:id/events", use: events)
    }

    struct Confirmation: Encodable, Sendable {
        let msisdnMasked: String
        let `operator`: String
        let operatorName: String
        let plan: String
        let status: String
        let statusName: String
        /// 归属地: the province the number was issued in, by name; absent when not known.
        let homeProvince: String?
        /// The quote before paying: each denomination's promotion bonus, for this number now.
        let offers: [Offer]

        enum CodingKeys: String, CodingKey {
            case plan, status, offers
            case msisdnMasked = "msisdn_masked"
            case `operator` = "operator"
            case operatorName = "operator_name"
            case statusName = "status_name"
            case homeProvince = "home_province"
        }
    }

    /// A promotion's bonus on one denomination.
    struct Offer: Encodable, Sendable {
        let faceValue: Money
        let bonus: Money
        let promotionCode: String
        let label: String
        let endsAt: String
        /// Bonuses left in the budget, when it counts them (剩余名额); otherwise null.
        let remaining: Int?
        let paymentMethods: [String]?

        enum CodingKeys: String, CodingKey {
            case bonus, label, remaining
            case faceValue = "face_value", promotionCode = "promotion_code", endsAt = "ends_at", paymentMethods = "payment_methods"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(faceValue, forKey: .faceValue)
            try c.encode(bonus, forKey: .bonus)
            try c.encode(promotionCode, forKey: .promotionCode)
            try c.encode(label, forKey: .label)
            try c.encode(endsAt, forKey: .endsAt)
            try c.encode(remaining, forKey: .remaining)
            try c.encode(paymentMethods, forKey: .paymentMethods)
        }
    }

    @Sendable func confirm(_ request: Request, context: Context) async throws -> JSONResponse<Confirmation> {
        try lookups.check(request, context: context)
        let raw = try context.parameters.require("msisdn")
        let input = raw.removingPercentEncoding ?? raw
        let language = request.language
        let (confirmation, policy, offers) = try await self.recharges.confirmWithOffers(msisdn: input, channel: .online)
        return JSONResponse(
            Confirmation(
                msisdnMasked: confirmation.msisdnMasked, operator: confirmation.mobileOperator.rawValue,
                operatorName: confirmation.mobileOperator.displayName(language), plan: confirmation.planName(language),
                status: confirmation.status.rawValue, statusName: confirmation.status.displayName(language),
                homeProvince: confirmation.homeProvince?.displayName(language),
                offers: policy.denominations.compactMap { face in
                    offers[face].map { offer in
                        Offer(
                            faceValue: face, bonus: offer.bonus, promotionCode: offer.promotion.code,
                            label: PromotionLabel.text(offer.promotion, language, faceValue: face),
                            endsAt: PromotionView.beijing(offer.promotion.effectiveEnd),
                            remaining: offer.promotion.budget.remainingCount(after: offer.promotion.used),
                            paymentMethods: offer.promotion.paymentMethods?.map(\.rawValue))
                    }
                }))
    }

    struct ChannelRules: Encodable, Sendable {
        let channel: String
        let denominations: [Money]
        let minimum: Money
        let maximum: Money
        let stepMinor: Int64?
        let fee: String
        let paymentMethods: [String]

        enum CodingKeys: String, CodingKey {
            case channel, denominations, minimum, maximum, fee
            case stepMinor = "step_minor"
            case paymentMethods = "payment_methods"
        }
    }

    @Sendable func channelRules(_ request: Request, context: Context) async throws -> JSONResponse<ChannelRules> {
        let policy = try await self.channelPolicies.policy(for: .online)
        let fee: String
        switch policy.fee {
        case .none: fee = "none"
        case .fixed(let money): fee = "fixed \(money.amountMinor)"
        case .proportional(let bp, let minimum, let rounding):
            fee = "\(bp) bp, min \(minimum.amountMinor)" + (rounding == .up ? "" : ", \(rounding.rawValue)")
        }
        return JSONResponse(
            ChannelRules(
                channel: policy.channel.rawValue, denominations: policy.denominations, minimum: policy.minimumAmount,
                maximum: policy.maximumAmount, stepMinor: policy.freeAmountStepMinor, fee: fee,
                paymentMethods: self.payments.methods(allowedBy: policy).map(\.rawValue)))
    }

    struct CreateBody: Decodable {
        let msisdn: String
        let amount: Money
        let channel: String
        let paymentMethod: String

        enum CodingKeys: String, CodingKey {
            case msisdn, amount, channel
            case paymentMethod = "payment_method"
        }
    }

    @Sendable func create(_ request: Request, context: Context) async throws -> JSONResponse<OrderRepresentation> {
        let key = try request.idempotencyKey
        try orderLimits.check(request, context: context)
        let body = try await request.decodeJSON(CreateBody.self)
        guard let channel = Channel(rawValue: body.channel), channel == .online else {
            throw Problem(.unprocessableContent, "validation-error", detail: "only online is accepted here", field: "channel")
        }
        guard let method = PaymentMethod(rawValue: body.paymentMethod), let provider = self.payments.provider(for: method) else {
            throw DomainError.paymentMethodUnavailable(body.paymentMethod)
        }
        let (order, created) = try await self.recharges.createOrder(
            RechargeRequest(msisdn: body.msisdn, amount: body.amount, channel: channel, paymentMethod: method), idempotencyKey: key)
        if created { self.metrics.orderCreated(channel: channel.rawValue) }
        let payer = PayerDevice.from(request, context: context, trustedProxies: lookups.trustedProxies)
        let payment = OrderRepresentation.Payment(try await self.checkout.start(order, at: provider, payer: payer))
        return JSONResponse(OrderRepresentation(order, language: request.language, payment: payment), status: created ? .created : .ok)
    }

    @Sendable func show(_ request: Request, context: Context) async throws -> JSONResponse<OrderRepresentation> {
        let order = try await self.recharges.order(id: try Self.orderID(context))
        var payment: OrderRepresentation.Payment? = nil
        if order.status == .pendingPayment, let provider = self.payments.provider(for: order.paymentMethod) {
            payment = OrderRepresentation.Payment(try await self.checkout.start(order, at: provider))
        }
        var representation = OrderRepresentation(order, language: request.language, payment: payment)
        representation.refunds = try await refunds.refunds(orderID: order.id).map { .init($0, language: request.language) }
        if let number = order.receiptNumber { representation.bonus = try await self.recharges.receipt(number: number).bonus }
        return JSONResponse(representation)
    }

    @Sendable func cancel(_ request: Request, context: Context) async throws -> JSONResponse<OrderRepresentation> {
        let order = try await self.recharges.cancel(orderID: try Self.orderID(context))
        return JSONResponse(OrderRepresentation(order, language: request.language))
    }

    /// Server-Sent Events: one `order` event now and at every status change, a keep-alive comment
    /// while nothing changes; the stream ends when the order reaches a state the payer stops
    /// waiting at, after 15 minutes, or when the client goes. Streams are capped per order, per
    /// client and in total (429 with `Retry-After`); none reads the database on its own.
    @Sendable func events(_ request: Request, context: Context) async throws -> Response {
        let id = try Self.orderID(context)
        let language = request.language
        let recharges = self.recharges
        let order = try await recharges.order(id: id)
        let client = ClientAddress.key(request, context: context, trustedProxies: lookups.trustedProxies)
        let stream: AsyncStream<OrderWatch.Event>
        do {
            stream = try await watch.watch(order, client: client)
        } catch {
            let reason =
                switch error {
                case .perOrder: "this order already has as many live updates open as it may"
                case .perClient: "too many live updates open from this client"
                case .total: "the server has as many live updates open as it may"
                }
            throw Problem(.tooManyRequests, "too-many-streams", detail: "\(reason); try again later", headers: [.retryAfter: "10"])
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                for await event in stream {
                    switch event {
                    case .status:
                        let order = try await recharges.order(id: id)
                        let data = try encoder.encode(OrderRepresentation(order, language: language))
                        try await writer.write(ByteBuffer(string: "event: order\ndata: \(String(decoding: data, as: UTF8.self))\n\n"))
                    case .heartbeat:
                        try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    }
                }
                try await writer.finish(nil)
            })
    }

    static func orderID(_ context: Context) throws -> String {
        let id = try context.parameters.require("id")
        guard id.count <= 64 else { throw DomainError.orderNotFound }
        return id
    }
}
