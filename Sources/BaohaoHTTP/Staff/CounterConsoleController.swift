import BaohaoDomain
import Foundation
import Hummingbird
import Mustache

/// The counter in the staff console, keyboard first (number → look-up → amount → tender → ID →
/// confirm → print; a barcode scanner types the payment code and Enter): a clerk opens a shift,
/// sells, voids, reads the X report and closes with the cash counted by denomination. Everyone
/// signed in reads shifts and Z reports: operators and administrators every outlet's, with
/// over/short highlighted; a clerk its own outlet's.
struct CounterConsoleController<Context: BrowserSessionContext> {
    let clock: any WallClock
    let secureCookies: Bool
    let staff: StaffService
    let shifts: ShiftService
    let sales: CounterSaleService
    let channelPolicies: ChannelPolicyService
    let recharges: RechargeService
    /// 优惠活动: the bonus each denomination would get, shown beside it (for the number looked up).
    let promotions: PromotionService
    /// Refunds of counter sales, paid back from the open shift's till.
    let refunds: RefundService

    /// Notes and coins counted at close, in fen: ¥100, 50, 20, 10, 5, 1, 0.5, 0.1.
    static var denominations: [Int64] { [10000, 5000, 2000, 1000, 500, 100, 50, 10] }

    func addRoutes(to router: Router<Context>) {
        let console = router.group().add(middleware: BrowserSessionMiddleware(.staff(self.staff), required: true))
        console.group().add(middleware: StaffRolePages(allowed: [.clerk]))
            .get("/staff/counter", use: counter)
            .post("/staff/counter/shift", use: openShift)
            .post("/staff/counter/sales", use: sell)
            .post("/staff/counter/sales/{id}/void", use: void)
            .post("/staff/counter/close", use: close)
            .post("/staff/counter/refunds/{id}/payout", use: payout)
        console.get("/staff/shifts", use: shiftList)
        console.get("/staff/shifts/{id}", use: report)
    }

    func page(
        _ request: Request, context: Context, title: String, template: MustacheTemplate, values: [String: Any], viewer: StaffAccount,
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let zh = request.language == .zh
        var values = values
        values["isClerk"] = viewer.role == .clerk
        values["who"] = "\(viewer.displayName)（\(viewer.role.displayName(request.language))）"
        values["menuCounter"] = zh ? "柜台收银" : "Counter"
        values["menuDashboard"] = zh ? "概览" : "Dashboard"
        values["menuShifts"] = zh ? "班次报表" : "Shift reports"
        values["signOut"] = zh ? "退出" : "Sign out"
        return try CSRFToken.page(
            request, title: title, template: template, values: values, status: status, secure: secureCookies, staff: true
        )
        .response(from: request, context: context)
    }

    static func form(_ request: Request) async throws -> [String: String] {
        FormDecoding.decode(String(decoding: try await request.bodyBytes(limit: 8 * 1024), as: UTF8.self))
    }

