import BaohaoDomain
import Foundation
import Hummingbird
import Mustache

/// The staff console under `/staff`: sign-in by username and password, the dashboard, line lookup
/// (ledger, orders, stage history), the hotline's calls and, for administrators, the staff list.
struct StaffConsoleController<Context: BrowserSessionContext> {
    let clock: any WallClock
    /// Cookies are marked Secure when payers reach the server over https.
    let secureCookies: Bool
    let staff: StaffService
    /// The hotline's call records.
    let ivr: IVRService
    /// Partners' floats, volumes and callbacks.
    let partners: PartnerService
    /// Refunds, maker-checker.
    let refunds: RefundService
    /// 优惠活动: the dashboard shows each promotion's spend against its budget.
    let promotions: PromotionService
    /// 充值卡: batches, lookups, frozen ranges, redemptions.
    let vouchers: VoucherService
    /// Reverse proxies whose `X-Forwarded-For` names the client (sign-in limits are per client).
    let trustedProxies: Set<String>

    static var sessionCookie: String { BrowserSessionAudience.staffCookie }

    func addRoutes(to router: Router<Context>) {
        router.group().add(middleware: BrowserSessionMiddleware(.staff(self.staff), required: false))
            .get("/staff/signin", use: signInForm)
        router.post("/staff/signin", use: signIn)
        router.post("/staff/signout", use: signOut)
        router.get("/staff/signin/code", use: secondFactorForm)
        router.post("/staff/signin/code", use: secondFactor)
        let console = router.group().add(middleware: BrowserSessionMiddleware(.staff(self.staff), required: true))
        console.group().add(middleware: StaffRolePages(allowed: [.admin, .operator]))
            .get("/staff", use: dashboard)
            .get("/staff/lines", use: line)
            .get("/staff/ivr", use: ivrCalls)
            .get("/staff/partners", use: partnerList)
            .get("/staff/refunds", use: refundList)
            .post("/staff/refunds", use: requestRefund)
            .post("/staff/refunds/:id/decision", use: decideRefund)
            .post("/staff/refunds/:id/resolution", use: resolveRefund)
            .get("/staff/vouchers", use: voucherList)
            .post("/staff/vouchers/range", use: changeVoucherRange)
        console.group().add(middleware: StaffRolePages(allowed: [.admin]))
            .get("/staff/accounts", use: accounts)
        console.get("/staff/2fa", use: twoFactorPage)
        console.post("/staff/2fa", use: confirmTwoFactor)
    }

    static func signInRedirect() -> Response { Response(status: .seeOther, headers: [.location: "/staff/signin"]) }

    func page(
        _ request: Request, context: Context, title: String, template: MustacheTemplate, values: [String: Any], viewer: StaffAccount?,
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let language = request.language
        var values = values
        if let viewer {
            values["isAdmin"] = viewer.role == .admin
            values["who"] = "\(viewer.displayName)（\(viewer.role.displayName(language))）"
            values["menuDashboard"] = language == .zh ? "概览" : "Dashboard"
            values["menuLookup"] = language == .zh ? "查询号码" : "Line lookup"
            values["menuStaff"] = language == .zh ? "工作人员" : "Staff"
            values["menuShifts"] = language == .zh ? "班次报表" : "Shift reports"
            values["menuIVR"] = language == .zh ? "热线通话" : "Hotline calls"
            values["menuPartners"] = language == .zh ? "合作方" : "Partners"
            values["menuRefunds"] = language == .zh ? "退款" : "Refunds"
            values["menuVouchers"] = language == .zh ? "充值卡" : "Cards"
            values["signOut"] = language == .zh ? "退出" : "Sign out"
            values["menuTwoFactor"] = language == .zh ? "两步验证" : "Two-step sign-in"
        }
        return try CSRFToken.page(
            request, title: title, template: template, values: values, status: status, secure: self.secureCookies, staff: true
        )
        .response(from: request, context: context)
    }

    // MARK: Sign in and out

