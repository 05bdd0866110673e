import BaohaoDomain
import BaohaoHTTP
import BaohaoTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("Live order updates")
struct LiveUpdateTests {
    /// Waits (bounded) until the process has `expected` watchers.
    static func watchers(_ h: Harness, become expected: Int) async throws {
        for _ in 0..<400 where await h.services.orderWatch.count != expected { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await h.services.orderWatch.count == expected)
    }

    @Test("streams are capped per order, all end with the credit, and their places are given back", arguments: TestDatabase.all)
    func capsAndRelease(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let id = try await h.recharge(key: "sse-cap-001").json["id"] as! String
            let perOrder = h.services.orderWatch.limits.perOrder
            let streams = (0..<perOrder).map { _ in Task { try await h.call(.get, "/v1/recharges/\(id)/events") } }
            try await Self.watchers(h, become: perOrder)

            let refused = try await h.call(.get, "/v1/recharges/\(id)/events")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.json["type"] as? String == "https://baohao.dev/problems/too-many-streams")
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)

            _ = try await h.notify(orderID: id)
            for stream in streams {
                let reply = try await stream.value
                let events = reply.text.components(separatedBy: "\n\n").filter { $0.hasPrefix("event: order") }
                #expect(events.last?.contains(#""status":"credited""#) == true)
            }
            try await Self.watchers(h, become: 0)
        }
    }

    @Test(
        "a credit made without the notification route (another process) reaches the stream from the shared reader",
        arguments: TestDatabase.all)
    func creditFromElsewhere(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let id = try await h.recharge(key: "sse-elsewhere-001").json["id"] as! String
            let stream = Task { try await h.call(.get, "/v1/recharges/\(id)/events") }
            try await Self.watchers(h, become: 1)
            let event = PaymentEvent(
                provider: "sandbox", eventID: "ev-elsewhere", orderID: id, providerTransactionID: "tx-elsewhere", outcome: .succeeded,
                amount: Money(5000, .cny), occurredAt: h.clock.now())
            guard case .credited = try await h.services.recharges.applyPayment(event) else {
                Issue.record("the payment was not credited")
                return
            }
            let reply = try await stream.value
            let events = reply.text.components(separatedBy: "\n\n").filter { $0.hasPrefix("event: order") }
            #expect(events.count == 2)
            #expect(events.last?.contains(#""status":"credited""#) == true)
            try await Self.watchers(h, become: 0)
        }
    }

    @Test("an order already final answers one event and holds no place", arguments: TestDatabase.all)
    func finalOrder(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let id = try await h.recharge(key: "sse-final-001").json["id"] as! String
            _ = try await h.notify(orderID: id)
            let reply = try await h.call(.get, "/v1/recharges/\(id)/events")
            let events = reply.text.components(separatedBy: "\n\n").filter { $0.hasPrefix("event: order") }
            #expect(events.count == 1)
            #expect(events.first?.contains(#""status":"credited""#) == true)
            try await Self.watchers(h, become: 0)
        }
    }
}
