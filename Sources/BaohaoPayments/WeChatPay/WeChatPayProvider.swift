import BaohaoDomain
import Foundation

/// WeChat Pay (微信支付) API v3: Native (QR code) payments, and H5 payments for phone browsers.
///
/// - Payment: `POST /v3/pay/transactions/native` returns a `code_url` shown as a QR code; from a
///   phone's browser, `POST /v3/pay/transactions/h5` with the payer's IP returns an `h5_url` that
///   opens WeChat to pay and then returns to the order page.
/// - Notification: `Wechatpay-*` headers verified over the raw body with the platform key inside
///   a ±5 min window, then the `resource` decrypted (AES-256-GCM, APIv3 key) and checked.
///   Answered 204, or an error status with `{"code":"FAIL",…}`.
/// - Query: `GET /v3/pay/transactions/out-trade-no/{id}`; refund: `POST /v3/refund/domestic/refunds`.
///   Every answer's signature is verified before it is believed.
public struct WeChatPayProvider: PaymentProvider {
    public let name = "wechatpay"
    public let methods: [PaymentMethod] = [.wechatPay]
    let configuration: WeChatPayConfiguration
    let http: any ProviderHTTPClient
    let clock: any WallClock
    static let maximumBodyBytes = 16 * 1024

    public init(configuration: WeChatPayConfiguration, http: any ProviderHTTPClient, clock: any WallClock) {
        self.configuration = configuration
        self.http = http
        self.clock = clock
    }

    public func createPayment(_ request: PaymentRequest) async throws -> PaymentSession {
        var body: [String: Any] = [
            "appid": configuration.appID, "mchid": configuration.merchantID, "description": Self.truncated(request.subject, bytes: 127),
            "out_trade_no": request.orderID, "time_expire": ChinaTime.formatRFC3339(request.expiresAt), "notify_url": request.notifyURL,
            "amount": ["total": request.total.amountMinor, "currency": request.total.currency.code],
        ]
        if configuration.h5Enabled, let payer = request.payer, payer.kind == .phoneBrowser, let address = payer.ipAddress {
            body["scene_info"] = ["payer_client_ip": address, "h5_info": ["type": "Wap"]]
            let response = try await call("POST", "/v3/pay/transactions/h5", body: body)
            let (status, object) = (response.status, Self.object(response))
            if status == 200, let h5URL = object["h5_url"] as? String, h5URL.hasPrefix("https://") {
                return PaymentSession(provider: name, payURL: Self.h5URL(h5URL, returningTo: request.returnURL))
            }
            // A merchant not granted H5 gets NO_AUTH: the payer can still scan a QR code.
            guard status == 403, object["code"] as? String == "NO_AUTH" else {
                throw ProviderCallError.httpStatus(status, code: object["code"] as? String)
            }
            body["scene_info"] = nil
        }
        let response = try await call("POST", "/v3/pay/transactions/native", body: body)
        let (status, object) = (response.status, Self.object(response))
        guard status == 200, let codeURL = object["code_url"] as? String, codeURL.hasPrefix("weixin://") else {
            throw ProviderCallError.httpStatus(status, code: object["code"] as? String)
        }
        return PaymentSession(provider: name, payURL: nil, qrCode: codeURL)
    }

    /// WeChat's H5 page, told where to send the payer afterwards (`redirect_url`, percent-encoded).
    static func h5URL(_ h5URL: String, returningTo returnURL: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = returnURL.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        return h5URL + (h5URL.contains("?") ? "&" : "?") + "redirect_url=" + encoded
    }

    struct Envelope: Decodable {
        struct Resource: Decodable {
            let algorithm: String
            let ciphertext: String
            let nonce: String
            let associatedData: String?

            enum CodingKeys: String, CodingKey {
                case algorithm, ciphertext, nonce
                case associatedData = "associated_data"
            }
        }
        let id: String
        let eventType: String
        let resource: Resource

        enum CodingKeys: String, CodingKey {
            case id, resource
            case eventType = "event_type"
        }
    }

    struct Transaction: Decodable {
        struct Amount: Decodable {
            let total: Int64?
            let currency: String?
        }
        let mchid: String
        let appid: String
        let outTradeNo: String
        let transactionID: String?
        var tradeState: String
        let amount: Amount?
        let successTime: String?

        enum CodingKeys: String, CodingKey {
            case mchid, appid, amount
            case outTradeNo = "out_trade_no"
            case transactionID = "transaction_id"
            case tradeState = "trade_state"
            case successTime = "success_time"
        }
    }

    public func verifyNotification(_ notification: IncomingNotification, now: Date) async throws(NotificationRejection)
        -> PaymentEvent
    {
        switch try await verifyNotice(notification, now: now) {
        case .payment(let event): return event
        case .refund(let notice): throw NotificationRejection("refund_notification", eventID: notice.eventID)
        }
    }

