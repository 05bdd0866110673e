import BaohaoDomain
import BaohaoTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("Subscriber account page")
struct AccountPageTests {
    @Test("/me lists the lines being lost first: 双停, then 单停, then those in service", arguments: [TestDatabase.memory, .sqlite])
    func urgentLinesFirst(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let store = h.services.store
            let active = try #require(try await h.line()["id"] as? String)
            let suspended = try await Fixtures.seedLine(store, msisdn: "13900139000", clock: h.clock)
            let barred = try await Fixtures.seedLine(store, msisdn: "13700137000", clock: h.clock)
            let token = SessionToken.make()
            try await store.write { session in
                #expect(try await session.setStatus(lineID: suspended.id, to: .suspended, expected: .active, at: h.clock.now()))
                #expect(try await session.setStatus(lineID: barred.id, to: .barred, expected: .active, at: h.clock.now()))
                try await session.insertSubscriberAccount(SubscriberAccount(id: "sa_1", createdAt: h.clock.now()))
                for id in [active, suspended.id, barred.id] {
                    try await session.linkNumber(lineID: id, accountID: "sa_1", at: h.clock.now())
                }
                try await session.insertSubscriberSession(
                    SubscriberSession(
                        tokenHash: SessionToken.hash(token), accountID: "sa_1", createdAt: h.clock.now(),
                        expiresAt: h.clock.now() + 3600, lastSeenAt: h.clock.now()))
            }
            let page = try await h.call(.get, "/me", headers: [.cookie: "bh_session=\(token)"]).text
            let order = ["137****7000", "139****9000", "138****8000"].map { page.range(of: $0)?.lowerBound }
            #expect(order.allSatisfy { $0 != nil }, "\(page)")
            #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted())
        }
    }
}
