import BaohaoDomain
import BaohaoHTTP
import BaohaoPayments
import BaohaoSecurity
import BaohaoTestSupport
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Prometheus
import Testing

/// The sandbox secret and admin token every HTTP test uses.
let sandboxSecret = "test-sandbox-secret-0123456789"
let adminToken = "test-admin-token-abcdef"
let twilioAuthToken = "test-twilio-auth-token-0123456789"

/// A response read as a user of the API would: status, headers, JSON.
struct Reply: @unchecked Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let text: String
    /// The body as sent (for binary bodies such as PDFs).
    var bytes: [UInt8] = []

    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
    var array: [[String: Any]] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: Any]] ?? [] }
    var contentType: String { headers[.contentType] ?? "" }
}

/// Collects log lines so a test can check what reached the logs.
final class LogCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }

    var logger: Logger {
        Logger(label: "test") { _ in CollectingHandler(collector: self) }
    }

    struct CollectingHandler: LogHandler {
        let collector: LogCollector
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            collector.append("\(event.message) \(merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
        }
    }
}

/// The USSD gateway's shared secret in tests.
let ussdSecret = "test-ussd-secret-0123456789"

/// An app built in-process on a fresh database, and the calls a payer, a provider and an operator make.
struct Harness: Sendable {
    let client: any TestClientProtocol
    let services: AppServices
    let clock: ManualWallClock
    let logs: LogCollector

    /// Runs `body` against a fresh app on `database`; `live` starts a real server on a free port.
    static func run(
        _ database: TestDatabase, live: Bool = false, relay: RelayTransport? = nil,
        callbacks: any CallbackTransport = UnreachableCallbackTransport(),
        _ body: @escaping @Sendable (Harness) async throws -> Void
    ) async throws {
        let clock = Fixtures.clock()
        let logs = LogCollector()
        try await withTestStore(database) { store in
            let sandbox = SandboxProvider(secret: sandboxSecret, publicBaseURL: "http://127.0.0.1")
            let gateway = relay.map {
                SandboxGateway(
                    provider: sandbox, transport: $0, notifyURL: "/v1/payments/sandbox/notify", initialDelay: .milliseconds(10),
                    clock: clock, logger: logs.logger)
            }
            let services = AppServices(
                store: store, clock: clock, payments: PaymentProviderRegistry([sandbox]), sandboxGateway: gateway,
                adminToken: adminToken, publicBaseURL: "http://127.0.0.1", orderTimeToLive: 30 * 60,
                passwordHasher: Bcrypt(cost: 4), idHashKey: Data("test-id-hash-key-0123456789abcdef".utf8),
                codeSchedule: CodePaymentSchedule(queryDelays: Array(repeating: .zero, count: 4), queriesBeforeAnswering: 2),
                twilioAuthToken: twilioAuthToken, callbackTransport: callbacks,
                voucherKey: Data("test-voucher-key-0123456789abcdef0123".utf8),
                ussdSecret: ussdSecret)
            try await Fixtures.seedLine(store, balance: 2350, clock: clock)
            let app = Application(router: buildRouter(services: services), logger: logs.logger)
            try await app.test(live ? .live : .router) { client in
                try await body(Harness(client: client, services: services, clock: clock, logs: logs))
            }
            await gateway?.shutdown()
        }
    }

    @discardableResult
    func call(_ method: HTTPRequest.Method, _ uri: String, body: String? = nil, headers: HTTPFields = [:]) async throws -> Reply {
        var headers = headers
        if body != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        let response = try await client.executeRequest(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        return Reply(
            status: response.status, headers: response.headers, text: String(buffer: response.body),
            bytes: Array(response.body.readableBytesView))
    }

    func admin(_ method: HTTPRequest.Method, _ uri: String, body: String? = nil, contentType: String? = nil) async throws -> Reply {
        var headers: HTTPFields = [.authorization: "Bearer \(adminToken)"]
        if let contentType { headers[.contentType] = contentType }
        return try await call(method, uri, body: body, headers: headers)
    }

    /// `POST /v1/recharges` as a payer would.
    func recharge(_ msisdn: String = "13800138000", amountMinor: Int64 = 5000, key: String = UUID().uuidString, method: String = "sandbox")
        async throws -> Reply
    {
        try await call(
            .post, "/v1/recharges",
            body:
                #"{"msisdn":"\#(msisdn)","amount":{"amount":\#(amountMinor),"currency":"CNY"},"channel":"online","payment_method":"\#(method)"}"#,
            headers: [.init("Idempotency-Key")!: key])
    }

    /// A sandbox notification, signed independently of the product's code: HMAC-SHA256 over "t.body".
    func notify(
        orderID: String, transactionID: String? = nil, status: String = "succeeded", amountMinor: Int64 = 5000, currency: String = "CNY",
        eventID: String = UUID().uuidString, secret: String = sandboxSecret, timestampOffset: Int64 = 0, signature: String? = nil,
        paidAt: String = "2026-11-24T12:00:00Z"
    ) async throws -> Reply {
        let body =
            #"{"event_id":"\#(eventID)","order_id":"\#(orderID)","provider_txn_id":"\#(transactionID ?? "txn-" + orderID)","status":"\#(status)","amount":{"amount":\#(amountMinor),"currency":"\#(currency)"},"paid_at":"\#(paidAt)"}"#
        let t = Int64(clock.now().timeIntervalSince1970) + timestampOffset
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(t).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        let header = signature ?? "t=\(t),v1=\(mac.map { String(format: "%02x", $0) }.joined())"
        return try await call(.post, "/v1/payments/sandbox/notify", body: body, headers: [.init("Baohao-Signature")!: header])
    }

    /// The line as the operator sees it.
    func line(_ msisdn: String = "13800138000") async throws -> [String: Any] {
        try await admin(.get, "/v1/admin/lines/\(msisdn)").json
    }

    func balance(_ msisdn: String = "13800138000") async throws -> Int {
        (try await line(msisdn)["balance"] as? [String: Any])?["amount"] as? Int ?? -1
    }

    func orders(_ msisdn: String = "13800138000") async throws -> [[String: Any]] {
        try await admin(.get, "/v1/admin/lines/\(msisdn)/orders").array
    }

    /// Turns a channel on with the rules it has (its defaults until set).
    func enableChannel(_ name: String) async throws {
        var rules = try #require(try await admin(.get, "/v1/admin/channels").array.first { $0["channel"] as? String == name })
        for key in ["channel", "version", "updated_at", "updated_by"] { rules.removeValue(forKey: key) }
        rules["enabled"] = true
        let body = String(decoding: try JSONSerialization.data(withJSONObject: rules), as: UTF8.self)
        let reply = try await admin(.put, "/v1/admin/channels/\(name)", body: body)
        #expect(reply.status == .ok, "\(reply.text)")
    }

    func verify() async throws -> [String: Any] {
        try await admin(.post, "/v1/admin/verify").json
    }
}

/// A notification transport whose destination a test sets once the app is running.
actor RelayTransport: NotificationTransport {
    private var target: (@Sendable (String, [UInt8], [String: String]) async throws -> Int)?
    private(set) var delivered = 0

    func connect(_ target: @escaping @Sendable (String, [UInt8], [String: String]) async throws -> Int) {
        self.target = target
    }

    nonisolated func post(url: String, body: [UInt8], headers: [String: String]) async throws -> Int {
        guard let target = await self.target else { return 503 }
        let status = try await target(url, body, headers)
        await count()
        return status
    }

    private func count() { delivered += 1 }
}
