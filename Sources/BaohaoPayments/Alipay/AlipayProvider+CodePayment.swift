import BaohaoDomain
import Foundation

/// Alipay payment codes (当面付 条码支付): `alipay.trade.pay` with `scene=bar_code` and the scanned
/// `auth_code`; `10003` means the payer is confirming in the app, `alipay.trade.query` follows it,
/// and `alipay.trade.cancel` closes (or refunds) one that never completes.
extension AlipayProvider: CodePaymentGateway {
    public var method: PaymentMethod { .alipay }
    public var wallets: Set<CodeWallet> { [.alipay] }

    public func charge(_ request: CodePaymentRequest) async throws -> CodePaymentOutcome {
        let business = try Self.json([
            "out_trade_no": request.orderID, "scene": "bar_code", "auth_code": request.code, "subject": request.subject,
            "total_amount": request.total.decimalString, "store_id": request.outletCode, "timeout_express": "2m",
        ])
        let response = try await call("alipay.trade.pay", business: business)
        switch response["code"] as? String {
        case "10000":
            guard let tradeNo = response["trade_no"] as? String, response["out_trade_no"] as? String == request.orderID,
                let amount = (response["total_amount"] as? String).flatMap({ DecimalAmount.minorUnits($0) })
            else { throw ProviderCallError.malformed("trade_no") }
            let paidAt = (response["gmt_payment"] as? String).flatMap(ChinaTime.parseDashed) ?? clock.now()
            return .paid(
                PaymentEvent(
                    provider: name, eventID: "pay:\(tradeNo)", orderID: request.orderID, providerTransactionID: tradeNo,
                    outcome: .succeeded, amount: Money(amount, request.total.currency), occurredAt: paidAt))
        case "10003": return .userPaying
        case "40004": return .declined(reason: response["sub_code"] as? String ?? "ACQ.TRADE_FAILED")
        default: return .unknown
        }
    }

    public func cancelCharge(orderID: String) async throws -> Bool {
        let response = try await call("alipay.trade.cancel", business: try Self.json(["out_trade_no": orderID]))
        return response["code"] as? String == "10000" && response["retry_flag"] as? String != "Y"
    }
}
