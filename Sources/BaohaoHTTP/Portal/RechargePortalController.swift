import BaohaoDomain
import BaohaoPayments
import Foundation
import Hummingbird

/// The subscriber's recharge journey without signing in: number → confirmation with the amount
/// grid and payment methods → order (then the order page: pay, wait for 到账, receipt).
struct RechargePortalController<Context: RequestContext> {
    let channelPolicies: ChannelPolicyService
    let checkout: PaymentService
    let metrics: BaohaoMetrics
    let payments: PaymentProviderRegistry
    let recharges: RechargeService
    let clock: any WallClock
    /// 充值卡: a card's PIN redeemed from the same page.
    let vouchers: VoucherService
    let trustedProxies: Set<String>
    /// Budgets for the anonymous number lookup the confirmation page makes.
    let lookups: LookupLimits
    /// Orders per client address.
    let orderLimits: OrderCreationLimits
    /// Cookies are marked Secure when payers reach the server over https.
    let secureCookies: Bool

    func addRoutes(to router: Router<Context>) {
        router.get("/", use: home)
        router.get("/recharge", use: rechargeForm)
        router.post("/recharge", use: createOrder)
        router.post("/recharge/voucher", use: redeemVoucher)
    }

    /// The online channel's rules as the operator set them.
    func channelPolicy() async throws -> ChannelPolicy { try await self.channelPolicies.policy(for: .online) }

    @Sendable func home(_ request: Request, context: Context) async throws -> HTMLResponse {
        homePage(request.language, number: "", error: nil, status: .ok)
    }

    func homePage(_ language: Language, number: String, error: String?, status: HTTPResponse.Status) -> HTMLResponse {
        let content = PortalTemplates.home.render([
            "heading": language == .zh ? "手机号码充值" : "Top up a phone number",
            "intro": language == .zh
                ? "无需登录，可为任意号码充值。充值后余额即时到账，并可下载充值凭证。"
                : "No sign-in needed: top up any number. The balance arrives at once and you keep a receipt.",
            "numberLabel": language == .zh ? "手机号码" : "Phone number",
            "numberHint": language == .zh ? "11 位手机号，或带国家码如 +44 7700 900123" : "11-digit mainland number, or with country code",
            "next": language == .zh ? "下一步" : "Next", "number": number, "error": error ?? "", "hasError": error != nil,
        ])
        return HTMLResponse(
            html: PageLayout.render(title: language == .zh ? "保号 · 号码充值" : "Baohao · Top up", content: content, language: language),
            status: status)
    }

    @Sendable func rechargeForm(_ request: Request, context: Context) async throws -> Response {
        let language = request.language
        guard let raw = request.uri.queryParameters.get("msisdn"), !raw.isEmpty else {
            return Response(status: .seeOther, headers: [.location: "/"])
        }
        let number = String(raw)
        guard number.count <= 32 else {
            return try homePage(
                language, number: "", error: Messages.problemTitle("invalid-msisdn", language), status: .unprocessableContent
            )
            .response(from: request, context: context)
        }
        do { try lookups.check(request, context: context) } catch let problem as Problem {
            var page = try homePage(language, number: number, error: Messages.problemTitle(problem.code, language), status: problem.status)
                .response(from: request, context: context)
            page.headers[.retryAfter] = problem.headers[.retryAfter]
            return page
        }
        let (token, isNew) = CSRFToken.current(request)
        var page = try await formPage(request, number: number, token: token, selected: nil, method: nil, error: nil)
        if isNew { page.cookies.append(CSRFToken.cookie(token, secure: self.secureCookies)) }
        return try page.response(from: request, context: context)
    }

