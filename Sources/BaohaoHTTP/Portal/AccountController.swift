import BaohaoDomain
import Foundation
import Hummingbird
import Mustache

/// A signed-in subscriber's pages: their numbers (lines being lost first, then the soonest deadline), each number's
/// recharges and receipts, reminder preferences, and the calendar feed of deadlines.
/// Every page checks the session, and every line page that the line is the account's.
struct AccountController<Context: BrowserSessionContext> {
    let admin: AdminService
    let clock: any WallClock
    let retention: RetentionService
    /// Cookies are marked Secure when payers reach the server over https.
    let secureCookies: Bool
    let subscribers: SubscriberService
    let recharges: RechargeService
    let refunds: RefundService

    func addRoutes(to router: Router<Context>) {
        router.group().add(middleware: BrowserSessionMiddleware(.subscriber(self.subscribers), required: true))
            .get("/me", use: dashboard)
            .get("/me/lines/:id", use: history)
            .get("/me/lines/:id/reminders", use: reminderForm)
            .post("/me/lines/:id/reminders", use: saveReminders)
            .get("/me/orders/:id/refund", use: refundForm)
            .post("/me/orders/:id/refund", use: requestRefund)
            .post("/me/calendar/rotate", use: rotateCalendar)
        // The key in the URL is the only credential: calendar apps send no cookies.
        router.get("/me/calendar.ics", use: calendar)
    }

    /// A new calendar link; the old one stops working (a link shared by mistake, a lost phone).
    @Sendable func rotateCalendar(_ request: Request, context: Context) async throws -> Response {
        let session = try context.signedInSubscriber
        let form = FormDecoding.decode(String(decoding: try await request.bodyBytes(limit: 1024), as: UTF8.self))
        guard CSRFToken.isValid(request, form: form) else { return try SignInController<Context>.expiredPage(request, context: context) }
        _ = try await self.subscribers.rotateCalendarKey(accountID: session.accountID)
        return Response(status: .seeOther, headers: [.location: "/me?calendar=rotated"])
    }

    /// How soon a line is lost: barred lines first, then suspended, then in grace, then in service.
    static func urgency(_ status: LineStatus) -> Int {
        switch status {
        case .barred: 0
        case .suspended: 1
        case .grace: 2
        case .active: 3
        case .reclaimed: 4
        }
    }

    func assessments(_ lines: [Line]) async throws -> [RetentionAssessment] {
        try await self.admin.assessments(of: lines)
    }

    func page(
        _ request: Request, context: Context, title: String, template: MustacheTemplate, values: [String: Any],
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        try CSRFToken.page(request, title: title, template: template, values: values, status: status, secure: self.secureCookies)
            .response(from: request, context: context)
    }

