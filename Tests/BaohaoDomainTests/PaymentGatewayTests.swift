import BaohaoDomain
import BaohaoTestSupport
import Foundation
import Testing

/// A provider behind the domain's ``PaymentGateway`` port, scripted by the test.
final class ScriptedGateway: PaymentGateway, @unchecked Sendable {
    let name = "sandbox"
    let methods: [PaymentMethod] = [.sandbox]
    private let lock = NSLock()
    private var starts: [PaymentRequest] = []
    private var failing = false
    private var answer: PaymentQueryResult = .pending

    var started: [PaymentRequest] { lock.withLock { starts } }
    func fail(_ value: Bool) { lock.withLock { failing = value } }
    func answer(_ value: PaymentQueryResult) { lock.withLock { answer = value } }

    func createPayment(_ request: PaymentRequest) async throws -> PaymentSession {
        try lock.withLock {
            if failing { throw URLError(.timedOut) }
            starts.append(request)
            return PaymentSession(
                provider: name, payURL: "https://pay.example/\(request.orderID)", providerReference: "ref-\(starts.count)")
        }
    }

    func queryPayment(_ query: PaymentQuery) async throws -> PaymentQueryResult { lock.withLock { answer } }

    func refund(_ request: RefundRequest) async throws -> RefundResult { throw ProviderUnsupported("refund") }
}

/// Starting a payment and recovering a lost notification are domain use cases over the gateway
/// port: tested here on the in-memory store, without HTTP or a provider.
@Suite("Payment gateway use cases")
struct PaymentGatewayTests {
    let clock = Fixtures.clock()

    func order(_ store: any BaohaoDatabase) async throws -> RechargeOrder {
        try await Fixtures.seedLine(store, balance: 100, clock: clock)
        let recharges = RechargeService(store: store, clock: clock, channelPolicies: ChannelPolicyService(repository: store, clock: clock))
        return try await recharges.createOrder(
            RechargeRequest(msisdn: "13800138000", amount: .major(50), channel: .online, paymentMethod: .sandbox),
            idempotencyKey: "gateway-key-1"
        ).0
    }

    @Test("a payment starts once; a provider that cannot be reached keeps nothing and is named")
    func startOnce() async throws {
        try await withTestStore(.memory) { store in
            let order = try await order(store)
            let gateway = ScriptedGateway()
            let payments = PaymentService(store: store, clock: clock, publicBaseURL: "https://baohao.example")

            gateway.fail(true)
            await #expect(throws: DomainError.providerUnavailable("sandbox")) { try await payments.start(order, at: gateway) }
            #expect(try await payments.link(orderID: order.id) == nil)

            gateway.fail(false)
            let first = try await payments.start(order, at: gateway)
            let again = try await payments.start(order, at: gateway)
            #expect(first == again)
            #expect(gateway.started.count == 1)
            let request = try #require(gateway.started.first)
            #expect(request.total == Money(5000, .cny))
            #expect(request.notifyURL == "https://baohao.example/v1/payments/sandbox/notify")
            #expect(request.returnURL == "https://baohao.example/orders/\(order.id)?from=cashier")
            #expect(request.subject == "话费充值 138****8000 ¥50.00")
        }
    }

    @Test("the reconciler credits a payment whose notification was lost, once, and says so")
    func reconcilerRecovers() async throws {
        try await withTestStore(.memory) { store in
            let order = try await order(store)
            let gateway = ScriptedGateway()
            gateway.answer(
                .paid(
                    PaymentEvent(
                        provider: "sandbox", eventID: "query:\(order.id)", orderID: order.id, providerTransactionID: "txn-lost",
                        outcome: .succeeded, amount: order.total, occurredAt: clock.now())))
            let notes = NoteCollector()
            let recharges = RechargeService(
                store: store, clock: clock, channelPolicies: ChannelPolicyService(repository: store, clock: clock))
            let reconciler = Reconciler(
                recharges: recharges, reconciliation: ReconciliationService(store: store, clock: clock),
                gateways: PaymentGateways([gateway]), clock: clock, note: notes.add)

            clock.advance(by: 6 * 60)
            let first = try await reconciler.runOnce()
            #expect(first.asked == 1 && first.credited == 1)
            #expect(notes.all == ["recovered \(order.id)"])
            #expect(try await recharges.order(id: order.id).status == .credited)
            #expect(try await LineService(store: store, clock: clock).line(msisdn: "13800138000").balance == Money(5100, .cny))

            // A paid order is asked about no more; a second run finds nothing and changes nothing.
            clock.advance(by: 3600)
            let second = try await reconciler.runOnce()
            #expect(second.asked == 0)
            #expect(try await AdminService(store: store, clock: clock).verify().ok)
        }
    }
}

final class NoteCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var notes: [String] = []

    var all: [String] { lock.withLock { notes } }

    @Sendable func add(_ note: Reconciler.Note) {
        let text: String
        switch note {
        case .recovered(let id): text = "recovered \(id)"
        case .mismatch(let id, let reason): text = "mismatch \(id) \(reason)"
        case .askFailed(let provider, let id, _): text = "failed \(provider) \(id)"
        }
        lock.withLock { notes.append(text) }
    }
}
