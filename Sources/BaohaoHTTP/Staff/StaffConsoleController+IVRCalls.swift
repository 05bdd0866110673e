import BaohaoDomain
import Foundation
import Hummingbird

/// `/staff/ivr`: the hotline's recent calls for operators and administrators — when, the masked
/// caller, how it ended, the steps it reached and the order it paid (with the card's last 4).
extension StaffConsoleController {
    @Sendable func ivrCalls(_ request: Request, context: Context) async throws -> Response {
        let viewer = try context.signedInStaff
        let language = request.language
        let zh = language == .zh
        let rows: [[String: Any]] = try await ivr.recentCallsWithReceipts(limit: 200).map { call, receipt in
            [
                "id": call.id, "started": ISO8601.local(call.startedAt), "caller": call.callerMasked,
                "frontEnd": call.frontEnd == .twilio ? "Twilio" : "Asterisk",
                "outcome": Self.outcomeText(call.dialog.outcome, language),
                "outcomeClass": call.dialog.outcome == .recharged ? "ok" : call.dialog.outcome == .inProgress ? "wait" : "",
                "steps": call.dialog.steps.map { Self.stepText($0, language) }.joined(separator: " → "),
                "order": receipt != nil, "receipt": receipt ?? "", "card": call.cardLast4 ?? "", "hasCard": call.cardLast4 != nil,
            ]
        }
        return try page(
            request, context: context, title: zh ? "保号 · 热线通话" : "Baohao · Hotline calls", template: StaffTemplates.ivrCalls,
            values: [
                "heading": zh ? "自助服务热线通话记录" : "Self-service hotline calls",
                "intro": zh
                    ? "最近 200 通电话。来电号码已打码；银行卡只保留末四位。"
                    : "The latest 200 calls. Callers are masked; of a card only the last four digits are kept.",
                "calls": rows, "none": rows.isEmpty, "noneText": zh ? "还没有来电。" : "No calls yet.",
                "startedLabel": zh ? "来电时间" : "Started", "callerLabel": zh ? "来电号码" : "Caller",
                "outcomeLabel": zh ? "结果" : "Outcome", "stepsLabel": zh ? "经过步骤" : "Steps", "orderLabel": zh ? "收据" : "Receipt",
            ], viewer: viewer)
    }

    static func outcomeText(_ outcome: IVRCallOutcome, _ language: Language) -> String {
        let (zh, en): (String, String)
        switch outcome {
        case .inProgress: (zh, en) = ("通话中", "In progress")
        case .recharged: (zh, en) = ("充值成功", "Recharged")
        case .declined: (zh, en) = ("支付被拒", "Declined")
        case .paymentPending: (zh, en) = ("支付结果待确认", "Payment pending")
        case .balanceHeard: (zh, en) = ("查询余额", "Heard balance")
        case .endedByCaller: (zh, en) = ("来电者结束", "Ended by caller")
        case .hungUp: (zh, en) = ("中途挂机", "Hung up")
        case .noInput: (zh, en) = ("无按键超时", "No input")
        case .invalidInput: (zh, en) = ("多次输入错误", "Wrong keys")
        case .unavailable: (zh, en) = ("暂停服务", "Unavailable")
        }
        return language == .zh ? zh : en
    }

    static func stepText(_ step: IVRStep, _ language: Language) -> String {
        let (zh, en): (String, String)
        switch step {
        case .menu: (zh, en) = ("主菜单", "menu")
        case .numberEntry: (zh, en) = ("输入号码", "number")
        case .numberConfirm: (zh, en) = ("确认号码", "confirm number")
        case .amountEntry: (zh, en) = ("输入金额", "amount")
        case .amountConfirm: (zh, en) = ("确认金额", "confirm amount")
        case .paymentChoice: (zh, en) = ("选择支付", "payment")
        case .cardEntry: (zh, en) = ("输入卡号", "card")
        case .voucherEntry: (zh, en) = ("输入充值卡密码", "card PIN")
        case .connectorPayment: (zh, en) = ("平台收款", "connector")
        case .charging: (zh, en) = ("扣款", "charging")
        case .credited: (zh, en) = ("到账", "credited")
        case .declined: (zh, en) = ("被拒", "declined")
        case .balance: (zh, en) = ("余额", "balance")
        case .ended: (zh, en) = ("结束", "ended")
        }
        return language == .zh ? zh : en
    }
}