    @Sendable func dashboard(_ request: Request, context: Context) async throws -> Response {
        let session = try context.signedInSubscriber
        let language = request.language
        let lines = try await self.subscribers.lines(accountID: session.accountID)
        // Lines being lost come first (双停, then 单停, then in grace), then the soonest deadline.
        let assessed = zip(lines, try await assessments(lines)).map { ($0, $1) }.sorted {
            let (left, right) = (Self.urgency($0.0.status), Self.urgency($1.0.status))
            if left != right { return left < right }
            switch ($0.1.deadline, $1.1.deadline) {
            case (let a?, let b?): return a < b
            case (.some, nil): return true
            default: return false
            }
        }
        let key = try await self.subscribers.calendarKey(accountID: session.accountID)
        let cards: [[String: Any]] = assessed.map { line, a in
            [
                "number": line.msisdn.masked, "id": line.id, "msisdn": line.msisdn.e164,
                "stage": line.status.displayName(language), "stageClass": line.status == .active ? "ok" : "bad",
                "balance": line.balance.formatted,
                "deadline": a.deadline?.iso ?? (language == .zh ? "无" : "none"),
                "action": a.action.text(language),
                "balanceLabel": PageLayout.label("余额", "Balance", language), "stageLabel": PageLayout.label("状态", "Status", language),
                "deadlineLabel": PageLayout.label("保号截止日", "Keep-alive deadline", language),
                "actionLabel": PageLayout.label("保号建议", "To keep it", language),
                "recharge": language == .zh ? "充值" : "Top up", "historyLabel": language == .zh ? "充值记录" : "Recharges",
                "remindersLabel": language == .zh ? "提醒设置" : "Reminders",
            ]
        }
        let values: [String: Any] = [
            "heading": language == .zh ? "我的号码" : "My numbers",
            "cards": cards, "empty": cards.isEmpty,
            "emptyText": language == .zh ? "还没有号码。" : "No numbers yet.",
            "add": language == .zh ? "添加号码" : "Add a number",
            "calendar": language == .zh ? "订阅截止日日历（.ics）" : "Subscribe to deadlines (.ics)",
            "calendarHref": "/me/calendar.ics?key=\(key)",
            "signOut": language == .zh ? "退出登录" : "Sign out",
            "calendarRotate": language == .zh ? "更换日历链接（旧链接立即失效）" : "New calendar link (the old one stops working)",
            "signOutCalendar": language == .zh ? "同时停用日历订阅链接" : "Also turn off the calendar link",
            "calendarRotated": request.uri.queryParameters.get("calendar") == "rotated"
                ? (language == .zh ? "日历链接已更换，请在日历应用中重新订阅。" : "The calendar link is new: subscribe again in your calendar app.") as Any
                : false,
        ]
        return try page(
            request, context: context, title: language == .zh ? "保号 · 我的号码" : "Baohao · My numbers", template: AccountTemplates.dashboard,
            values: values)
    }

    func ownedLine(_ request: Request, context: Context, session: SubscriberSession) async throws -> Line? {
        let id = try context.parameters.require("id")
        guard id.count <= 64 else { return nil }
        do {
            return try await self.subscribers.line(id: id, accountID: session.accountID)
        } catch DomainError.lineNotFound {
            return nil
        }
    }

    func notFound(_ request: Request, context: Context) throws -> Response {
        let language = request.language
        return try HTMLResponse(
            html: MessagePage.render(
                title: language == .zh ? "号码不存在" : "No such number",
                message: language == .zh ? "该号码不在您的账户中。" : "This number is not in your account.", language: language),
            status: .notFound
        ).response(from: request, context: context)
    }

    /// Orders on one page of a line's history.
    static var historyPageSize: Int { 20 }

    /// 充值记录: a line's orders, newest first, 20 a page; never-paid orders (anyone may order for
    /// any number) only when asked for, so that they cannot push real recharges off the page.
    @Sendable func history(_ request: Request, context: Context) async throws -> Response {
        let session = try context.signedInSubscriber
        guard let line = try await ownedLine(request, context: context, session: session) else {
            return try notFound(request, context: context)
        }
        let language = request.language
        let includeUnpaid = request.uri.queryParameters.get("all") == "1"
        let before = request.uri.queryParameters.get("before").flatMap { OrderCursor(text: String($0)) }
        let fetched = try await self.admin.orders(
            lineID: line.id, before: before, includeUnpaid: includeUnpaid, limit: Self.historyPageSize + 1)
        let orders = Array(fetched.prefix(Self.historyPageSize))
        let base = "/me/lines/\(line.id)"
        let older =
            fetched.count > Self.historyPageSize
            ? orders.last.map { order in
                "\(base)?before=\(OrderCursor(createdAt: order.createdAt, id: order.id).text)\(includeUnpaid ? "&all=1" : "")"
            } : nil
        let rows: [[String: Any]] = orders.map { order in
            var row: [String: Any] = [
                "date": ISO8601.local(order.createdAt), "amount": order.amount.formatted,
                "status": Messages.orderStatus(order.status, language), "orderHref": "/orders/\(order.id)",
            ]
            if let receipt = order.receiptNumber { row["receipt"] = receipt }
            if order.status == .credited || order.status == .partiallyRefunded, order.channel != .partner,
                order.paymentMethod != .cash, order.paymentMethod != .cardPresent
            {
                row["refundHref"] = "/me/orders/\(order.id)/refund"
            }
            return row
        }
        let values: [String: Any] = [
            "heading": language == .zh ? "充值记录 \(line.msisdn.masked)" : "Recharges for \(line.msisdn.masked)",
            "rows": rows, "empty": rows.isEmpty, "emptyText": language == .zh ? "还没有充值记录。" : "No recharges yet.",
            "dateLabel": language == .zh ? "时间" : "Time", "amountLabel": language == .zh ? "金额" : "Amount",
            "statusLabel": language == .zh ? "状态" : "Status", "receiptLabel": language == .zh ? "凭证" : "Receipt",
            "refundLabel": language == .zh ? "申请退款" : "Refund",
            "back": language == .zh ? "返回我的号码" : "Back to my numbers",
            "olderHref": older ?? "", "hasOlder": older != nil, "olderLabel": language == .zh ? "更早的记录" : "Older",
            "newestHref": before == nil ? "" : "\(base)\(includeUnpaid ? "?all=1" : "")",
            "newestLabel": language == .zh ? "最新记录" : "Newest",
            "unpaidHref": includeUnpaid ? base : "\(base)?all=1",
            "unpaidLabel": includeUnpaid
                ? (language == .zh ? "只看已支付的订单" : "Paid orders only")
                : (language == .zh ? "显示未支付、已过期和已取消的订单" : "Also show unpaid, expired and cancelled orders"),
        ]
        return try page(
            request, context: context, title: language == .zh ? "保号 · 充值记录" : "Baohao · Recharges", template: AccountTemplates.history,
            values: values)
    }

