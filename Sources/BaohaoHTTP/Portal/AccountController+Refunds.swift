import BaohaoDomain
import Foundation
import Hummingbird

/// 申请退款 from the signed-in order history: `/me/orders/{id}/refund` shows what can be refunded
/// now and asks for a reason; posting it queues the request for an administrator.
extension AccountController {
    /// The order, if it is on one of the account's lines.
    func ownedOrder(_ context: Context, session: SubscriberSession) async throws -> RechargeOrder? {
        let id = try context.parameters.require("id")
        guard id.count <= 64 else { return nil }
        do {
            let order = try await recharges.order(id: id)
            _ = try await subscribers.line(id: order.lineID, accountID: session.accountID)
            return order
        } catch DomainError.orderNotFound, DomainError.lineNotFound {
            return nil
        }
    }

    func refundPage(_ request: Request, context: Context, order: RechargeOrder, error: String?, status: HTTPResponse.Status) async throws
        -> Response
    {
        let language = request.language
        let zh = language == .zh
        let refundable = try await refunds.refundable(orderID: order.id)
        let waiting = try await refunds.refunds(orderID: order.id).contains { $0.status == .requested }
        var values: [String: Any] = [
            "heading": zh ? "申请退款" : "Ask for a refund", "orderID": order.id,
            "rows": [
                ["label": PageLayout.label("订单号", "Order no.", language), "value": order.id],
                ["label": PageLayout.label("充值号码", "Number", language), "value": order.msisdn.masked],
                ["label": PageLayout.label("实付金额", "Amount paid", language), "value": order.total.formatted],
                ["label": PageLayout.label("现在可退", "Refundable now", language), "value": refundable.formatted],
            ],
            "reasonLabel": zh ? "退款原因" : "Why", "submit": zh ? "提交申请" : "Submit",
            "note": zh
                ? "退款会从号码余额中扣回，并按原支付方式退回；管理员审核后办理。余额已用掉的部分不能退。"
                : "A refund is taken back from the number's balance and paid back the way it was paid, once an administrator approves. What the balance has already spent cannot be refunded.",
            "back": zh ? "返回充值记录" : "Back to recharges", "backHref": "/me/lines/\(order.lineID)",
            "canAsk": refundable.amountMinor > 0 && !waiting,
        ]
        if waiting { values["message"] = zh ? "您的退款申请正在等待审核。" : "Your refund request is waiting for approval." }
        if refundable.amountMinor == 0 && !waiting {
            values["message"] = zh ? "这笔充值现在没有可退的金额。" : "Nothing of this recharge can be refunded now."
        }
        if let error { values["error"] = error }
        return try page(
            request, context: context, title: zh ? "保号 · 申请退款" : "Baohao · Refund", template: AccountTemplates.refund, values: values,
            status: status)
    }

    @Sendable func refundForm(_ request: Request, context: Context) async throws -> Response {
        let session = try context.signedInSubscriber
        guard let order = try await ownedOrder(context, session: session) else { return try notFound(request, context: context) }
        return try await refundPage(request, context: context, order: order, error: nil, status: .ok)
    }

    @Sendable func requestRefund(_ request: Request, context: Context) async throws -> Response {
        let session = try context.signedInSubscriber
        let form = FormDecoding.decode(String(decoding: try await request.bodyBytes(limit: 4 * 1024), as: UTF8.self))
        guard CSRFToken.isValid(request, form: form) else { return try SignInController<Context>.expiredPage(request, context: context) }
        guard let order = try await ownedOrder(context, session: session) else { return try notFound(request, context: context) }
        do {
            _ = try await refunds.requestBySubscriber(
                orderID: order.id, lineID: order.lineID, reason: form["reason"] ?? "", accountID: session.accountID)
            return Response(status: .seeOther, headers: [.location: "/orders/\(order.id)"])
        } catch let error as DomainError {
            let language = request.language
            let text: String
            switch error {
            case .validation: text = language == .zh ? "请填写退款原因（200 字以内，一行）。" : "Give a reason (one line, at most 200 characters)."
            default: text = Messages.problemTitle(error.code, language)
            }
            return try await refundPage(request, context: context, order: order, error: text, status: Problem(error).status)
        }
    }
}