    /// Payment (`TRANSACTION.*`) and refund (`REFUND.*`) notifications come signed the same way,
    /// with an encrypted resource; the envelope's `event_type` says which.
    public func verifyNotice(_ notification: IncomingNotification, now: Date) async throws(NotificationRejection) -> ProviderNotice {
        guard notification.body.count <= Self.maximumBodyBytes else { throw NotificationRejection("body_too_large") }
        if let reason = WeChatPaySignature.verify(
            headers: notification.headers, body: notification.body, now: now, configuration: configuration)
        {
            throw NotificationRejection(reason)
        }
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(notification.body)), envelope.id.count <= 128 else {
            throw NotificationRejection("malformed_body")
        }
        guard envelope.resource.algorithm == "AEAD_AES_256_GCM",
            let plain = WeChatPaySignature.decrypt(
                ciphertext: envelope.resource.ciphertext, nonce: envelope.resource.nonce,
                associatedData: envelope.resource.associatedData ?? "", key: configuration.apiV3Key)
        else { throw NotificationRejection("undecryptable_resource", eventID: envelope.id) }
        if envelope.eventType.hasPrefix("REFUND.") { return .refund(try refundNotice(plain, eventID: envelope.id)) }
        guard let transaction = try? JSONDecoder().decode(Transaction.self, from: Data(plain)) else {
            throw NotificationRejection("malformed_resource", eventID: envelope.id)
        }
        return .payment(try event(transaction, eventID: envelope.id, now: now))
    }

    /// A refund notification's decrypted resource: ours (merchant), which refund, how it ended.
    struct RefundResource: Decodable {
        let mchid: String
        let outTradeNo: String?
        let outRefundNo: String
        let refundID: String?
        let refundStatus: String

        enum CodingKeys: String, CodingKey {
            case mchid
            case outTradeNo = "out_trade_no", outRefundNo = "out_refund_no", refundID = "refund_id", refundStatus = "refund_status"
        }
    }

    func refundNotice(_ plain: [UInt8], eventID: String) throws(NotificationRejection) -> RefundNotice {
        guard let resource = try? JSONDecoder().decode(RefundResource.self, from: Data(plain)),
            (1...64).contains(resource.outRefundNo.count), (resource.refundID?.count ?? 0) <= 64
        else { throw NotificationRejection("malformed_resource", eventID: eventID) }
        guard resource.mchid == configuration.merchantID else {
            throw NotificationRejection("wrong_merchant", eventID: eventID, orderID: resource.outTradeNo.map { String($0.prefix(64)) })
        }
        let outcome: RefundNotice.Outcome
        switch resource.refundStatus {
        case "SUCCESS": outcome = .succeeded
        case "CLOSED": outcome = .failed(code: "CLOSED")
        case "ABNORMAL": outcome = .unclear(code: "ABNORMAL")
        default: outcome = .processing
        }
        return RefundNotice(
            provider: name, eventID: eventID, refundID: resource.outRefundNo, providerRefundID: resource.refundID, outcome: outcome)
    }

    /// A verified transaction as a payment event: ours, final, amount in fen.
    func event(_ transaction: Transaction, eventID: String, now: Date) throws(NotificationRejection) -> PaymentEvent {
        func reject(_ reason: String) -> NotificationRejection {
            NotificationRejection(reason, eventID: eventID, orderID: String(transaction.outTradeNo.prefix(64)))
        }
        guard transaction.mchid == configuration.merchantID, transaction.appid == configuration.appID else {
            throw reject("wrong_merchant")
        }
        guard (1...64).contains(transaction.outTradeNo.count), let transactionID = transaction.transactionID,
            (1...64).contains(transactionID.count)
        else { throw reject("malformed_resource") }
        let outcome: PaymentEvent.Outcome
        switch transaction.tradeState {
        case "SUCCESS": outcome = .succeeded
        case "PAYERROR", "CLOSED", "REVOKED": outcome = .failed
        default:
            throw NotificationRejection("status_not_final", eventID: eventID, orderID: transaction.outTradeNo, harmless: true)
        }
        guard let total = transaction.amount?.total, let code = transaction.amount?.currency, let currency = Currency(code: code) else {
            throw reject("malformed_amount")
        }
        let paidAt = transaction.successTime.flatMap(Timestamp.parse) ?? now
        return PaymentEvent(
            provider: name, eventID: eventID, orderID: transaction.outTradeNo, providerTransactionID: transactionID, outcome: outcome,
            amount: Money(total, currency), occurredAt: paidAt)
    }

    public func acknowledgement(_ outcome: NotificationAcknowledgement) -> NotificationReply {
        switch outcome {
        case .accepted:
            return NotificationReply(status: 204, contentType: nil, body: "")
        case .rejected(let status, _):
            return NotificationReply(status: status, contentType: "application/json", body: #"{"code":"FAIL","message":"失败"}"#)
        }
    }

    public func queryPayment(_ query: PaymentQuery) async throws -> PaymentQueryResult {
        let path = "/v3/pay/transactions/out-trade-no/\(FormEncoding.escape(query.orderID))?mchid=\(configuration.merchantID)"
        let response = try await call("GET", path, body: nil)
        if response.status == 404 { return .notFound }
        guard response.status == 200, let transaction = try? JSONDecoder().decode(Transaction.self, from: Data(response.body)),
            transaction.outTradeNo == query.orderID
        else { throw ProviderCallError.httpStatus(response.status, code: Self.object(response)["code"] as? String) }
        switch transaction.tradeState {
        case "NOTPAY", "USERPAYING": return .pending
        case "CLOSED", "REVOKED", "PAYERROR": return .closed
        case "SUCCESS", "REFUND":
            // A refunded trade was paid first: the payment itself is what the reconciler applies.
            var paid = transaction
            paid.tradeState = "SUCCESS"
            let event = try event(paid, eventID: "query:\(transaction.transactionID ?? query.orderID)", now: clock.now())
            return .paid(event)
        default:
            throw ProviderCallError.malformed("trade_state")
        }
    }

    public func refund(_ request: RefundRequest) async throws -> RefundResult {
        let body: [String: Any] = [
            "transaction_id": request.transactionID, "out_refund_no": request.refundID, "reason": Self.truncated(request.reason, bytes: 80),
            "amount": [
                "refund": request.amount.amountMinor, "total": request.paymentTotal.amountMinor, "currency": request.amount.currency.code,
            ],
        ]
        let response = try await call("POST", "/v3/refund/domestic/refunds", body: body)
        let (status, object) = (response.status, Self.object(response))
        guard status == 200, let refundID = object["refund_id"] as? String else {
            return .refused(code: object["code"] as? String ?? "HTTP_\(status)")
        }
        switch object["status"] as? String {
        case "SUCCESS": return .succeeded(providerRefundID: refundID)
        case "PROCESSING": return .processing(providerRefundID: refundID)
        default: return .refused(code: object["status"] as? String ?? "UNKNOWN")
        }
    }

    /// `GET /v3/refund/domestic/refunds/{out_refund_no}`: the refund's state under our id.
    public func queryRefund(_ request: RefundRequest, providerRefundID: String?) async throws -> RefundQueryResult {
        let id = request.refundID.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? request.refundID
        let response = try await call("GET", "/v3/refund/domestic/refunds/\(id)", body: nil)
        let object = Self.object(response)
        if response.status == 404 { return .notFound }
        guard response.status == 200, let refundID = object["refund_id"] as? String else {
            throw ProviderCallError.httpStatus(response.status, code: object["code"] as? String)
        }
        switch object["status"] as? String {
        case "SUCCESS": return .succeeded(providerRefundID: refundID)
        case "PROCESSING": return .processing(providerRefundID: refundID)
        case "CLOSED", "ABNORMAL": return .failed(code: object["status"] as! String)
        default: return .unknown(code: object["status"] as? String ?? "UNKNOWN")
        }
    }

    /// A signed API call; the answer is returned only once its signature is verified.
    func call(_ method: String, _ pathAndQuery: String, body: [String: Any]?) async throws -> ProviderHTTPResponse {
        let bytes =
            try body.map { Array(try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys, .withoutEscapingSlashes])) } ?? []
        let authorization = try WeChatPaySignature.authorization(
            method: method, pathAndQuery: pathAndQuery, body: bytes, timestamp: Int64(clock.now().timeIntervalSince1970),
            nonce: WeChatPaySignature.nonce(), configuration: configuration)
        var headers = ["Authorization": authorization, "Accept": "application/json", "User-Agent": "baohao"]
        if body != nil { headers["Content-Type"] = "application/json" }
        let response = try await http.send(
            ProviderHTTPRequest(method: method, url: configuration.baseURL + pathAndQuery, headers: headers, body: bytes))
        if response.status < 500 {
            if WeChatPaySignature.verify(headers: response.headers, body: response.body, now: clock.now(), configuration: configuration)
                != nil
            {
                throw ProviderCallError.badSignature
            }
        } else {
            throw ProviderCallError.httpStatus(response.status, code: nil)
        }
        return response
    }

    /// A verified answer's JSON object; empty when the body is empty or not an object.
    static func object(_ response: ProviderHTTPResponse) -> [String: Any] {
        response.body.isEmpty ? [:] : (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }

    /// At most `bytes` UTF-8 bytes, cut on a character boundary.
    static func truncated(_ text: String, bytes: Int) -> String {
        var result = ""
        for character in text {
            if result.utf8.count + String(character).utf8.count > bytes { break }
            result.append(character)
        }
        return result
    }
}