    func signInPage(_ request: Request, context: Context, username: String, error: String?, status: HTTPResponse.Status) throws -> Response
    {
        let language = request.language
        return try page(
            request, context: context, title: language == .zh ? "保号 · 工作人员登录" : "Baohao · Staff sign-in", template: StaffTemplates.signIn,
            values: [
                "heading": language == .zh ? "工作人员登录" : "Staff sign-in", "username": username,
                "usernameLabel": language == .zh ? "用户名" : "Username", "passwordLabel": language == .zh ? "密码" : "Password",
                "submit": language == .zh ? "登录" : "Sign in", "error": error ?? "", "hasError": error != nil,
            ], viewer: nil, status: status)
    }

    @Sendable func signInForm(_ request: Request, context: Context) async throws -> Response {
        if let staff = context.staff {
            return Response(status: .seeOther, headers: [.location: staff.role == .clerk ? "/staff/counter" : "/staff"])
        }
        return try signInPage(request, context: context, username: "", error: nil, status: .ok)
    }

    @Sendable func signIn(_ request: Request, context: Context) async throws -> Response {
        let language = request.language
        let form = FormDecoding.decode(String(decoding: try await request.bodyBytes(limit: 2 * 1024), as: UTF8.self))
        guard CSRFToken.isValid(request, form: form) else { return try SignInController<Context>.expiredPage(request, context: context) }
        let username = String((form["username"] ?? "").prefix(32))
        let password = String((form["password"] ?? "").prefix(128))
        let client = ClientAddress.key(request, context: context, trustedProxies: trustedProxies)
        switch try await self.staff.signIn(username: username, password: password, client: client) {
        case .signedIn(let token, let account, _):
            var response = Response(status: .seeOther, headers: [.location: account.role == .clerk ? "/staff/counter" : "/staff"])
            response.setCookie(
                Cookie(
                    name: Self.sessionCookie, value: token, maxAge: Int(StaffService.sessionLifetime), path: "/staff",
                    secure: self.secureCookies,
                    httpOnly: true, sameSite: .strict))
            return response
        case .refused:
            return try signInPage(
                request, context: context, username: username,
                error: language == .zh ? "用户名或密码不正确。" : "Wrong username or password.", status: .unauthorized)
        case .secondFactorNeeded(let pending):
            var response = Response(status: .seeOther, headers: [.location: "/staff/signin/code"])
            response.setCookie(
                Cookie(
                    name: Self.secondFactorCookie, value: pending ?? "", maxAge: Int(StaffService.secondFactorLifetime),
                    path: "/staff/signin", secure: self.secureCookies, httpOnly: true, sameSite: .strict))
            return response
        case .enrolmentNeeded:
            return try signInPage(request, context: context, username: username, error: nil, status: .forbidden)
        case .locked(let until):
            let wait = tooManyAttempts(until: until, language)
            var response = try signInPage(request, context: context, username: username, error: wait.message, status: .tooManyRequests)
            response.headers[.retryAfter] = wait.retryAfter
            return response
        }
    }

    /// What a client told to wait reads (in whole minutes), and its `Retry-After` (seconds).
    func tooManyAttempts(until: Date, _ language: Language) -> (message: String, retryAfter: String) {
        let seconds = max(1, Int(until.timeIntervalSince(clock.now()).rounded(.up)))
        let minutes = max(1, (seconds + 59) / 60)
        let message =
            language == .zh
            ? "尝试次数过多，请 \(minutes) 分钟后再试。" : "Too many attempts; try again in \(minutes) minute\(minutes == 1 ? "" : "s")."
        return (message, String(seconds))
    }

    @Sendable func signOut(_ request: Request, context: Context) async throws -> Response {
        let form = FormDecoding.decode(String(decoding: try await request.bodyBytes(limit: 1024), as: UTF8.self))
        guard CSRFToken.isValid(request, form: form) else { return try SignInController<Context>.expiredPage(request, context: context) }
        if let token = request.cookies[Self.sessionCookie]?.value { try await self.staff.signOut(token: token) }
        var response = Self.signInRedirect()
        response.setCookie(
            Cookie(
                name: Self.sessionCookie, value: "", maxAge: 0, path: "/staff", secure: self.secureCookies, httpOnly: true,
                sameSite: .strict)
        )
        return response
    }

    // MARK: Dashboard

