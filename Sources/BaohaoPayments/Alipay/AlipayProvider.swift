import BaohaoDomain
import Foundation

/// Alipay (支付宝) over its open-platform gateway, RSA2 signatures both ways.
///
/// - Payment: a signed `alipay.trade.wap.pay` / `alipay.trade.page.pay` link the payer opens.
/// - Notification: a form POST, verified over the decoded fields (without `sign`, `sign_type` and
///   empty values, sorted by key), answered with plain `success`.
/// - Query and refund: `alipay.trade.query` and `alipay.trade.refund`, whose responses are
///   verified over the raw text of their `…_response` member.
public struct AlipayProvider: PaymentProvider {
    public let name = "alipay"
    public let methods: [PaymentMethod] = [.alipay]
    let configuration: AlipayConfiguration
    let http: any ProviderHTTPClient
    let clock: any WallClock
    static let maximumBodyBytes = 16 * 1024

    public init(configuration: AlipayConfiguration, http: any ProviderHTTPClient, clock: any WallClock) {
        self.configuration = configuration
        self.http = http
        self.clock = clock
    }

    public func createPayment(_ request: PaymentRequest) async throws -> PaymentSession {
        let product = configuration.product
        let business = try Self.json([
            "out_trade_no": request.orderID, "total_amount": request.total.decimalString, "subject": request.subject,
            "product_code": product.productCode, "time_expire": ChinaTime.formatDashed(request.expiresAt),
        ])
        let fields = try signedRequest(
            method: product.method, business: business,
            extra: ["notify_url": request.notifyURL, "return_url": request.returnURL])
        return PaymentSession(provider: name, payURL: configuration.gatewayURL + "?" + FormEncoding.encode(fields))
    }

    /// The common request parameters plus `biz_content`, signed over all of them but `sign`.
    func signedRequest(method: String, business: String, extra: [String: String] = [:]) throws -> [(String, String)] {
        var parameters: [String: String] = [
            "app_id": configuration.appID, "method": method, "format": "JSON", "charset": "utf-8", "sign_type": "RSA2",
            "timestamp": ChinaTime.formatDashed(clock.now()), "version": "1.0", "biz_content": business,
        ]
        parameters.merge(extra) { $1 }
        let signature = try RSAKeys.sign(Array(FormEncoding.signingString(parameters).utf8), with: configuration.privateKey)
        var fields = FormEncoding.sortedFields(parameters)
        fields.append(("sign", signature))
        return fields
    }

    public func verifyNotification(_ notification: IncomingNotification, now: Date) async throws(NotificationRejection)
        -> PaymentEvent
    {
        guard notification.body.count <= Self.maximumBodyBytes else { throw NotificationRejection("body_too_large") }
        guard var fields = FormEncoding.dictionary(notification.body) else { throw NotificationRejection("malformed_body") }
        guard let signature = fields.removeValue(forKey: "sign") else { throw NotificationRejection("missing_signature") }
        guard fields.removeValue(forKey: "sign_type") == "RSA2" else { throw NotificationRejection("bad_signature_type") }
        let signed = fields.filter { !$0.value.isEmpty }
        guard
            RSAKeys.verify(
                base64Signature: signature, message: Array(FormEncoding.signingString(signed).utf8), with: configuration.alipayPublicKey)
        else { throw NotificationRejection("bad_signature") }

        let orderID = fields["out_trade_no"]
        let eventID = fields["notify_id"]
        func reject(_ reason: String) -> NotificationRejection { NotificationRejection(reason, eventID: eventID, orderID: orderID) }
        guard fields["app_id"] == configuration.appID else { throw reject("wrong_merchant") }
        if let seller = configuration.sellerID, fields["seller_id"] != seller { throw reject("wrong_merchant") }
        guard let orderID, (1...64).contains(orderID.count), let tradeNo = fields["trade_no"], (1...64).contains(tradeNo.count) else {
            throw reject("malformed_body")
        }
        let outcome: PaymentEvent.Outcome
        switch fields["trade_status"] {
        case "TRADE_SUCCESS", "TRADE_FINISHED": outcome = .succeeded
        case "TRADE_CLOSED": outcome = .failed
        default: throw NotificationRejection("status_not_final", eventID: eventID, orderID: orderID, harmless: true)
        }
        guard let amountText = fields["total_amount"], let minor = DecimalAmount.minorUnits(amountText) else {
            throw reject("malformed_amount")
        }
        let paidAt = fields["gmt_payment"].flatMap(ChinaTime.parseDashed) ?? now
        return PaymentEvent(
            provider: name, eventID: eventID ?? tradeNo, orderID: orderID, providerTransactionID: tradeNo, outcome: outcome,
            amount: Money(minor, .cny), occurredAt: paidAt)
    }