    /// The confirmation and the amount grid, or the home page explaining why the number cannot be topped up.
    func formPage(
        _ request: Request, number: String, token: String, selected: Int64?, method: String?, error: String?,
        status: HTTPResponse.Status = .ok, voucherError: Bool = false, custom: String? = nil
    ) async throws -> HTMLResponse {
        let language = request.language
        let confirmation: LineConfirmation
        let policy: ChannelPolicy
        let offers: [Money: PromotionOffer]
        do {
            (confirmation, policy, offers) = try await self.recharges.confirmWithOffers(msisdn: number, channel: .online)
        } catch DomainError.invalidNumber(_, let reason) {
            return homePage(language, number: number, error: reason.reason(language), status: .unprocessableContent)
        } catch let error as DomainError {
            return homePage(language, number: number, error: Messages.problemTitle(error.code, language), status: Problem(error).status)
        }
        let methods = self.payments.methods(allowedBy: policy)
        let chosenMethod = method ?? methods.first?.rawValue
        func label(_ zh: String, _ en: String) -> String { PageLayout.label(zh, en, language) }
        let feeText: String
        switch policy.fee {
        case .none: feeText = language == .zh ? "免手续费" : "No handling fee"
        case .fixed(let fee): feeText = language == .zh ? "手续费每笔 \(fee.formatted)" : "Handling fee \(fee.formatted) per recharge"
        case .proportional(let bp, let minimum, _):
            let percent = String(format: "%.2f%%", Double(bp) / 100)
            feeText = language == .zh ? "手续费 \(percent)，最低 \(minimum.formatted)" : "Handling fee \(percent), at least \(minimum.formatted)"
        }
        // Out of service, the payer is told what a recharge does, and the smallest face value that
        // restores the number is chosen: a bucket, never the exact debt, to an anonymous payer.
        let restoring = confirmation.restoringDenomination(in: policy.denominations)
        let stage = confirmation.status.displayName(language)
        var outOfServiceText: String
        if language == .zh {
            outOfServiceText = "只有充值金额足以结清欠费，号码才会恢复使用；金额不足时款项照常到账，但号码仍处于\(stage)状态。"
            if let restoring {
                outOfServiceText += "已为您选择可恢复使用的最小面额 \(restoring.faceValue(.zh))，标有“可恢复”的面额均可恢复。"
            } else if confirmation.restoringAmount != nil {
                outOfServiceText += "欠费超过单笔最大面额，请输入更大的金额或分次充值。"
            }
        } else {
            outOfServiceText =
                "A recharge puts it back in service only if it clears the arrears; a smaller one is credited, but the number stays \(stage.lowercased())."
            if let restoring {
                outOfServiceText +=
                    " The smallest amount that restores it, \(restoring.faceValue(.en)), is chosen; every amount marked “restores” does."
            } else if confirmation.restoringAmount != nil {
                outOfServiceText += " The arrears are more than the largest amount: type a larger amount or recharge more than once."
            }
        }
        let preselected = selected ?? restoring?.amountMinor ?? policy.denominations.first?.amountMinor
        let restoringAmount = confirmation.restoringAmount
        let amounts: [[String: Any]] = policy.denominations.map { money in
            [
                "value": String(money.amountMinor), "label": money.faceValue(language), "id": "amount-\(money.amountMinor)",
                "checked": custom == nil && money.amountMinor == preselected,
                "restores": restoringAmount.map { money.amountMinor >= $0.amountMinor } ?? false,
                "restoresLabel": language == .zh ? "可恢复" : "restores",
                "bonus": offers[money].map { PromotionText.badge($0, language) } ?? "",
            ]
        }
        var values: [String: Any] = [
            "outOfService": confirmation.status != .active,
            "outOfServiceHeading": language == .zh ? "该号码目前\(stage)" : "This number is \(stage.lowercased())",
            "outOfServiceText": outOfServiceText,
            "custom": policy.freeAmountStepMinor == 100, "customChecked": custom != nil,
            "customLabel": language == .zh ? "其他金额" : "Other amount", "customValue": custom ?? "",
            "customAria": language == .zh ? "其他金额（元，整数）" : "Other amount (whole yuan)", "customUnit": language == .zh ? "元" : "yuan",
            "amounts": amounts,
        ]
        values.merge([
            "heading": language == .zh ? "确认号码并选择金额" : "Confirm the number and choose an amount",
            "rows": [
                ["label": label("充值号码", "Number"), "value": confirmation.msisdnMasked],
                ["label": label("运营商", "Operator"), "value": confirmation.mobileOperator.displayName(language)],
                [
                    "label": label("归属地", "Issued in"), "id": "home-province",
                    "value": Province.name(confirmation.homeProvince, language),
                ],
                ["label": label("套餐", "Plan"), "value": confirmation.planName(language)],
                ["label": label("号码状态", "Status"), "value": confirmation.status.displayName(language)],
            ],
            "checkNote": language == .zh
                ? "请核对号码，充值成功后不能退回到其他号码。" : "Check the number: a credited recharge cannot be moved to another number.",
            "amountLegend": language == .zh ? "充值金额" : "Amount",
            "minimumNote": language == .zh
                ? "最低充值 \(policy.minimumAmount.faceValue(.zh))，最高 \(policy.maximumAmount.faceValue(.zh))；\(feeText)。"
                : "Minimum \(policy.minimumAmount.faceValue(.en)), maximum \(policy.maximumAmount.faceValue(.en)); \(feeText.prefix(1).lowercased() + feeText.dropFirst()).",
            "promotions": PromotionText.lines(offers.values, now: clock.now(), language), "hasPromotions": !offers.isEmpty,
            "promotionsHeading": language == .zh ? "优惠活动" : "Promotions",
            "promotionsNote": language == .zh
                ? "赠送金额以支付成功时活动仍有效为准，到账后显示在电子凭证上。"
                : "The bonus is paid if the promotion still holds when the payment is made; the receipt shows it.",
            "methodLegend": language == .zh ? "支付方式" : "Payment method",
            "methods": methods.map { m in
                [
                    "value": m.rawValue, "label": m.displayName(language), "id": "method-\(m.rawValue)",
                    "checked": m.rawValue == chosenMethod,
                ]
                    as [String: Any]
            },
            "msisdn": number, "csrf": token, "key": Self.formKey(),
            "submit": language == .zh ? "确认充值" : "Confirm recharge",
            "error": voucherError ? "" : error ?? "", "hasError": error != nil && !voucherError,
            "voucherError": voucherError ? error ?? "" : "", "hasVoucherError": voucherError,
            "voucherHeading": language == .zh ? "使用充值卡" : "Use a recharge card",
            "voucherNote": language == .zh
                ? "输入卡背面刮开的密码，面值立即充入该号码。" : "Type the PIN under the card's scratch panel; its face value is credited at once.",
            "pinLabel": language == .zh ? "充值卡密码" : "Card PIN", "voucherSubmit": language == .zh ? "用充值卡充值" : "Redeem the card",
        ]) { old, _ in old }
        let content = PortalTemplates.recharge.render(values)
        let query = "msisdn=\(number.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&"
        return HTMLResponse(
            html: PageLayout.render(
                title: language == .zh ? "保号 · 确认充值" : "Baohao · Confirm", content: content, language: language, switchQuery: query),
            status: status)
    }