    static func channelName(_ raw: String, _ language: Language) -> String {
        switch (Channel(rawValue: raw), language) {
        case (.online, .zh): return "线上"
        case (.counter, .zh): return "营业厅"
        case (.ivr, .zh): return "语音自助"
        case (.partner, .zh): return "合作方"
        case (.voucher, .zh): return "充值卡"
        case (.online, .en): return "Online"
        case (.counter, .en): return "Counter"
        case (.ivr, .en): return "Hotline"
        case (.partner, .en): return "Partner"
        case (.voucher, .en): return "Recharge card"
        case (nil, _): return raw
        }
    }

    static func methodName(_ raw: String, _ language: Language) -> String {
        PaymentMethod(rawValue: raw)?.displayName(language) ?? raw
    }

    @Sendable func dashboard(_ request: Request, context: Context) async throws -> Response {
        let viewer = try context.signedInStaff
        let language = request.language
        let board = try await self.staff.dashboard(for: viewer)
        let zh = language == .zh
        var tallies: [[String: Any]] = board.tallies.map {
            [
                "channel": Self.channelName($0.channel, language), "method": Self.methodName($0.paymentMethod, language), "count": $0.count,
                "amount": $0.amount.formatted, "fees": $0.fees.formatted,
            ]
        }
        for (currency, rows) in Dictionary(grouping: board.tallies, by: \.amount.currency).sorted(by: { $0.key.code < $1.key.code }) {
            let amount = Money(rows.reduce(0) { $0 + $1.amount.amountMinor }, currency)
            let fees = Money(rows.reduce(0) { $0 + $1.fees.amountMinor }, currency)
            tallies.append([
                "channel": zh ? "合计" : "Total", "method": currency.code, "count": rows.reduce(0) { $0 + $1.count },
                "amount": amount.formatted, "fees": fees.formatted,
            ])
        }
        let now = clock.now()
        let promotions = try await self.promotions.promotions(limit: 50).filter { PromotionView.status($0, at: now) != "ended" }
        let values: [String: Any] = [
            "chartsHeading": zh ? "趋势" : "Trends", "charts": DashboardChartViews.html(board.charts, language: language),
            "promotionsHeading": zh ? "优惠活动：已用 / 预算" : "Promotions: spent / budget",
            "noPromotions": promotions.isEmpty,
            "noPromotionsText": zh ? "没有进行中或待开始的优惠活动。" : "No promotion is running or scheduled.",
            "promotionLabel": zh ? "活动" : "Promotion", "promotionStatusLabel": zh ? "状态" : "Status",
            "spentLabel": zh ? "已赠送" : "Bonuses paid", "budgetLabel": zh ? "预算" : "Budget",
            "endsLabel": zh ? "结束（北京时间）" : "Ends (Beijing time)",
            "promotions": promotions.map { p -> [String: Any] in
                let status = PromotionView.status(p, at: now)
                let budget: String
                let spent: Double
                switch p.budget {
                case .count(let count):
                    budget = zh ? "\(count.grouped) 笔" : "\(count.grouped) bonuses"
                    spent = Double(p.used.count) / Double(max(count, 1))
                case .amount(let amount):
                    budget = amount.formatted
                    spent = Double(p.used.amount.amountMinor) / Double(max(amount.amountMinor, 1))
                }
                return [
                    "code": p.code, "name": p.name(language), "label": PromotionLabel.text(p, language),
                    "status": status == "running" ? (zh ? "进行中" : "Running") : (zh ? "待开始" : "Scheduled"),
                    "spent": zh
                        ? "\(p.used.count.grouped) 笔 · \(p.used.amount.formatted)" : "\(p.used.count.grouped) · \(p.used.amount.formatted)",
                    "budget": budget, "percent": String(format: "%.1f", min(spent, 1) * 100),
                    "permille": Int((min(spent, 1) * 1000).rounded()), "ends": ISO8601.local(p.effectiveEnd),
                ]
            },
            "heading": zh ? "运营概览 · \(board.day.iso)" : "Dashboard · \(board.day.iso)",
            "todayHeading": zh ? "今日到账（北京时间）" : "Credited today (Beijing time)", "noTallies": board.tallies.isEmpty,
            "noTalliesText": zh ? "今天还没有到账的充值。" : "No recharge has been credited today.", "tallies": tallies,
            "channelLabel": zh ? "渠道" : "Channel", "methodLabel": zh ? "支付方式" : "Payment method", "countLabel": zh ? "笔数" : "Count",
            "amountLabel": zh ? "到账金额" : "Credited", "feesLabel": zh ? "手续费" : "Fees",
            "stagesHeading": zh ? "各状态号码数" : "Lines by stage",
            "stages": board.stages.map { ["stage": $0.stage.displayName(language), "code": $0.stage.rawValue, "count": $0.count.grouped] },
            "reclaimsHeading": zh ? "30 天内将回收的号码" : "Reclaims due within 30 days", "noReclaims": board.reclaims.isEmpty,
            "noReclaimsText": zh ? "30 天内没有将被回收的号码。" : "No number is due to be reclaimed within 30 days.",
            "reclaims": board.reclaims.map {
                [
                    "number": $0.line.msisdn.e164, "msisdnQuery": $0.line.msisdn.e164.replacingOccurrences(of: "+", with: "%2B"),
                    "stage": $0.line.status.displayName(language), "on": $0.on.iso,
                ]
            },
            "truncated": board.reclaimsTruncated,
            "truncatedText": zh
                ? "停机号码超过 \(StaffService.reclaimScanLimit) 个，仅检查了最早需复核的部分；请用 baohao jobs 与管理接口查看全部。"
                : "More than \(StaffService.reclaimScanLimit) lapsed lines: only those due for review first were examined.",
            "numberLabel": zh ? "号码" : "Number", "stageLabel": zh ? "状态" : "Stage", "reclaimOnLabel": zh ? "回收日期" : "Reclaimed on",
            "rejectedHeading": zh ? "被拒绝的支付通知" : "Rejected payment notifications",
            "rejectedToday": zh ? "今日 \(board.rejectedToday) 条" : "\(board.rejectedToday) today",
            "hasRejected": !board.rejected.isEmpty,
            "rejected": board.rejected.map {
                [
                    "at": ISO8601.local($0.receivedAt), "provider": $0.provider, "reason": $0.reason ?? "—",
                    "order": $0.orderID ?? "—",
                ]
            },
            "timeLabel": zh ? "时间（北京）" : "Time (Beijing)", "providerLabel": zh ? "支付渠道" : "Provider", "reasonLabel": zh ? "原因" : "Reason",
            "orderLabel": zh ? "订单" : "Order",
            "adminOnlyText": zh ? "通知详情仅管理员可见。" : "Details are shown to administrators only.",
        ]
        return try page(
            request, context: context, title: zh ? "保号 · 运营概览" : "Baohao · Dashboard", template: StaffTemplates.dashboard, values: values,
            viewer: viewer)
    }

