import BaohaoDomain
import Foundation
import Hummingbird

/// `/staff/refunds`: refunds, maker-checker. An operator or administrator requests one (an order
/// number, an amount in yuan, a reason); another administrator approves or rejects it, with a
/// reason; automatic refunds of payments that could not be credited are listed beside them.
extension StaffConsoleController {
    @Sendable func refundList(_ request: Request, context: Context) async throws -> Response {
        try await refundPage(request, context: context, error: nil, status: .ok)
    }

    func refundPage(
        _ request: Request, context: Context, error: String?, status: HTTPResponse.Status, orderID: String = ""
    ) async throws -> Response {
        let viewer = try context.signedInStaff
        let language = request.language
        let zh = language == .zh
        let filter = request.uri.queryParameters.get("status").flatMap { RefundStatus(rawValue: String($0)) }
        let names = Dictionary(try await staff.staff().map { ($0.id, $0.displayName) }, uniquingKeysWith: { first, _ in first })
        let rows: [[String: Any]] = try await refunds.refunds(status: filter, limit: 100).map { refund in
            let who =
                refund.requestedBy.map { names[$0] ?? $0 }
                ?? (refund.requestedBySubscriber != nil
                    ? (zh ? "用户本人（网上申请）" : "The subscriber (online)") : (zh ? "系统（自动）" : "System (automatic)"))
            var row: [String: Any] = [
                "id": refund.id, "orderID": refund.orderID, "amount": refund.amount.formatted,
                "status": Messages.refundStatus(of: refund, language),
                "statusClass": Messages.refundStatusClass(refund.status),
                "reason": Self.refundReason(refund, language), "requestedBy": who,
                "requestedAt": ISO8601.local(refund.requestedAt),
                "source": refund.source == .credit ? (zh ? "从号码余额扣回" : "from the line's balance") : (zh ? "未到账款项" : "never credited"),
            ]
            if let decider = refund.decidedBy, let at = refund.decidedAt {
                row["decided"] = "\(names[decider] ?? decider) · \(ISO8601.local(at))" + (refund.decisionReason.map { " · \($0)" } ?? "")
            }
            if let error = refund.lastError, refund.status == .processing || refund.status == .failed { row["lastError"] = error }
            row["canDecide"] = refund.status == .requested && viewer.role == .admin && refund.requestedBy != viewer.id
            row["canResolve"] = refund.status == .processing && refund.nextAttemptAt == nil && viewer.role == .admin
            if let resolver = refund.resolvedBy {
                row["resolved"] = "\(names[resolver] ?? resolver)" + (refund.resolutionReason.map { " · \($0)" } ?? "")
            }
            return row
        }
        var values: [String: Any] = [
            "heading": zh ? "退款" : "Refunds",
            "intro": zh
                ? "退款需两人完成：操作员或管理员提出，另一位管理员审批。批准后金额立即从号码余额扣回并按原支付方式退回；重复付款等未到账款项自动退回。"
                : "Two people make a refund: an operator or administrator asks, another administrator decides. On approval the amount leaves the line's balance at once and goes back the way it was paid; payments that were never credited are refunded automatically.",
            "refunds": rows, "none": rows.isEmpty, "noneText": zh ? "没有退款记录。" : "No refunds.",
            "requestHeading": zh ? "申请退款" : "Request a refund", "orderLabel": zh ? "订单号" : "Order no.",
            "amountLabel": zh ? "退款金额（元）" : "Amount (yuan)", "reasonLabel": zh ? "原因" : "Reason",
            "submit": zh ? "提交申请" : "Submit", "approveLabel": zh ? "批准" : "Approve", "rejectLabel": zh ? "驳回" : "Reject",
            "decisionLabel": zh ? "审批意见" : "Decision note", "orderID": orderID,
            // The "All" filter joins the statuses before they become rows (it rendered empty when it did not).
            "filters": ([("", zh ? "全部" : "All")] + RefundStatus.allCases.map { ($0.rawValue, Messages.refundStatus($0, language)) })
                .map { ["value": $0.0, "label": $0.1, "current": ($0.0 == (filter?.rawValue ?? ""))] },
            "requestedByLabel": zh ? "申请人" : "Requested by", "decidedLabel": zh ? "审批" : "Decided",
            "resolvedLabel": zh ? "人工核实" : "Checked by hand",
            "resolveNote": zh
                ? "支付机构的答复无法确定是否已退款，系统已停止查询。请向支付机构核实后处理："
                : "The provider's answer cannot tell whether money went back; asking has stopped. Check with the provider, then settle it:",
            "paidBackLabel": zh ? "已核实：已退款" : "Checked: paid back", "notPaidLabel": zh ? "已核实：未退款（退回余额）" : "Checked: not paid (give back)",
        ]
        if let error { values["error"] = error }
        return try page(
            request, context: context, title: zh ? "保号 · 退款" : "Baohao · Refunds", template: StaffTemplates.refunds, values: values,
            viewer: viewer, status: status)
    }

