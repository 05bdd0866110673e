import BaohaoDomain
import Foundation

/// WeChat Pay payment codes over APIv3: `POST /v3/pay/transactions/codepay` with the scanned
/// `auth_code`; `USERPAYING` means the payer is confirming, the order query follows it, and
/// `…/out-trade-no/{no}/reverse` cancels (or refunds) one that never completes.
extension WeChatPayProvider: CodePaymentGateway {
    public var method: PaymentMethod { .wechatPay }
    public var wallets: Set<CodeWallet> { [.wechat] }

    /// Error codes after which nothing was taken; anything else unknown is asked again.
    static let declines: Set<String> = [
        "NOT_ENOUGH", "NOTENOUGH", "AUTH_CODE_INVALID", "AUTHCODEEXPIRE", "AUTH_CODE_EXPIRE", "BUYER_MISMATCH", "TRADE_ERROR",
        "PAYER_ACCOUNT_ABNORMAL", "NO_AUTH", "ORDER_CLOSED", "INVALID_REQUEST", "PARAM_ERROR", "RULE_LIMIT",
    ]

    public func charge(_ request: CodePaymentRequest) async throws -> CodePaymentOutcome {
        let body: [String: Any] = [
            "appid": configuration.appID, "mchid": configuration.merchantID, "description": Self.truncated(request.subject, bytes: 127),
            "out_trade_no": request.orderID, "payer": ["auth_code": request.code],
            "amount": ["total": request.total.amountMinor, "currency": request.total.currency.code],
            "scene_info": ["store_info": ["out_id": request.outletCode]],
        ]
        let response: ProviderHTTPResponse
        do { response = try await call("POST", "/v3/pay/transactions/codepay", body: body) } catch ProviderCallError.httpStatus {
            return .unknown
        }
        let object = Self.object(response)
        if response.status == 200, object["trade_state"] as? String == "SUCCESS",
            let transaction = try? JSONDecoder().decode(Transaction.self, from: Data(response.body)),
            transaction.outTradeNo == request.orderID
        {
            return .paid(try event(transaction, eventID: "pay:\(transaction.transactionID ?? request.orderID)", now: clock.now()))
        }
        let code = object["code"] as? String ?? object["trade_state"] as? String ?? ""
        if code == "USERPAYING" || response.status == 202 { return .userPaying }
        if Self.declines.contains(code) { return .declined(reason: code) }
        return .unknown
    }

    public func cancelCharge(orderID: String) async throws -> Bool {
        let body: [String: Any] = ["appid": configuration.appID, "mchid": configuration.merchantID]
        let response = try await call("POST", "/v3/pay/transactions/out-trade-no/\(FormEncoding.escape(orderID))/reverse", body: body)
        return response.status == 200 || response.status == 204
    }
}