    // MARK: Line lookup

    @Sendable func line(_ request: Request, context: Context) async throws -> Response {
        let viewer = try context.signedInStaff
        let language = request.language
        let zh = language == .zh
        // Form decoding: a browser sends a typed space as "+", and a typed "+" as "%2B".
        let query = String((FormDecoding.decode(String((request.uri.query ?? "").prefix(256)))["msisdn"] ?? "").prefix(32))
        var values: [String: Any] = [
            "heading": zh ? "查询号码" : "Line lookup", "query": query, "numberLabel": zh ? "号码" : "Number",
            "lookupLabel": zh ? "查询" : "Look up", "none": zh ? "无" : "None", "timeLabel": zh ? "时间（北京）" : "Time (Beijing)",
            "kindLabel": zh ? "类型" : "Kind", "amountLabel": zh ? "金额" : "Amount", "orderLabel": zh ? "订单" : "Order",
            "channelLabel": zh ? "渠道 · 支付方式" : "Channel · method", "statusLabel": zh ? "状态" : "Status",
            "receiptLabel": zh ? "凭证" : "Receipt", "effectiveLabel": zh ? "生效日" : "Effective", "changeLabel": zh ? "变更" : "Change",
            "reasonLabel": zh ? "原因" : "Reason", "policyLabel": zh ? "规则版本" : "Rule version",
            "ledgerHeading": zh ? "账务流水（余额账户）" : "Ledger (balance account)", "ordersHeading": zh ? "充值订单" : "Recharge orders",
            "historyHeading": zh ? "状态变更记录" : "Stage history",
        ]
        var status = HTTPResponse.Status.ok
        if !query.isEmpty {
            do {
                let dossier = try await self.staff.dossier(msisdn: query)
                values.merge(Self.dossierValues(dossier, language: language)) { $1 }
                values["found"] = true
            } catch let error as DomainError {
                values["hasError"] = true
                values["error"] =
                    error == .lineNotFound ? (zh ? "没有这个号码。" : "No line has this number.") : Messages.problemTitle(error.code, language)
                status = error == .lineNotFound ? .notFound : .unprocessableContent
            }
        }
        return try page(
            request, context: context, title: zh ? "保号 · 查询号码" : "Baohao · Line lookup", template: StaffTemplates.line, values: values,
            viewer: viewer, status: status)
    }