    /// Why a refund was made, as the console says it.
    static func refundReason(_ refund: Refund, _ language: Language) -> String {
        switch (refund.reason, language) {
        case ("second_payment_for_order", .zh): return "同一订单重复付款"
        case ("second_payment_for_order", .en): return "A second payment for one order"
        case ("line_not_rechargeable", .zh): return "号码已不能充值"
        case ("line_not_rechargeable", .en): return "The line no longer takes recharges"
        default: return refund.reason
        }
    }

    @Sendable func requestRefund(_ request: Request, context: Context) async throws -> Response {
        let viewer = try context.signedInStaff
        let form = try await CounterConsoleController<Context>.form(request)
        guard CSRFToken.isValid(request, form: form) else { return try SignInController<Context>.expiredPage(request, context: context) }
        let orderID = String((form["order_id"] ?? "").trimmingCharacters(in: .whitespaces).prefix(64))
        do {
            guard let amount = CounterConsoleController<Context>.fen(form["amount"]) else {
                throw DomainError.validation(ValidationError(field: "amount", reason: .invalidFormat, detail: "yuan, e.g. 50 or 12.50"))
            }
            let refund = try await refunds.request(orderID: orderID, amount: Money(amount, .cny), reason: form["reason"] ?? "", by: viewer)
            return Response(status: .seeOther, headers: [.location: "/staff/refunds?status=requested#\(refund.id)"])
        } catch {
            let (text, status) = Self.refundProblem(error, request.language)
            return try await refundPage(request, context: context, error: text, status: status, orderID: orderID)
        }
    }

    @Sendable func decideRefund(_ request: Request, context: Context) async throws -> Response {
        let viewer = try context.signedInStaff
        let form = try await CounterConsoleController<Context>.form(request)
        guard CSRFToken.isValid(request, form: form) else { return try SignInController<Context>.expiredPage(request, context: context) }
        let id = String(try context.parameters.require("id").prefix(65))
        let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            let refund: Refund
            if form["decision"] == "reject" {
                refund = try await refunds.reject(id: id, reason: reason, by: viewer)
            } else {
                refund = try await refunds.approve(id: id, reason: reason.isEmpty ? nil : reason, by: viewer)
            }
            return Response(status: .seeOther, headers: [.location: "/staff/refunds?status=\(refund.status.rawValue)#\(refund.id)"])
        } catch {
            let (text, status) = Self.refundProblem(error, request.language)
            return try await refundPage(request, context: context, error: text, status: status)
        }
    }

    @Sendable func resolveRefund(_ request: Request, context: Context) async throws -> Response {
        let viewer = try context.signedInStaff
        let form = try await CounterConsoleController<Context>.form(request)
        guard CSRFToken.isValid(request, form: form) else { return try SignInController<Context>.expiredPage(request, context: context) }
        let id = String(try context.parameters.require("id").prefix(65))
        do {
            let refund = try await refunds.resolve(
                id: id, paidBack: form["outcome"] == "succeeded", reason: form["reason"] ?? "", by: viewer)
            return Response(status: .seeOther, headers: [.location: "/staff/refunds?status=\(refund.status.rawValue)#\(refund.id)"])
        } catch {
            let (text, status) = Self.refundProblem(error, request.language)
            return try await refundPage(request, context: context, error: text, status: status)
        }
    }

    /// A refund refusal as a sentence, with the amount that could be refunded when there is one.
    static func refundProblem(_ error: any Error, _ language: Language) -> (String, HTTPResponse.Status) {
        var (text, status) = CounterConsoleController<Context>.problemText(error, language)
        switch error as? DomainError {
        case .refundNotCovered(let refundable), .refundExceedsPaid(let refundable):
            text += language == .zh ? "（目前最多可退 \(refundable.formatted)）" : " (at most \(refundable.formatted) now)"
        default: break
        }
        return (text, status)
    }
}
