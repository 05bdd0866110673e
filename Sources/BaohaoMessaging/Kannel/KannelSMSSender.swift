import AsyncHTTPClient
import BaohaoDomain
import CoreMetrics
import Crypto
import Foundation
import NIOCore

/// Kannel's smsbox HTTP interface (`/cgi-bin/sendsms`), with delivery reports to Baohao.
public struct KannelConfiguration: Sendable {
    /// e.g. `http://127.0.0.1:13013/cgi-bin/sendsms`
    public let sendURL: URL
    public let username: String
    public let password: String
    /// The sender id / service number shown to the subscriber.
    public let from: String
    /// Where Kannel reports delivery: `<public base URL>/v1/sms/dlr`.
    public let deliveryReportURL: String
    /// Signs the delivery report URL so only Kannel (which was given it) can report.
    public let callbackSecret: String

    public init(sendURL: URL, username: String, password: String, from: String, deliveryReportURL: String, callbackSecret: String) {
        self.sendURL = sendURL
        self.username = username
        self.password = password
        self.from = from
        self.deliveryReportURL = deliveryReportURL
        self.callbackSecret = callbackSecret
    }

    /// The token a delivery report for `reminderID` must carry.
    public static func token(reminderID: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("dlr:\(reminderID)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return Hex.encode(mac.prefix(16))
    }
}

/// Sends reminders as SMS through Kannel.
public struct KannelSMSSender: ReminderSender, TextMessageSender {
    public let channel = ReminderChannel.sms
    public let reportsDelivery = true
    let configuration: KannelConfiguration

    public init(configuration: KannelConfiguration) {
        self.configuration = configuration
    }

    /// The sendsms URL for a text (its query holds the password: never log it), with a delivery
    /// report URL when the sender wants one.
    func request(to msisdn: MSISDN, text: String, deliveryReportURL: String?) -> URL {
        var components = URLComponents(url: configuration.sendURL, resolvingAgainstBaseURL: false)!
        var items = [
            URLQueryItem(name: "username", value: configuration.username), URLQueryItem(name: "password", value: configuration.password),
            URLQueryItem(name: "from", value: configuration.from),
            URLQueryItem(name: "to", value: msisdn.e164.replacingOccurrences(of: "+86", with: "")),
            URLQueryItem(name: "text", value: text), URLQueryItem(name: "charset", value: "UTF-8"),
            URLQueryItem(name: "coding", value: "2"),
        ]
        if let deliveryReportURL {
            items += [URLQueryItem(name: "dlr-mask", value: "31"), URLQueryItem(name: "dlr-url", value: deliveryReportURL)]
        }
        components.queryItems = items
        // `+` in a query means a space to Kannel's decoder; encode everything but unreserved characters.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.url!
    }

    func request(for message: ReminderMessage) -> URL {
        let token = KannelConfiguration.token(reminderID: message.reminderID, secret: configuration.callbackSecret)
        let dlr = "\(configuration.deliveryReportURL)?reminder=\(message.reminderID)&token=\(token)&status=%d"
        return request(to: message.msisdn, text: message.text, deliveryReportURL: dlr)
    }

    /// One-time codes: no delivery report.
    public func sendText(to msisdn: MSISDN, text: String) async throws {
        try await submit(request(to: msisdn, text: text, deliveryReportURL: nil))
    }

    public func send(_ message: ReminderMessage) async throws(ReminderSendError) -> String? {
        try await submit(request(for: message))
        return nil
    }

    func submit(_ url: URL) async throws(ReminderSendError) {
        let status: Int
        let data: ByteBuffer
        do {
            let response = try await OutboundHTTP.client.execute(HTTPClientRequest(url: url.absoluteString), timeout: .seconds(15))
            status = Int(response.status.code)
            data = try await response.body.collect(upTo: 4096)
        } catch {
            // The kind of failure only: the URL carries the password.
            Self.gatewayError("unreachable")
            throw ReminderSendError(permanent: false, detail: "kannel unreachable: \(OutboundHTTP.reason(error))")
        }
        let answer = String(decoding: data.readableBytesView.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        switch status {
        case 200...299 where answer.hasPrefix("0:") || answer.hasPrefix("3:"):
            return
        case 400...499:
            Self.gatewayError("refused")
            throw ReminderSendError(permanent: status != 408 && status != 429, detail: "kannel \(status): \(answer.prefix(80))")
        default:
            Self.gatewayError(status >= 500 ? "server_error" : "unexpected_answer")
            throw ReminderSendError(permanent: false, detail: "kannel \(status): \(answer.prefix(80))")
        }
    }

    /// `baohao_sms_gateway_errors_total{kind}`: unreachable, refused (4xx), server_error (5xx),
    /// unexpected_answer (2xx without Kannel's `0:`/`3:`).
    static func gatewayError(_ kind: String) {
        Counter(label: "baohao_sms_gateway_errors_total", dimensions: [("kind", kind)]).increment()
    }
}