    static func dossierValues(_ d: LineDossier, language: Language) -> [String: Any] {
        let zh = language == .zh
        let account = LedgerAccount.line(id: d.line.id)
        let a = d.assessment
        let facts: [(String, String, String)] = [
            ("机主", "Holder", d.line.holderName), ("运营商", "Operator", d.line.mobileOperator.displayName(language)),
            ("归属地", "Issued in", HomeProvinces.shipped.provinceName(of: d.line.msisdn, language)),
            ("套餐", "Plan", d.line.planCode), ("状态", "Stage", d.line.status.displayName(language)),
            ("余额", "Balance", d.line.balance.formatted), ("保号截止日", "Keep-alive deadline", a.deadline?.iso ?? (zh ? "无" : "none")),
            ("下一状态", "Next stage", a.nextStage.map { "\($0.displayName(language)) · \(a.nextStageOn?.iso ?? "")" } ?? "—"),
            ("保号建议", "To keep it", a.action.text(language)), ("规则", "Policy", a.policy ?? "—"),
        ]
        return [
            "number": d.line.msisdn.e164,
            "facts": facts.map { ["label": PageLayout.label($0.0, $0.1, language), "value": $0.2] },
            "noTransfers": d.transfers.isEmpty,
            "transfers": d.transfers.map { t in
                [
                    "at": ISO8601.local(t.createdAt), "kind": Messages.transferKind(t.kind, language),
                    "amount": t.postings.first(where: { $0.account == account })?.amount.formatted ?? "—", "order": t.orderID ?? "—",
                ]
            },
            "noOrders": d.orders.isEmpty,
            "orders": d.orders.map { o in
                [
                    "at": ISO8601.local(o.createdAt), "channel": channelName(o.channel.rawValue, language),
                    "method": o.paymentMethod.displayName(language), "amount": o.amount.formatted,
                    "status": Messages.orderStatus(o.status, language), "receipt": o.receiptNumber.map { $0 as Any } ?? false,
                ] as [String: Any]
            },
            "noChanges": d.stageChanges.isEmpty,
            "changes": d.stageChanges.map { c in
                [
                    "on": c.effectiveOn.iso, "from": c.from.displayName(language), "to": c.to.displayName(language),
                    "reason": Messages.stageReason(c.reason, language),
                    "policy": c.policy,
                ]
            },
        ]
    }

    // MARK: Staff list (administrators)

    @Sendable func accounts(_ request: Request, context: Context) async throws -> Response {
        let viewer = try context.signedInStaff
        let language = request.language
        let zh = language == .zh
        let accounts = try await self.staff.staff().map { s -> [String: Any] in
            let state: String
            if s.disabledAt != nil {
                state = zh ? "已停用" : "Disabled"
            } else {
                state = zh ? "正常" : "Active"
            }
            return ["username": s.username, "name": s.displayName, "role": s.role.displayName(language), "state": state]
        }
        return try page(
            request, context: context, title: zh ? "保号 · 工作人员" : "Baohao · Staff", template: StaffTemplates.accounts,
            values: [
                "heading": zh ? "工作人员" : "Staff", "accounts": accounts, "usernameLabel": zh ? "用户名" : "Username",
                "nameLabel": zh ? "姓名" : "Name", "roleLabel": zh ? "角色" : "Role", "stateLabel": zh ? "状态" : "State",
                "hint": zh
                    ? "用 baohao staff add / password / disable 管理账号。" : "Manage accounts with baohao staff add / password / disable.",
            ], viewer: viewer)
    }
}
