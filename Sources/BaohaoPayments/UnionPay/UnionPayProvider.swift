import BaohaoDomain
import Foundation

/// UnionPay online payments (银联全渠道支付, ACP 5.1.0) for mainland bank cards.
///
/// - Payment: the payer opens `/pay/unionpay/{order}` on this server, which posts a signed
///   consume request (`txnType=01`) to UnionPay's `frontTransReq.do`. The request's `txnTime` is
///   kept as the payment reference because queries need it.
/// - Notification: the form posted to `backUrl`, verified (certificate chain, then signature),
///   merchant id, amount in fen and currency 156 checked; answered with HTTP 200.
/// - Query: `queryTrans.do` (`txnType=00`); refund: `backTransReq.do` (`txnType=04`), whose result
///   arrives later.
///
/// UnionPay order ids are letters and digits only: ours lose their `_` (`rc_01J…` → `rc01J…`).
public struct UnionPayProvider: PaymentProvider {
    public let name = "unionpay"
    public let methods: [PaymentMethod] = [.unionPay]
    let configuration: UnionPayConfiguration
    let http: any ProviderHTTPClient
    let clock: any WallClock
    static let maximumBodyBytes = 32 * 1024

    public init(configuration: UnionPayConfiguration, http: any ProviderHTTPClient, clock: any WallClock) {
        self.configuration = configuration
        self.http = http
        self.clock = clock
    }

    /// The front-end page and the form that page submits.
    public struct FrontForm: Sendable {
        public let action: String
        public let fields: [(String, String)]
    }

    public func createPayment(_ request: PaymentRequest) async throws -> PaymentSession {
        let txnTime = ChinaTime.formatCompact(clock.now())
        return PaymentSession(
            provider: name, payURL: "\(configuration.publicBaseURL)/pay/unionpay/\(request.orderID)", providerReference: txnTime)
    }

    /// The signed consume request the payer's browser posts to UnionPay.
    public func frontForm(_ request: PaymentRequest, txnTime: String) throws -> FrontForm {
        var fields = common(txnType: "01", subType: "01", bizType: "000201", channelType: "08")
        fields["orderId"] = Self.unionPayOrderID(request.orderID)
        fields["txnTime"] = txnTime
        fields["txnAmt"] = String(request.total.amountMinor)
        fields["currencyCode"] = "156"
        fields["frontUrl"] = request.returnURL
        fields["backUrl"] = request.notifyURL
        fields["payTimeout"] = ChinaTime.formatCompact(request.expiresAt)
        fields["signature"] = try UnionPaySignature.sign(fields, with: configuration.signingKey)
        return FrontForm(
            action: configuration.gatewayURL + "/gateway/api/frontTransReq.do",
            fields: FormEncoding.sortedFields(fields))
    }

    func common(txnType: String, subType: String, bizType: String, channelType: String) -> [String: String] {
        [
            "version": "5.1.0", "encoding": "UTF-8", "signMethod": "01", "txnType": txnType, "txnSubType": subType, "bizType": bizType,
            "channelType": channelType, "accessType": "0", "merId": configuration.merchantID, "certId": configuration.certID,
        ]
    }

    public func verifyNotification(_ notification: IncomingNotification, now: Date) async throws(NotificationRejection)
        -> PaymentEvent
    {
        guard notification.body.count <= Self.maximumBodyBytes else { throw NotificationRejection("body_too_large") }
        guard let fields = FormEncoding.dictionary(notification.body) else { throw NotificationRejection("malformed_body") }
        if let reason = UnionPaySignature.verify(fields, configuration: configuration, now: now) { throw NotificationRejection(reason) }
        let orderID = fields["orderId"].map(Self.baohaoOrderID)
        let queryID = fields["queryId"]
        func reject(_ reason: String) -> NotificationRejection { NotificationRejection(reason, eventID: queryID, orderID: orderID) }
        guard fields["merId"] == configuration.merchantID else { throw reject("wrong_merchant") }
        guard fields["txnType"] == "01" else {
            throw NotificationRejection("transaction_type_ignored", eventID: queryID, orderID: orderID, harmless: true)
        }
        guard let orderID, (1...64).contains(orderID.count), let queryID, (1...64).contains(queryID.count) else {
            throw reject("malformed_body")
        }
        guard fields["currencyCode"] == "156", let amountText = fields["txnAmt"], amountText.count <= 12, let amount = Int64(amountText),
            amount > 0
        else { throw reject("malformed_amount") }
        let outcome: PaymentEvent.Outcome = ["00", "A6"].contains(fields["respCode"] ?? "") ? .succeeded : .failed
        let paidAt = fields["txnTime"].flatMap(ChinaTime.parseCompact) ?? now
        return PaymentEvent(
            provider: name, eventID: queryID, orderID: orderID, providerTransactionID: queryID, outcome: outcome,
            amount: Money(amount, .cny), occurredAt: paidAt)
    }

    public func acknowledgement(_ outcome: NotificationAcknowledgement) -> NotificationReply {
        switch outcome {
        case .accepted: return NotificationReply(status: 200, contentType: "text/plain; charset=utf-8", body: "ok")
        case .rejected(let status, let reason):
            return NotificationReply(status: status, contentType: "text/plain; charset=utf-8", body: reason)
        }
    }