    func reminderPage(_ request: Request, context: Context, line: Line, contact: ContactPreferences?, message: String?, error: Bool)
        throws -> Response
    {
        let language = request.language
        let channels = contact?.channels ?? [.sms]
        let hours: (Int?) -> [[String: Any]] = { selected in
            [["value": "", "label": language == .zh ? "不设" : "none", "selected": selected == nil]]
                + (0..<24).map { ["value": String($0), "label": String(format: "%02d:00", $0), "selected": selected == $0] }
        }
        let values: [String: Any] = [
            "heading": language == .zh ? "提醒设置 \(line.msisdn.masked)" : "Reminders for \(line.msisdn.masked)",
            "action": "/me/lines/\(line.id)/reminders",
            "channelsLegend": language == .zh ? "提醒方式" : "Remind me by",
            "sms": channels.contains(.sms), "email": channels.contains(.email),
            "smsLabel": language == .zh ? "短信" : "SMS", "emailLabel": language == .zh ? "电子邮件" : "Email",
            "emailAddressLabel": language == .zh ? "邮箱地址" : "Email address", "emailAddress": contact?.email ?? "",
            "languageLabel": language == .zh ? "提醒语言" : "Language",
            "zhSelected": (contact?.language ?? .zh) == .zh, "enSelected": contact?.language == .en,
            "quietLegend": language == .zh ? "免打扰时段（按号码所在时区）" : "Quiet hours (in the number's time zone)",
            "quietStartLabel": language == .zh ? "开始" : "From", "quietEndLabel": language == .zh ? "结束" : "Until",
            "quietStart": hours(contact?.quietStart), "quietEnd": hours(contact?.quietEnd),
            "timeZoneLabel": language == .zh ? "提醒按哪个时区发送" : "Time zone reminders are timed in",
            "timeZones": TimeZoneChoices.options(selected: contact?.timeZone?.identifier, language: language),
            "optOut": contact?.optedOut ?? false,
            "optOutLabel": language == .zh ? "不再接收任何提醒（不建议：号码可能因此被回收）" : "Send me no reminders (not advised: the number may be lost)",
            "save": language == .zh ? "保存" : "Save", "back": language == .zh ? "返回我的号码" : "Back to my numbers",
            "message": message ?? "", "hasMessage": message != nil && !error, "hasError": message != nil && error,
        ]
        return try page(
            request, context: context, title: language == .zh ? "保号 · 提醒设置" : "Baohao · Reminders", template: AccountTemplates.reminders,
            values: values, status: error ? .unprocessableContent : .ok)
    }