    public func acknowledgement(_ outcome: NotificationAcknowledgement) -> NotificationReply {
        switch outcome {
        case .accepted: return NotificationReply(status: 200, contentType: "text/plain; charset=utf-8", body: "success")
        case .rejected(let status, _): return NotificationReply(status: status, contentType: "text/plain; charset=utf-8", body: "fail")
        }
    }

    public func queryPayment(_ query: PaymentQuery) async throws -> PaymentQueryResult {
        let response = try await call("alipay.trade.query", business: try Self.json(["out_trade_no": query.orderID]))
        if response["code"] as? String != "10000" {
            if response["sub_code"] as? String == "ACQ.TRADE_NOT_EXIST" { return .notFound }
            throw ProviderCallError.httpStatus(200, code: response["sub_code"] as? String ?? response["code"] as? String)
        }
        guard let tradeNo = response["trade_no"] as? String, response["out_trade_no"] as? String == query.orderID else {
            throw ProviderCallError.malformed("trade_no")
        }
        switch response["trade_status"] as? String {
        case "WAIT_BUYER_PAY": return .pending
        case "TRADE_CLOSED": return .closed
        case "TRADE_SUCCESS", "TRADE_FINISHED":
            guard let amount = (response["total_amount"] as? String).flatMap({ DecimalAmount.minorUnits($0) }) else {
                throw ProviderCallError.malformed("total_amount")
            }
            let paidAt = (response["send_pay_date"] as? String).flatMap(ChinaTime.parseDashed) ?? clock.now()
            return .paid(
                PaymentEvent(
                    provider: name, eventID: "query:\(tradeNo)", orderID: query.orderID, providerTransactionID: tradeNo,
                    outcome: .succeeded, amount: Money(amount, .cny), occurredAt: paidAt))
        default:
            throw ProviderCallError.malformed("trade_status")
        }
    }

    public func refund(_ request: RefundRequest) async throws -> RefundResult {
        let business = try Self.json([
            "trade_no": request.transactionID, "refund_amount": request.amount.decimalString, "out_request_no": request.refundID,
            "refund_reason": request.reason,
        ])
        let response = try await call("alipay.trade.refund", business: business)
        guard response["code"] as? String == "10000" else {
            return .refused(code: response["sub_code"] as? String ?? response["code"] as? String ?? "unknown")
        }
        return .succeeded(providerRefundID: response["trade_no"] as? String ?? request.transactionID)
    }

    /// `alipay.trade.fastpay.refund.query` under our `out_request_no`: a refund that happened answers
    /// `refund_status` `REFUND_SUCCESS`; one Alipay never made answers without it.
    public func queryRefund(_ request: RefundRequest, providerRefundID: String?) async throws -> RefundQueryResult {
        let business = try Self.json(["trade_no": request.transactionID, "out_request_no": request.refundID])
        let response = try await call("alipay.trade.fastpay.refund.query", business: business)
        guard response["code"] as? String == "10000" else {
            throw ProviderCallError.httpStatus(200, code: response["sub_code"] as? String ?? response["code"] as? String)
        }
        switch response["refund_status"] as? String {
        case "REFUND_SUCCESS": return .succeeded(providerRefundID: response["trade_no"] as? String ?? request.transactionID)
        case nil: return .notFound
        case let other?: return .unknown(code: other)
        }
    }

    /// Calls the gateway and returns the verified `…_response` object.
    func call(_ method: String, business: String) async throws -> [String: Any] {
        let fields = try signedRequest(method: method, business: business)
        let response = try await http.send(
            ProviderHTTPRequest(
                method: "POST", url: configuration.gatewayURL,
                headers: ["Content-Type": "application/x-www-form-urlencoded;charset=utf-8"],
                body: Array(FormEncoding.encode(fields).utf8)))
        guard response.status == 200 else { throw ProviderCallError.httpStatus(response.status, code: nil) }
        let key = method.replacingOccurrences(of: ".", with: "_") + "_response"
        guard let raw = RawJSON.value(of: key, in: response.body),
            let envelope = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
            let object = envelope[key] as? [String: Any]
        else { throw ProviderCallError.malformed(key) }
        // Alipay signs successful answers; an error answer without a signature still says nothing trusted.
        guard let signature = envelope["sign"] as? String else {
            if object["code"] as? String == "10000" { throw ProviderCallError.badSignature }
            return object
        }
        guard RSAKeys.verify(base64Signature: signature, message: raw, with: configuration.alipayPublicKey) else {
            throw ProviderCallError.badSignature
        }
        return object
    }

    static func json(_ object: [String: String]) throws -> String {
        String(
            decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }
}
