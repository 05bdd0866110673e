import BaohaoTestSupport
import Foundation
import Testing

@Suite("Concurrent credits")
struct ConcurrentCreditTests {
    /// 50 payers recharge one line at once; every notification arrives 3 times, shuffled, all in
    /// flight together. A duplicate is proven harmless by the totals: the balance is exactly the
    /// sum of the 50 amounts, there are 50 receipts and 50 recharge transfers, and verify passes.
    @Test("50 recharges, each notification 3 times in shuffled order", arguments: TestDatabase.all)
    func fiftyTimesThree(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let amounts: [Int64] = (0..<50).map { [1000, 2000, 3000, 5000, 10000, 1100, 4700][$0 % 7] }
            let ids = try await withThrowingTaskGroup(of: String.self) { group in
                for (index, amount) in amounts.enumerated() {
                    group.addTask {
                        let reply = try await h.recharge(amountMinor: amount, key: "concurrent-\(index)-key")
                        return "\(reply.json["id"] as! String)|\(amount)"
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(ids.count == 50)
            var deliveries: [(String, Int64, Int)] = []
            for entry in ids {
                let parts = entry.split(separator: "|")
                for copy in 0..<3 { deliveries.append((String(parts[0]), Int64(parts[1])!, copy)) }
            }
            deliveries.shuffle()
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for (id, amount, copy) in deliveries {
                    group.addTask { Int(try await h.notify(orderID: id, amountMinor: amount, eventID: "\(id)-\(copy)").status.code) }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.count == 150)
            #expect(statuses.allSatisfy { $0 == 200 })
            #expect(try await h.balance() == 2350 + Int(amounts.reduce(0, +)))
            let orders = try await h.orders()
            #expect(orders.count == 50)
            #expect(orders.allSatisfy { $0["status"] as? String == "credited" })
            #expect(Set(orders.compactMap { $0["receipt_no"] as? String }).count == 50)
            let ledger = try await h.admin(.get, "/v1/admin/lines/13800138000/ledger?limit=200").array
            #expect(ledger.filter { $0["kind"] as? String == "recharge" }.count == 50)
            let outcomes = try await h.admin(.get, "/v1/admin/notifications?limit=500").array.compactMap { $0["outcome"] as? String }
            #expect(outcomes.filter { $0 == "applied" }.count == 50)
            #expect(outcomes.filter { $0 == "duplicate" }.count == 100)
            let report = try await h.verify()
            #expect(report["ok"] as? Bool == true)
            #expect(report["credited_orders_checked"] as? Int == 50)
        }
    }
}