    /// A fresh idempotency key per rendered form: submitting the same form twice makes one order.
    static func formKey() -> String {
        var generator = SystemRandomNumberGenerator()
        return "web-" + Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// A form posted without its CSRF token or from another origin: nothing is written.
    static func expiredPage(_ request: Request, context: Context) throws -> Response {
        let language = request.language
        return try HTMLResponse(
            html: MessagePage.render(
                title: language == .zh ? "页面已失效" : "This page has expired",
                message: language == .zh ? "为了您的安全，请返回首页重新填写。" : "For your safety, go back to the start and fill the form again.",
                language: language), status: .forbidden
        ).response(from: request, context: context)
    }

    /// 充值卡: the PIN typed on the confirmation page, redeemed onto the number; on to the order page.
    @Sendable func redeemVoucher(_ request: Request, context: Context) async throws -> Response {
        let language = request.language
        let bytes = try await request.bodyBytes(limit: 4 * 1024)
        let form = FormDecoding.decode(String(decoding: bytes, as: UTF8.self))
        guard CSRFToken.isValid(request, form: form) else { return try Self.expiredPage(request, context: context) }
        let number = String((form["msisdn"] ?? "").prefix(32))
        let address = ClientAddress.key(request, context: context, trustedProxies: trustedProxies)
        do {
            let redeemed = try await vouchers.redeem(msisdn: number, pin: String((form["pin"] ?? "").prefix(64)), address: address)
            self.metrics.credited(channel: Channel.voucher.rawValue, amountMinor: redeemed.order.amount.amountMinor)
            return Response(status: .seeOther, headers: [.location: "/orders/\(redeemed.order.id)"])
        } catch let error as DomainError {
            let status = Problem(error).status
            return try await formPage(
                request, number: number, token: form[CSRFToken.fieldName] ?? "", selected: nil, method: nil,
                error: Messages.problemTitle(error.code, language), status: status == .tooManyRequests ? status : .unprocessableContent,
                voucherError: true
            ).response(from: request, context: context)
        }
    }

    @Sendable func createOrder(_ request: Request, context: Context) async throws -> Response {
        let language = request.language
        let bytes = try await request.bodyBytes(limit: 4 * 1024)
        let form = FormDecoding.decode(String(decoding: bytes, as: UTF8.self))
        guard CSRFToken.isValid(request, form: form) else { return try Self.expiredPage(request, context: context) }
        let number = String((form["msisdn"] ?? "").prefix(32))
        let token = form[CSRFToken.fieldName] ?? ""
        let currency = try await channelPolicy().currency
        // 其他金额: whole yuan typed beside the grid.
        let custom = form["amount"] == "other" ? String((form["custom_amount"] ?? "").trimmingCharacters(in: .whitespaces).prefix(16)) : nil
        let amountMinor =
            custom.map { text in
                text.count <= 7 ? Int64(text).map { $0 * 100 } : nil
            } ?? form["amount"].flatMap { Int64($0) }
        let methodName = form["method"] ?? ""
        func again(_ message: String, status: HTTPResponse.Status = .unprocessableContent, retryAfter: String? = nil) async throws
            -> Response
        {
            var page = try await formPage(
                request, number: number, token: token, selected: amountMinor, method: methodName, error: message, status: status,
                custom: custom
            ).response(from: request, context: context)
            if let retryAfter { page.headers[.retryAfter] = retryAfter }
            return page
        }
        guard let amountMinor, (1...Int64(100_000_000)).contains(amountMinor) else {
            if custom != nil {
                return try await again(language == .zh ? "请输入整数金额（元），如 35。" : "Type a whole number of yuan, such as 35.")
            }
            return try await again(language == .zh ? "请选择充值金额。" : "Choose an amount.")
        }
        guard let method = PaymentMethod(rawValue: methodName), let provider = self.payments.provider(for: method) else {
            return try await again(Messages.problemTitle("payment-method-unavailable", language))
        }
        guard let key = form["key"], key.hasPrefix("web-"), key.count <= 64 else {
            return try await again(language == .zh ? "请重新提交。" : "Please submit again.")
        }
        let order: RechargeOrder
        do {
            try orderLimits.check(request, context: context)
            let (made, created) = try await self.recharges.createOrder(
                RechargeRequest(msisdn: number, amount: Money(amountMinor, currency), channel: .online, paymentMethod: method),
                idempotencyKey: key)
            if created { self.metrics.orderCreated(channel: Channel.online.rawValue) }
            order = made
            _ = try await self.checkout.start(
                order, at: provider, payer: .from(request, context: context, trustedProxies: trustedProxies))
        } catch DomainError.validation(let failure) where failure.field.hasPrefix("amount") {
            let policy = try await channelPolicy()
            return try await again(
                language == .zh
                    ? "该金额不可用：请在 \(policy.minimumAmount.formatted) 至 \(policy.maximumAmount.formatted) 之间选择面额。"
                    : "That amount is not offered: choose one between \(policy.minimumAmount.formatted) and \(policy.maximumAmount.formatted)."
            )
        } catch let error as DomainError {
            let problem = Problem(error)
            return try await again(
                Messages.problemTitle(error.code, language),
                status: problem.status == .tooManyRequests ? .tooManyRequests : .unprocessableContent,
                retryAfter: problem.headers[.retryAfter])
        } catch let problem as Problem {
            return try await again(
                Messages.problemTitle(problem.code, language),
                status: problem.status == .tooManyRequests ? .tooManyRequests : .unprocessableContent,
                retryAfter: problem.headers[.retryAfter])
        }
        return Response(status: .seeOther, headers: [.location: "/orders/\(order.id)"])
    }
}
