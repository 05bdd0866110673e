import BaohaoDomain
import Foundation
import Testing

@testable import BaohaoStorage
@testable import BaohaoTestSupport

/// Anonymous orders cannot bury a number: waiting orders are capped per number, history pages
/// past the newest and leaves never-paid orders out unless asked, and never-paid orders go after
/// their retention period (paid ones never do).
@Suite("Order housekeeping")
struct OrderHousekeepingTests {
    static func order(_ recharges: RechargeService, _ key: String, channel: Channel = .online) async throws -> RechargeOrder {
        try await recharges.createOrder(
            RechargeRequest(msisdn: "13800138000", amount: .major(10), channel: channel, paymentMethod: .sandbox),
            idempotencyKey: key
        ).0
    }

    @Test(
        "five waiting online orders per number; a retry of one is still answered; the sixth waits for the first to expire",
        arguments: TestDatabase.all)
    func pendingCap(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            let clock = Fixtures.clock()
            try await Fixtures.seedLine(store, clock: clock)
            let recharges = RechargeService(
                store: store, clock: clock, channelPolicies: ChannelPolicyService(repository: store, clock: clock),
                orderTimeToLive: 30 * 60, pendingOrdersPerNumber: 5)
            var orders: [RechargeOrder] = []
            for index in 0..<5 {
                orders.append(try await Self.order(recharges, "pending-\(index)-key"))
                clock.advance(by: 60)
            }
            #expect(try await Self.order(recharges, "pending-0-key").id == orders[0].id)
            await #expect(throws: DomainError.tooManyPendingOrders(retryAfter: 25 * 60)) {
                _ = try await Self.order(recharges, "pending-5-key")
            }
            _ = try await recharges.cancel(orderID: orders[4].id)
            #expect(try await Self.order(recharges, "pending-5-key").status == .pendingPayment)
            clock.advance(by: 25 * 60)
            #expect(try await Self.order(recharges, "pending-6-key").status == .pendingPayment)
        }
    }

    @Test("history pages by cursor and leaves never-paid orders out unless asked; the purge keeps paid ones", arguments: TestDatabase.all)
    func historyAndPurge(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            let clock = Fixtures.clock()
            let line = try await Fixtures.seedLine(store, clock: clock)
            let recharges = RechargeService(
                store: store, clock: clock, channelPolicies: ChannelPolicyService(repository: store, clock: clock))
            let admin = AdminService(store: store, clock: clock)
            var paid: [RechargeOrder] = []
            for index in 0..<3 {
                let order = try await Self.order(recharges, "paid-\(index)-key")
                let event = PaymentEvent(
                    provider: "sandbox", eventID: "ev-paid-\(index)", orderID: order.id, providerTransactionID: "tx-paid-\(index)",
                    outcome: .succeeded, amount: order.total, occurredAt: clock.now())
                guard case .credited = try await recharges.applyPayment(event) else {
                    Issue.record("not credited")
                    return
                }
                paid.append(order)
                clock.advance(by: 1)
            }
            for index in 0..<25 {
                let junk = try await Self.order(recharges, "junk-\(index)-key")
                let link = PaymentLink(
                    orderID: junk.id, provider: "sandbox", payURL: "https://pay.example/\(index)", qrCode: nil, providerReference: nil,
                    createdAt: clock.now())
                #expect(try await store.write { try await $0.insertPaymentLink(link) })
                clock.advance(by: 1)
            }
            clock.advance(by: 31 * 60)
            #expect(try await recharges.expireDueOrders() == 25)

            let page = try await admin.orders(lineID: line.id, before: nil, includeUnpaid: false, limit: 20)
            #expect(page.map(\.id) == paid.reversed().map(\.id))
            let first = try await admin.orders(lineID: line.id, before: nil, includeUnpaid: true, limit: 20)
            #expect(first.count == 20 && first.allSatisfy { $0.status == .expired })
            let cursor = OrderCursor(text: OrderCursor(createdAt: first[19].createdAt, id: first[19].id).text)
            let second = try await admin.orders(lineID: line.id, before: cursor, includeUnpaid: true, limit: 20)
            #expect(second.count == 8 && Set(first.map(\.id)).isDisjoint(with: second.map(\.id)))
            #expect(Array(second.suffix(3)).map(\.id) == paid.reversed().map(\.id))

            // Within 30 days nothing goes; after, the 25 never-paid orders go and the paid stay.
            clock.advance(by: 29 * 24 * 3600)
            #expect(try await recharges.purgeUnpaidOrders() == 0)
            clock.advance(by: 2 * 24 * 3600)
            #expect(try await recharges.purgeUnpaidOrders(limit: 10) == 10)
            #expect(try await recharges.purgeUnpaidOrders() == 15)
            #expect(try await recharges.purgeUnpaidOrders() == 0)
            let left = try await admin.orders(lineID: line.id, before: nil, includeUnpaid: true, limit: 100)
            #expect(left.map(\.id) == paid.reversed().map(\.id))
            #expect(try await admin.verify().problems.isEmpty)
        }
    }
}