    @Sendable func reminderForm(_ request: Request, context: Context) async throws -> Response {
        let session = try context.signedInSubscriber
        guard let line = try await ownedLine(request, context: context, session: session) else {
            return try notFound(request, context: context)
        }
        let view = try await self.retention.view(msisdn: line.msisdn.e164)
        return try reminderPage(request, context: context, line: line, contact: view.contact, message: nil, error: false)
    }

    @Sendable func saveReminders(_ request: Request, context: Context) async throws -> Response {
        let session = try context.signedInSubscriber
        let body = String(decoding: try await request.bodyBytes(limit: 4 * 1024), as: UTF8.self)
        let form = FormDecoding.decode(body)
        guard CSRFToken.isValid(request, form: form) else { return try SignInController<Context>.expiredPage(request, context: context) }
        guard let line = try await ownedLine(request, context: context, session: session) else {
            return try notFound(request, context: context)
        }
        let language = request.language
        var channels: [ReminderChannel] = []
        if form["sms"] == "on" { channels.append(.sms) }
        if form["email"] == "on" { channels.append(.email) }
        let email = form["email_address"].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap {
            $0.isEmpty ? nil : String($0.prefix(254))
        }
        let hour: (String) -> Int? = { form[$0].flatMap(Int.init).flatMap { (0..<24).contains($0) ? $0 : nil } }
        let zoneName = (form["time_zone"] ?? "").trimmingCharacters(in: .whitespaces)
        let draft = ContactPreferences(
            lineID: line.id, channels: channels, email: email, language: form["language"] == "en" ? .en : .zh,
            quietStart: hour("quiet_start"),
            quietEnd: hour("quiet_end"), timeZone: zoneName.isEmpty ? nil : TimeZone(identifier: String(zoneName.prefix(64))),
            optedOut: form["opt_out"] == "on")
        func refuse(_ zh: String, _ en: String) throws -> Response {
            try reminderPage(request, context: context, line: line, contact: draft, message: language == .zh ? zh : en, error: true)
        }
        if !zoneName.isEmpty && draft.timeZone == nil { return try refuse("时区无效。", "Unknown time zone.") }
        if channels.contains(.email) && email == nil { return try refuse("选择邮件提醒时请填写邮箱。", "Enter an email address for email reminders.") }
        if (draft.quietStart == nil) != (draft.quietEnd == nil) {
            return try refuse("请同时设置免打扰的开始和结束。", "Set both ends of the quiet hours.")
        }
        do {
            let saved = try await self.retention.setContact(msisdn: line.msisdn.e164) { _ in draft }
            return try reminderPage(
                request, context: context, line: line, contact: saved, message: language == .zh ? "已保存。" : "Saved.", error: false)
        } catch DomainError.validation {
            return try refuse("邮箱地址无效。", "The email address is not valid.")
        }
    }

    /// `text/calendar`: one all-day event per number on its deadline, with alarms 7 days and 1 day
    /// before. The key in the URL is the only credential (calendar apps send no cookies).
    @Sendable func calendar(_ request: Request, context: Context) async throws -> Response {
        guard let key = request.uri.queryParameters.get("key"),
            let account = try await self.subscribers.account(calendarKey: String(key))
        else { throw Problem(.notFound, "not-found") }
        let lines = try await self.subscribers.lines(accountID: account.id)
        let events = zip(lines, try await assessments(lines)).compactMap { line, a -> DeadlineCalendar.Event? in
            guard let deadline = a.deadline else { return nil }
            return DeadlineCalendar.Event(
                uid: "\(line.id)-\(deadline.iso)@baohao", day: deadline, summary: "保号截止 \(line.msisdn.masked) / Keep-alive deadline",
                description: "\(a.action.text(.zh))\n\(a.action.text(.en))")
        }
        let body = DeadlineCalendar.render(events, stamp: self.clock.now())
        return Response(
            status: .ok,
            headers: [.contentType: "text/calendar; charset=utf-8", .cacheControl: "private, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
