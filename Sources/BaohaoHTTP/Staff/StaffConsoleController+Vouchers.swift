import BaohaoDomain
import Foundation
import Hummingbird

/// `/staff/vouchers`: recharge cards (充值卡). Batches with their cards per state, a serial lookup,
/// freezing and unfreezing a serial range (with a reason, kept in the audit trail), today's
/// redemptions (Beijing) and the latest changes, for operators and administrators.
extension StaffConsoleController {
    @Sendable func voucherList(_ request: Request, context: Context) async throws -> Response {
        try await voucherPage(request, context: context, notice: nil, error: nil, status: .ok)
    }

    func voucherPage(
        _ request: Request, context: Context, notice: String?, error: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        let viewer = try context.signedInStaff
        let language = request.language
        let zh = language == .zh
        let now = clock.now()
        let stateNames: [VoucherState: (String, String)] = [
            .issued: ("未售", "Unsold"), .active: ("可用", "Active"), .used: ("已使用", "Used"), .frozen: ("已冻结", "Frozen"),
            .expired: ("已过期", "Expired"),
        ]
        func stateName(_ state: VoucherState) -> String { zh ? stateNames[state]!.0 : stateNames[state]!.1 }
        let batches: [[String: Any]] = try await vouchers.batches(limit: 50).map { summary in
            let b = summary.batch
            return [
                "id": b.id, "face": b.face.formatted, "count": b.count.grouped, "range": "\(b.firstSerial) – \(b.lastSerial)",
                "expires": b.expiresOn.iso, "created": ISO8601.local(b.createdAt),
                "counts": VoucherState.allCases.compactMap { state in
                    summary.counts[state].map { "\(stateName(state)) \($0.grouped)" }
                }.joined(separator: " · "),
            ]
        }
        var values: [String: Any] = [
            "heading": zh ? "充值卡" : "Recharge cards",
            "intro": zh
                ? "批次由命令行 baohao vouchers issue 生成，密码只在打印文件中出现一次；此处查看批次、查询卡号、冻结或解冻号段。"
                : "Batches are issued with `baohao vouchers issue`; PINs appear once, in the printer's file. Here: batches, a serial lookup, freezing and unfreezing ranges.",
            "batches": batches, "noBatches": batches.isEmpty, "noBatchesText": zh ? "还没有发行充值卡。" : "No cards issued yet.",
            "batchLabel": zh ? "批次" : "Batch", "faceLabel": zh ? "面值" : "Face value", "countLabel": zh ? "张数" : "Cards",
            "expiresLabel": zh ? "有效期至（北京时间）" : "Valid through (Beijing)",
            "lookupHeading": zh ? "查询卡号" : "Look up a serial", "serialLabel": zh ? "卡号" : "Serial",
            "lookupSubmit": zh ? "查询" : "Look up",
            "rangeHeading": zh ? "冻结 / 解冻号段" : "Freeze / unfreeze a range", "fromLabel": zh ? "起始卡号" : "From serial",
            "toLabel": zh ? "结束卡号" : "To serial", "reasonLabel": zh ? "原因（冻结时必填）" : "Reason (to freeze)",
            "freezeSubmit": zh ? "冻结" : "Freeze", "unfreezeSubmit": zh ? "解冻" : "Unfreeze",
            "redeemedHeading": zh ? "今日兑换（北京时间）" : "Redeemed today (Beijing time)",
            "eventsHeading": zh ? "最近变更" : "Latest changes",
        ]
        let today = LocalDate(now, in: Deadline.mainlandTimeZone)
        let redeemed = try await vouchers.redeemed(on: today, limit: 200)
        values["redeemedSummary"] =
            zh
            ? "\(redeemed.count.grouped) 张，合计 \(Money(redeemed.reduce(0) { $0 + $1.face.amountMinor }, .cny).formatted)"
            : "\(redeemed.count.grouped) cards, \(Money(redeemed.reduce(0) { $0 + $1.face.amountMinor }, .cny).formatted) in all"
        values["redeemed"] = redeemed.suffix(20).reversed().map { v -> [String: Any] in
            ["serial": v.serial, "face": v.face.formatted, "on": v.usedOnMasked ?? "—", "at": v.usedAt.map { ISO8601.local($0) } ?? "—"]
        }
        let kinds: [VoucherEvent.Kind: (String, String)] = [
            .issued: ("发行", "Issued"), .activated: ("激活（售出）", "Activated (sold)"), .frozen: ("冻结", "Frozen"),
            .unfrozen: ("解冻", "Unfrozen"), .redeemed: ("兑换", "Redeemed"),
        ]
        values["events"] = try await vouchers.events(limit: 20).map { e -> [String: Any] in
            [
                "what": zh ? kinds[e.kind]!.0 : kinds[e.kind]!.1,
                "range": e.fromSerial == e.toSerial ? e.fromSerial : "\(e.fromSerial) – \(e.toSerial)",
                "count": e.count.grouped, "by": e.by, "reason": e.reason ?? "", "at": ISO8601.local(e.at),
            ]
        }
        if let raw = request.uri.queryParameters.get("serial"), !raw.isEmpty {
            do {
                let v = try await vouchers.voucher(serial: String(raw.prefix(24)).trimmingCharacters(in: .whitespaces))
                let rows: [(String, String, String)] = [
                    ("卡号", "Serial", v.serial), ("批次", "Batch", v.batchID), ("面值", "Face value", v.face.formatted),
                    ("状态", "State", stateName(v.state(at: now))), ("有效期至", "Valid through", v.expiresOn.iso),
                    ("兑换号码", "Redeemed onto", v.usedOnMasked ?? "—"), ("兑换时间", "Redeemed at", v.usedAt.map { ISO8601.local($0) } ?? "—"),
                    ("订单", "Order", v.usedOrderID ?? "—"), ("冻结原因", "Frozen because", v.frozenReason ?? "—"),
                ]
                values["found"] = rows.map { ["label": PageLayout.label($0.0, $0.1, language), "value": $0.2] }
            } catch let error as DomainError {
                values["error"] = Messages.problemTitle(error.code, language)
            }
            values["serial"] = String(raw.prefix(24))
        }
        if let notice { values["notice"] = notice }
        if let error { values["error"] = error }
        return try page(
            request, context: context, title: zh ? "保号 · 充值卡" : "Baohao · Recharge cards", template: StaffTemplates.vouchers,
            values: values, viewer: viewer, status: status)
    }

    @Sendable func changeVoucherRange(_ request: Request, context: Context) async throws -> Response {
        let viewer = try context.signedInStaff
        let form = try await CounterConsoleController<Context>.form(request)
        guard CSRFToken.isValid(request, form: form) else { return try SignInController<Context>.expiredPage(request, context: context) }
        let zh = request.language == .zh
        let from = (form["from"] ?? "").trimmingCharacters(in: .whitespaces)
        let to = (form["to"] ?? "").trimmingCharacters(in: .whitespaces)
        let freezing = form["action"] != "unfreeze"
        do {
            let changed = try await vouchers.change(
                from: from, to: to.isEmpty ? from : to, freezing ? .freeze(reason: form["reason"] ?? "") : .unfreeze, by: viewer.username)
            let notice =
                freezing
                ? (zh ? "已冻结 \(changed) 张。" : "Froze \(changed) card(s).") : (zh ? "已解冻 \(changed) 张。" : "Unfroze \(changed) card(s).")
            return try await voucherPage(request, context: context, notice: notice, error: nil, status: .ok)
        } catch {
            let (text, status) = CounterConsoleController<Context>.problemText(error, request.language)
            return try await voucherPage(request, context: context, notice: nil, error: text, status: status)
        }
    }
}