    /// "50", "50.5" or "50.50" yuan as fen; `nil` for anything else.
    static func fen(_ text: String?) -> Int64? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty, text.count <= 12 else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int64(parts[0]), whole >= 0 else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            guard (1...2).contains(parts[1].count), parts[1].allSatisfy(\.isNumber), let f = Int64(parts[1]) else { return nil }
            fraction = parts[1].count == 1 ? f * 10 : f
        }
        return whole * 100 + fraction
    }

    /// A holder's name as the counter shows it: the last character only (张三 → *三).
    static func maskedName(_ name: String) -> String {
        guard let last = name.last else { return "" }
        return String(repeating: "*", count: max(1, name.count - 1)) + String(last)
    }

    // MARK: The counter

    @Sendable func counter(_ request: Request, context: Context) async throws -> Response {
        try await counterPage(request, context: context, error: nil, status: .ok)
    }

    func counterPage(_ request: Request, context: Context, error: String?, status: HTTPResponse.Status, msisdn: String? = nil) async throws
        -> Response
    {
        let clerk = try context.signedInStaff
        let language = request.language
        let zh = language == .zh
        let query = FormDecoding.decode(String((request.uri.query ?? "").prefix(512)))
        let number = msisdn ?? String((query["msisdn"] ?? "").prefix(20))
        var values: [String: Any] = [
            "heading": zh ? "柜台收银 · \(clerk.outletCode ?? "")" : "Counter · \(clerk.outletCode ?? "")",
            "hasError": error != nil, "error": error ?? "", "query": number,
            "openHeading": zh ? "开班" : "Open a shift", "floatLabel": zh ? "备用金（元）" : "Opening float (yuan)",
            "openButton": zh ? "开班" : "Open shift", "lookupHeading": zh ? "查询号码" : "Look a number up",
            "numberLabel": zh ? "手机号码" : "Number", "lookupButton": zh ? "查询" : "Look up",
            "sellHeading": zh ? "收款充值" : "Sell a recharge", "amountLabel": zh ? "充值金额" : "Amount",
            "tenderLabel": zh ? "付款方式" : "Tender", "tenderedLabel": zh ? "实收现金（元）" : "Cash handed over (yuan)",
            "terminalLabel": zh ? "POS 参考号" : "POS terminal reference", "codeLabel": zh ? "付款码（扫码枪）" : "Payment code (scanner)",
            "idLabel": zh ? "身份证号码（实名）" : "Resident ID number (real name)", "sellButton": zh ? "确认收款" : "Confirm and take payment",
            "shiftHeading": zh ? "本班次（X 报表）" : "This shift (X report)", "timeLabel": zh ? "时间" : "Time",
            "statusLabel": zh ? "状态" : "Status", "voidReasonLabel": zh ? "撤销原因" : "Void reason", "voidButton": zh ? "撤销" : "Void",
            "closeHeading": zh ? "交班（按面额清点现金）" : "Close the shift (count the cash)", "noteLabel": zh ? "备注" : "Note",
            "closeButton": zh ? "交班，生成 Z 报表" : "Close and print the Z report",
            "printPageLabel": zh ? "打印凭证" : "Print receipt", "escposLabel": zh ? "小票（58mm）" : "Thermal slip (58 mm)",
            "realName": sales.realNameRequired, "saleKey": "con-" + UUID().uuidString.lowercased(),
        ]
        if let (_, shiftSales, x) = try await shifts.openShift(of: clerk) {
            values["shift"] = true
            values["xRows"] = Self.reportRows(x, language: language).map {
                ["label": PageLayout.label($0.zh, $0.en, language), "value": $0.value]
            }
            let policy = try await channelPolicies.policy(for: .counter)
            let chosen = Self.fen(query["amount"]) ?? policy.denominations.dropFirst(2).first?.amountMinor
            let offers = try await promotions.offers(
                msisdn: number.isEmpty ? nil : number, channel: .counter, paymentMethod: .cash, faceValues: policy.denominations)
            values["denominations"] = policy.denominations.map {
                [
                    "minor": $0.amountMinor, "yuan": $0.decimalString, "text": $0.formatted, "checked": $0.amountMinor == chosen,
                    "bonus": offers[$0].map { PromotionText.badge($0, language) } ?? "",
                ] as [String: Any]
            }
            values["promotions"] = PromotionText.lines(offers.values, now: clock.now(), language)
            values["hasPromotions"] = !offers.isEmpty
            values["tenders"] = Tender.allCases.map {
                ["code": $0.rawValue, "text": $0.displayName(language), "checked": $0 == .cash] as [String: Any]
            }
            values["denominationCounts"] = Self.denominations.map {
                ["code": String($0), "text": Money($0, .cny).formatted] as [String: Any]
            }
            var rows: [[String: Any]] = []
            var receipts: [String: String] = [:]
            for sale in shiftSales.reversed() {
                let order = try await recharges.order(id: sale.orderID)
                receipts[sale.id] = order.receiptNumber
                let status = sale.voided != nil ? OrderStatus.voided : order.status
                rows.append([
                    "id": sale.id, "time": String(ISO8601.local(sale.createdAt).suffix(8)), "tender": sale.tender.displayName(language),
                    "number": order.msisdn.masked, "total": sale.total.formatted, "status": Messages.orderStatus(status, language),
                    "statusClass": status == .credited ? "ok" : status == .pendingPayment ? "wait" : "bad",
                    "voidable": status == .credited && sale.tender.till(shiftID: sale.shiftID) != nil, "receipt": order.receiptNumber ?? "",
                ])
            }
            values["sales"] = rows
            values["hasSales"] = !rows.isEmpty
            let awaiting = try await refunds.awaitingCounterPayout()
            values["hasPayouts"] = !awaiting.isEmpty
            values["payoutsHeading"] = zh ? "待付退款（已审批）" : "Refunds to pay back (approved)"
            values["payoutButton"] = zh ? "已核对付款人，付款" : "Payer checked: pay back"
            var payouts: [[String: Any]] = []
            for refund in awaiting {
                let order = try await recharges.order(id: refund.orderID)
                payouts.append([
                    "id": refund.id, "amount": refund.amount.formatted, "number": order.msisdn.masked,
                    "receipt": order.receiptNumber ?? "—", "reason": refund.reason,
                    "method": order.paymentMethod.displayName(language),
                ])
            }
            values["payouts"] = payouts
            if let paid = query["paid"] {
                values["notice"] = true
                values["noticeClass"] = "ok"
                values["noticeText"] =
                    zh ? "退款 \(paid) 已付出，请将款项交给付款人并请其签收。" : "Refund \(paid) paid out: hand the money to the payer."
            }
            if let id = query["sale"] ?? query["voided"], let sale = shiftSales.first(where: { $0.id == id }) {
                let voided = query["voided"] != nil
                values["notice"] = true
                values["noticeClass"] = voided ? "bad" : sale.orderStatus == .pendingPayment ? "wait" : "ok"
                values["noticeText"] =
                    voided
                    ? (zh ? "已撤销 \(sale.total.formatted)，请退还现金。" : "Voided \(sale.total.formatted): hand the money back.")
                    : sale.orderStatus == .pendingPayment
                        ? (zh ? "等待顾客在手机上确认付款…" : "Waiting for the payer to confirm in the app…")
                        : (zh
                            ? "收款成功，已到账 \(sale.amount.formatted)\(sale.change.map { "，找零 \($0.formatted)" } ?? "")。"
                            : "Paid and credited \(sale.amount.formatted)\(sale.change.map { "; change \($0.formatted)" } ?? "").")
                if !voided, let receipt = receipts[sale.id] { values["noticeReceipt"] = receipt }
            }
            if !number.isEmpty { values.merge(try await lookup(number, language: language)) { $1 } }
        }
        return try page(
            request, context: context, title: zh ? "保号 · 柜台收银" : "Baohao · Counter", template: CounterTemplates.counter, values: values,
            viewer: clerk, status: status)
    }

    /// What the clerk may see of a number: the holder's name masked, stage, deadline, balance.
    func lookup(_ number: String, language: Language) async throws -> [String: Any] {
        let zh = language == .zh
        do {
            let dossier = try await staff.dossier(msisdn: number)
            let rows: [(String, String, String)] = [
                ("号码", "Number", dossier.line.msisdn.masked), ("机主", "Holder", Self.maskedName(dossier.line.holderName)),
                (
                    "归属地", "Issued in",
                    HomeProvinces.shipped.provinceName(of: dossier.line.msisdn, language)
                ),
                ("状态", "Stage", dossier.line.status.displayName(language)),
                ("保号截止日", "Keep-alive deadline", dossier.assessment.deadline?.description ?? (zh ? "无" : "None")),
                ("余额", "Balance", dossier.line.balance.formatted),
            ]
            return ["found": true, "lookupRows": rows.map { ["label": PageLayout.label($0.0, $0.1, language), "value": $0.2] }]
        } catch let error as DomainError {
            return ["hasError": true, "error": Messages.problemTitle(error.code, language)]
        }
    }

    static func problemText(_ error: any Error, _ language: Language) -> (String, HTTPResponse.Status) {
        if let error = error as? DomainError {
            let problem = Problem(error)
            var text = Messages.problemTitle(error.code, language)
            if case .validation(let v) = error { text += "：\(v.field)" + (v.detail.map { "（\($0)）" } ?? "") }
            return (text, problem.status)
        }
        if let problem = error as? Problem { return (Messages.problemTitle(problem.code, language), problem.status) }
        return (Messages.problemTitle("internal-error", language), .internalServerError)
    }

    @Sendable func openShift(_ request: Request, context: Context) async throws -> Response {
        let clerk = try context.signedInStaff
        let form = try await Self.form(request)
        guard CSRFToken.isValid(request, form: form) else { return try SignInController<Context>.expiredPage(request, context: context) }
        do {
            guard let float = Self.fen(form["opening_float"]) else {
                throw DomainError.validation(ValidationError(field: "opening_float", reason: .invalidFormat))
            }
            _ = try await shifts.open(by: clerk, openingFloat: Money(float, .cny))
            return Response(status: .seeOther, headers: [.location: "/staff/counter"])
        } catch {
            let (text, status) = Self.problemText(error, request.language)
            return try await counterPage(request, context: context, error: text, status: status)
        }
    }

    @Sendable func sell(_ request: Request, context: Context) async throws -> Response {
        let clerk = try context.signedInStaff
        let form = try await Self.form(request)
        guard CSRFToken.isValid(request, form: form) else { return try SignInController<Context>.expiredPage(request, context: context) }
        let msisdn = String((form["msisdn"] ?? "").prefix(20))
        do {
            guard let amount = Self.fen(form["amount"]) else {
                throw DomainError.validation(ValidationError(field: "amount", reason: .missing))
            }
            guard let tender = Tender(rawValue: form["tender"] ?? "") else {
                throw DomainError.validation(ValidationError(field: "tender", reason: .missing))
            }
            func text(_ name: String) -> String? {
                guard let value = form[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
                return value
            }
            let result = try await sales.sell(
                CounterSaleRequest(
                    msisdn: msisdn, amount: Money(amount, .cny), tender: tender,
                    tendered: tender == .cash ? Self.fen(form["tendered"]).map { Money($0, .cny) } : nil, idNumber: text("id_number"),
                    cardTerminalRef: tender == .card ? text("card_terminal_ref") : nil,
                    paymentCode: tender.wallet != nil ? text("payment_code") : nil),
                by: clerk, idempotencyKey: String((form["key"] ?? "").prefix(64)))
            return Response(status: .seeOther, headers: [.location: "/staff/counter?sale=\(result.sale.id)"])
        } catch {
            let (text, status) = Self.problemText(error, request.language)
            return try await counterPage(request, context: context, error: text, status: status, msisdn: msisdn)
        }
    }

    @Sendable func void(_ request: Request, context: Context) async throws -> Response {
        let clerk = try context.signedInStaff
        let form = try await Self.form(request)
        guard CSRFToken.isValid(request, form: form) else { return try SignInController<Context>.expiredPage(request, context: context) }
        do {
            let result = try await sales.void(saleID: try context.parameters.require("id"), reason: form["reason"] ?? "", by: clerk)
            return Response(status: .seeOther, headers: [.location: "/staff/counter?voided=\(result.sale.id)"])
        } catch {
            let (text, status) = Self.problemText(error, request.language)
            return try await counterPage(request, context: context, error: text, status: status)
        }
    }

    /// A clerk pays back an approved refund of a counter sale from the open shift's till.
    @Sendable func payout(_ request: Request, context: Context) async throws -> Response {
        let clerk = try context.signedInStaff
        let form = try await Self.form(request)
        guard CSRFToken.isValid(request, form: form) else { return try SignInController<Context>.expiredPage(request, context: context) }
        do {
            let refund = try await refunds.payOutAtCounter(id: try context.parameters.require("id"), by: clerk)
            return Response(status: .seeOther, headers: [.location: "/staff/counter?paid=\(refund.amount.decimalString)"])
        } catch {
            let (text, status) = Self.problemText(error, request.language)
            return try await counterPage(request, context: context, error: text, status: status)
        }
    }

    @Sendable func close(_ request: Request, context: Context) async throws -> Response {
        let clerk = try context.signedInStaff
        let form = try await Self.form(request)
        guard CSRFToken.isValid(request, form: form) else { return try SignInController<Context>.expiredPage(request, context: context) }
        do {
            guard let (shift, _, _) = try await shifts.openShift(of: clerk) else { throw DomainError.noOpenShift }
            var counted: Int64 = 0
            for denomination in Self.denominations {
                let raw = form["count_\(denomination)"]?.trimmingCharacters(in: .whitespaces) ?? ""
                guard let count = raw.isEmpty ? 0 : Int64(raw), (0...100_000).contains(count) else {
                    throw DomainError.validation(ValidationError(field: "count_\(denomination)", reason: .outOfRange))
                }
                counted += count * denomination
            }
            _ = try await shifts.close(shiftID: shift.id, by: clerk, countedCash: Money(counted, .cny), note: form["note"])
            return Response(status: .seeOther, headers: [.location: "/staff/shifts/\(shift.id)"])
        } catch {
            let (text, status) = Self.problemText(error, request.language)
            return try await counterPage(request, context: context, error: text, status: status)
        }
    }

    // MARK: Shift reports

    static func reportRows(_ r: ShiftReport, language: Language) -> [(zh: String, en: String, value: String)] {
        var rows: [(zh: String, en: String, value: String)] = [
            ("营业厅", "Outlet", r.outletCode), ("备用金", "Opening float", r.openingFloat.formatted),
            ("收款笔数", "Sales", String(r.salesCount)), ("收款合计", "Sales total", r.salesTotal.formatted),
            ("其中手续费", "Fees in it", r.fees.formatted),
        ]
        for tender in r.byTender {
            let known = Tender(rawValue: tender.tender)
            rows.append(
                (
                    "· \(known?.displayName(.zh) ?? tender.tender)", "· \(known?.displayName(.en) ?? tender.tender)",
                    "\(tender.count) · \(tender.total.formatted)"
                ))
        }
        rows += [
            ("撤销", "Voids", "\(r.voidsCount) · \(r.voidsTotal.formatted)")
        ]
        if let count = r.refundsCount, let total = r.refundsTotal, count > 0 {
            rows.append(("退款支出", "Refunds paid out", "\(count) · \(total.formatted)"))
        }
        rows.append(("应有现金", "Expected cash", r.expectedCash.formatted))
        if let counted = r.countedCash { rows.append(("实点现金", "Counted cash", counted.formatted)) }
        if let overShort = r.overShort {
            rows.append(("长短款", "Over / short", overShort.amountMinor > 0 ? "+" + overShort.formatted : overShort.formatted))
        }
        if let note = r.note { rows.append(("备注", "Note", note)) }
        return rows
    }

    @Sendable func shiftList(_ request: Request, context: Context) async throws -> Response {
        let viewer = try context.signedInStaff
        let language = request.language
        let zh = language == .zh
        let list = try await shifts.recentShifts(viewer: viewer)
        let rows: [[String: Any]] = list.map { shift in
            let overShort = shift.zReport?.overShort
            return [
                "id": shift.id, "outlet": shift.outletCode, "opened": ISO8601.local(shift.openedAt),
                "z": shift.zReport?.number.map { "Z\($0)" } ?? (zh ? "未交班" : "open"),
                "overShort": overShort.map { $0.amountMinor > 0 ? "+" + $0.formatted : $0.formatted } ?? "—",
                "overShortMinor": overShort?.amountMinor ?? 0,
                "overShortClass": (overShort?.amountMinor ?? 0) == 0 ? "" : "bad",
            ]
        }
        return try page(
            request, context: context, title: zh ? "保号 · 班次报表" : "Baohao · Shift reports", template: CounterTemplates.shifts,
            values: [
                "heading": zh ? "班次与 Z 报表" : "Shifts and Z reports", "shifts": rows, "none": rows.isEmpty,
                "noneText": zh ? "还没有班次。" : "No shifts yet.", "outletLabel": zh ? "营业厅" : "Outlet",
                "openedLabel": zh ? "开班时间" : "Opened", "zLabel": zh ? "Z 报表" : "Z report", "overShortLabel": zh ? "长短款" : "Over/short",
            ], viewer: viewer)
    }

    @Sendable func report(_ request: Request, context: Context) async throws -> Response {
        let viewer = try context.signedInStaff
        let language = request.language
        let zh = language == .zh
        let report: ShiftReport
        do {
            report = try await shifts.report(shiftID: try context.parameters.require("id"), viewer: viewer)
        } catch DomainError.shiftNotFound {
            return try HTMLResponse(
                html: MessagePage.render(title: zh ? "班次不存在" : "No such shift", message: "", language: language), status: .notFound
            ).response(from: request, context: context)
        }
        let rows: [[String: Any]] = Self.reportRows(report, language: language).map {
            [
                "label": PageLayout.label($0.zh, $0.en, language), "value": $0.value,
                "cls": $0.zh == "长短款" && report.overShort?.amountMinor != 0 ? "bad" : "",
            ]
        }
        let title = report.number.map { zh ? "Z 报表 第 \($0) 号" : "Z report no. \($0)" } ?? (zh ? "X 报表（未交班）" : "X report (shift open)")
        return try page(
            request, context: context, title: "保号 · \(title)", template: CounterTemplates.report,
            values: [
                "heading": title, "rows": rows, "printLabel": zh ? "打印" : "Print",
                "statusClass": report.number == nil ? "wait" : (report.overShort?.amountMinor ?? 0) == 0 ? "ok" : "bad",
                "statusText": report.number == nil
                    ? (zh ? "班次进行中，数字随收款变化" : "The shift is open; the figures change with each sale")
                    : (report.overShort?.amountMinor ?? 0) == 0
                        ? (zh ? "已交班，现金相符" : "Closed; the cash matches")
                        : (zh ? "已交班，现金有长短款" : "Closed; the cash is over or short"),
            ], viewer: viewer)
    }
}
