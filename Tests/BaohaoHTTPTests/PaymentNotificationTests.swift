import BaohaoTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("Sandbox payment notifications")
struct PaymentNotificationTests {
    @Test("a signed success credits once: balance, ledger, receipt", arguments: TestDatabase.all)
    func creditsOnce(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let id = try await h.recharge(key: "credit-once-01").json["id"] as! String
            let first = try await h.notify(orderID: id, eventID: "evt-1")
            #expect(first.status == .ok)
            let order = try await h.call(.get, "/v1/recharges/\(id)").json
            #expect(order["status"] as? String == "credited")
            #expect(order["status_name"] as? String == "已到账")
            let receiptNo = try #require(order["receipt_no"] as? String)
            #expect(try await h.balance() == 2350 + 5000)

            // The same event again, and the same transaction under a new event id: 200, nothing changes.
            #expect(try await h.notify(orderID: id, eventID: "evt-1").status == .ok)
            #expect(try await h.notify(orderID: id, eventID: "evt-2").status == .ok)
            #expect(try await h.balance() == 7350)
            let ledger = try await h.admin(.get, "/v1/admin/lines/13800138000/ledger").array
            let recharges = ledger.filter { $0["kind"] as? String == "recharge" }
            #expect(recharges.count == 1)
            #expect(recharges.first?["order_id"] as? String == id)
            let postings = recharges.first?["postings"] as? [[String: Any]] ?? []
            #expect(
                Set(postings.compactMap { $0["account"] as? String }) == [
                    "clearing:sandbox", "line:\(try await h.line()["id"] as! String)",
                ])
            #expect(postings.compactMap { ($0["amount"] as? [String: Any])?["amount"] as? Int }.sorted() == [-5000, 5000])
            let receipt = try await h.call(.get, "/v1/receipts/\(receiptNo)").json
            #expect(receipt["order_id"] as? String == id)
            let outcomes = try await h.admin(.get, "/v1/admin/notifications").array.compactMap { $0["outcome"] as? String }
            #expect(outcomes.sorted() == ["applied", "duplicate", "duplicate"])
            #expect(try await h.verify()["ok"] as? Bool == true)
        }
    }

    @Test("tampered, stale, unknown and mismatched notifications credit nothing and are recorded", arguments: TestDatabase.all)
    func rejected(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let id = try await h.recharge(key: "rejected-01").json["id"] as! String
            let cases: [(Reply, HTTPResponse.Status, String)] = [
                (try await h.notify(orderID: id, secret: "someone-elses-secret-000"), .unauthorized, "bad_signature"),
                (try await h.notify(orderID: id, signature: "t=1,v1=00"), .unauthorized, "bad_signature"),
                (try await h.notify(orderID: id, signature: ""), .unauthorized, "missing_signature"),
                (try await h.notify(orderID: id, signature: "garbage"), .unauthorized, "malformed_signature"),
                (try await h.notify(orderID: id, timestampOffset: -301), .unauthorized, "stale_timestamp"),
                (try await h.notify(orderID: id, timestampOffset: 400), .unauthorized, "stale_timestamp"),
                (try await h.notify(orderID: "rc_unknown"), .notFound, "unknown_order"),
                (try await h.notify(orderID: id, amountMinor: 4999), .unprocessableContent, "amount_mismatch"),
                (try await h.notify(orderID: id, currency: "HKD"), .unprocessableContent, "amount_mismatch"),
                (try await h.notify(orderID: id, status: "refunded"), .badRequest, "unknown_status"),
            ]
            for (reply, status, reason) in cases {
                #expect(reply.status == status, "\(reason)")
                #expect(reply.json["detail"] as? String == reason)
            }
            #expect(try await h.balance() == 2350)
            #expect(try await h.call(.get, "/v1/recharges/\(id)").json["status"] as? String == "pending_payment")
            let recorded = try await h.admin(.get, "/v1/admin/notifications?outcome=rejected").array
            #expect(recorded.count == cases.count)
            #expect(Set(recorded.compactMap { $0["reason"] as? String }) == Set(cases.map(\.2)))
            #expect(!recorded.contains { ($0["reason"] as? String)?.contains("v1=") == true })
            #expect(try await h.verify()["ok"] as? Bool == true)
        }
    }

    @Test("money that arrives late or twice is never lost and never doubled", arguments: TestDatabase.all)
    func lateAndSecondPayments(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            // Expired before payment: the success is still credited, and flagged as late.
            let expiring = try await h.recharge(key: "late-pay-001").json["id"] as! String
            h.clock.advance(by: 31 * 60)
            #expect(try await h.call(.get, "/v1/recharges/\(expiring)").json["status"] as? String == "expired")
            #expect(try await h.notify(orderID: expiring).status == .ok)
            let late = try await h.call(.get, "/v1/recharges/\(expiring)").json
            #expect(late["status"] as? String == "credited")
            #expect(late["late_payment"] as? Bool == true)

            // A failure first, then the success (out of order, or the payer retried): credited.
            let failedFirst = try await h.recharge(key: "fail-then-ok1").json["id"] as! String
            #expect(try await h.notify(orderID: failedFirst, status: "failed").status == .ok)
            #expect(try await h.call(.get, "/v1/recharges/\(failedFirst)").json["status"] as? String == "failed")
            #expect(try await h.notify(orderID: failedFirst).status == .ok)
            #expect(try await h.call(.get, "/v1/recharges/\(failedFirst)").json["status"] as? String == "credited")

            // A failure after the credit changes nothing.
            #expect(try await h.notify(orderID: failedFirst, status: "failed", eventID: "evt-late-failure").status == .ok)
            #expect(try await h.call(.get, "/v1/recharges/\(failedFirst)").json["status"] as? String == "credited")

            // A second, different payment for a credited order: acknowledged, not credited, kept for a refund.
            #expect(try await h.notify(orderID: failedFirst, transactionID: "another-txn").status == .ok)
            #expect(try await h.balance() == 2350 + 5000 + 5000)
            let flagged = try await h.admin(.get, "/v1/admin/notifications?outcome=flagged").array
            #expect(flagged.first?["reason"] as? String == "second_payment_for_order")
            #expect(try await h.admin(.get, "/v1/admin/notifications?outcome=ignored").array.count == 1)
            #expect(try await h.verify()["ok"] as? Bool == true)
        }
    }

    @Test("a declined payment fails the order", arguments: [TestDatabase.memory])
    func declined(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let id = try await h.recharge(key: "declined-0001").json["id"] as! String
            #expect(try await h.notify(orderID: id, status: "failed").status == .ok)
            let order = try await h.call(.get, "/v1/recharges/\(id)").json
            #expect(order["status"] as? String == "failed")
            #expect(order["receipt_no"] == nil)
            #expect(try await h.balance() == 2350)
        }
    }
}