    public func queryPayment(_ query: PaymentQuery) async throws -> PaymentQueryResult {
        guard let txnTime = query.providerReference, ChinaTime.parseCompact(txnTime) != nil else { return .notFound }
        var fields = common(txnType: "00", subType: "00", bizType: "000000", channelType: "07")
        fields["orderId"] = Self.unionPayOrderID(query.orderID)
        fields["txnTime"] = txnTime
        let answer = try await call("/gateway/api/queryTrans.do", fields)
        switch answer["respCode"] {
        case "00": break
        case "34": return .notFound
        default: throw ProviderCallError.httpStatus(200, code: answer["respCode"])
        }
        switch answer["origRespCode"] {
        case "00", "A6":
            guard let queryID = answer["queryId"], let amount = answer["txnAmt"].flatMap({ Int64($0) }),
                answer["orderId"] == Self.unionPayOrderID(query.orderID)
            else { throw ProviderCallError.malformed("query answer") }
            return .paid(
                PaymentEvent(
                    provider: name, eventID: "query:\(queryID)", orderID: query.orderID, providerTransactionID: queryID,
                    outcome: .succeeded,
                    amount: Money(amount, .cny), occurredAt: ChinaTime.parseCompact(txnTime) ?? clock.now()))
        case "03", "04", "05": return .pending
        default: return .closed
        }
    }

    public func refund(_ request: RefundRequest) async throws -> RefundResult {
        var fields = common(txnType: "04", subType: "00", bizType: "000201", channelType: "07")
        fields["orderId"] = Self.unionPayOrderID(request.refundID)
        fields["origQryId"] = request.transactionID
        fields["txnTime"] = ChinaTime.formatCompact(request.requestedAt ?? clock.now())
        fields["txnAmt"] = String(request.amount.amountMinor)
        fields["backUrl"] = "\(configuration.publicBaseURL)/v1/payments/unionpay/notify"
        let answer = try await call("/gateway/api/backTransReq.do", fields)
        guard answer["respCode"] == "00" else { return .refused(code: answer["respCode"] ?? "unknown") }
        return .processing(providerRefundID: answer["queryId"] ?? request.refundID)
    }

    /// `queryTrans.do` for the refund's own order id and request time: `origRespCode` 00 paid back,
    /// 03/04/05 under way, anything else failed; respCode 34 (no such transaction) never arrived.
    public func queryRefund(_ request: RefundRequest, providerRefundID: String?) async throws -> RefundQueryResult {
        guard let requestedAt = request.requestedAt else { return .unknown(code: "no request time") }
        var fields = common(txnType: "00", subType: "00", bizType: "000000", channelType: "07")
        fields["orderId"] = Self.unionPayOrderID(request.refundID)
        fields["txnTime"] = ChinaTime.formatCompact(requestedAt)
        let answer = try await call("/gateway/api/queryTrans.do", fields)
        switch answer["respCode"] {
        case "00": break
        case "34": return .notFound
        default: throw ProviderCallError.httpStatus(200, code: answer["respCode"])
        }
        let id = answer["queryId"] ?? providerRefundID ?? request.refundID
        switch answer["origRespCode"] {
        case "00", "A6": return .succeeded(providerRefundID: id)
        case "03", "04", "05": return .processing(providerRefundID: id)
        case let code?: return .failed(code: code)
        case nil: return .unknown(code: "no origRespCode")
        }
    }

    /// Posts a signed back-end request and returns the verified answer's fields.
    func call(_ path: String, _ request: [String: String]) async throws -> [String: String] {
        var fields = request
        fields["signature"] = try UnionPaySignature.sign(fields, with: configuration.signingKey)
        let response = try await http.send(
            ProviderHTTPRequest(
                method: "POST", url: configuration.gatewayURL + path,
                headers: ["Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"],
                body: Array(FormEncoding.encode(FormEncoding.sortedFields(fields)).utf8)))
        guard response.status == 200 else { throw ProviderCallError.httpStatus(response.status, code: nil) }
        guard let answer = FormEncoding.dictionary(response.body) else { throw ProviderCallError.malformed("form") }
        guard UnionPaySignature.verify(answer, configuration: configuration, now: clock.now()) == nil else {
            throw ProviderCallError.badSignature
        }
        guard answer["merId"] == nil || answer["merId"] == configuration.merchantID else { throw ProviderCallError.malformed("merId") }
        return answer
    }

    /// `rc_01J…` → `rc01J…` (UnionPay allows letters and digits only).
    public static func unionPayOrderID(_ id: String) -> String {
        id.replacingOccurrences(of: "_", with: "")
    }

    /// `rc01J…` → `rc_01J…`: Baohao's ids are a letter prefix, `_`, then 26 base32 characters.
    static func baohaoOrderID(_ id: String) -> String {
        guard id.count > 26, !id.contains("_") else { return id }
        return String(id.dropLast(26)) + "_" + String(id.suffix(26))
    }
}
