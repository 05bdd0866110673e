import BaohaoDomain
import Foundation
import HTTPTypes
import Testing

@testable import BaohaoStorage
@testable import BaohaoTestSupport

/// Selling at the counter: cash and card-present sales credit the line at once from the shift's
/// till, exactly once per key, with the payer's ID kept only as a hash and its last four characters.
@Suite("Counter sales")
struct CounterSaleTests {
    static let idNumber = "11010519491231002X"

    /// Turns the counter channel on (it ships off) through the admin API, as an operator would.
    static func enableCounter(_ h: Harness) async throws { try await h.enableChannel("counter") }

    /// A clerk with an open shift (float ¥100); returns the clerk's bearer header.
    static func clerkOnShift(_ h: Harness, _ username: String) async throws -> HTTPFields {
        let clerk = try await CounterShiftTests.clerk(h, username)
        let opened = try await h.call(
            .post, "/v1/counter/shifts", body: #"{"opening_float":{"amount":10000,"currency":"CNY"}}"#, headers: clerk)
        #expect(opened.status == .created, "\(opened.text)")
        return clerk
    }

    static func sale(_ h: Harness, _ clerk: HTTPFields, key: String, body: String) async throws -> Reply {
        var headers = clerk
        headers[HTTPField.Name("Idempotency-Key")!] = key
        return try await h.call(.post, "/v1/counter/sales", body: body, headers: headers)
    }

    static let cash50 =
        #"{"msisdn":"13800138000","amount":{"amount":5000,"currency":"CNY"},"tender":"cash","tendered":{"amount":10000,"currency":"CNY"},"id_number":"11010519491231002x"}"#

    @Test(
        "a cash sale credits at once with change and a receipt; a retry is the same sale; another body is 409", arguments: TestDatabase.all)
    func cashSale(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            try await Self.enableCounter(h)
            let clerk = try await Self.clerkOnShift(h, "clerk01")
            let sold = try await Self.sale(h, clerk, key: "sale-000001", body: Self.cash50)
            #expect(sold.status == .created, "\(sold.text)")
            #expect(sold.json["status"] as? String == "credited" && sold.json["msisdn_masked"] as? String == "138****8000")
            #expect(CounterShiftTests.money(sold.json["change"]) == 5000 && CounterShiftTests.money(sold.json["total"]) == 5000)
            #expect(sold.json["id_masked"] as? String == "**************002X")
            let receipt = try #require(sold.json["receipt_no"] as? String)
            #expect(try await h.balance() == 2350 + 5000)
            #expect(try await h.call(.get, "/v1/receipts/\(receipt)").json["channel"] as? String == "counter")

            let again = try await Self.sale(h, clerk, key: "sale-000001", body: Self.cash50)
            #expect(again.status == .ok && again.json["id"] as? String == sold.json["id"] as? String)
            let other = try await Self.sale(
                h, clerk, key: "sale-000001", body: Self.cash50.replacingOccurrences(of: "10000", with: "20000"))
            #expect(other.status == .conflict, "\(other.text)")
            #expect(try await h.balance() == 2350 + 5000)

            let card = try await Self.sale(
                h, clerk, key: "sale-000002",
                body:
                    #"{"msisdn":"13800138000","amount":{"amount":3000,"currency":"CNY"},"tender":"card","card_terminal_ref":"POS-7781-000123","id_number":"11010519491231002X"}"#
            )
            #expect(card.status == .created && card.json["change"] is NSNull, "\(card.text)")

            let shift = try #require(sold.json["shift"] as? String)
            let x = try await h.call(.get, "/v1/counter/shifts/\(shift)/report", headers: clerk)
            #expect(x.json["sales_count"] as? Int == 2 && CounterShiftTests.money(x.json["sales_total"]) == 8000)
            #expect(CounterShiftTests.money(x.json["expected_cash"]) == 15000)
            let tenders = (x.json["by_tender"] as? [[String: Any]] ?? []).map { ($0["tender"] as? String ?? "", $0["count"] as? Int ?? 0) }
            #expect(tenders.map(\.0) == ["cash", "card"] && tenders.map(\.1) == [1, 1])

            let verified = try await h.verify()
            #expect(verified["ok"] as? Bool == true, "\(verified)")
            // The ID number is kept only as a keyed hash and its last four characters, and never logged.
            let stored = try await h.services.store.read { try await $0.sales(shiftID: shift) }
            #expect(
                stored.allSatisfy {
                    $0.idMasked == "**************002X" && $0.idHash?.count == 64 && $0.idHash?.contains("110105") == false
                })
            #expect(!h.logs.all.contains { $0.contains("11010519491231002") })
        }
    }

    @Test("refusals name the field and write nothing", arguments: [TestDatabase.memory])
    func refusals(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            try await Self.enableCounter(h)
            let clerk = try await Self.clerkOnShift(h, "clerk01")
            let idle = try await CounterShiftTests.clerk(h, "clerk02")
            let money = #""amount":{"amount":5000,"currency":"CNY"}"#
            for (body, field) in [
                (#"{"msisdn":"13800138000",\#(money),"tender":"cash","tendered":{"amount":5000,"currency":"CNY"}}"#, "id_number"),
                (
                    #"{"msisdn":"13800138000",\#(money),"tender":"cash","tendered":{"amount":5000,"currency":"CNY"},"id_number":"110105194912310021"}"#,
                    "id_number"
                ),
                (
                    #"{"msisdn":"13800138000",\#(money),"tender":"cash","tendered":{"amount":4999,"currency":"CNY"},"id_number":"\#(Self.idNumber)"}"#,
                    "tendered"
                ),
                (#"{"msisdn":"13800138000",\#(money),"tender":"cash","id_number":"\#(Self.idNumber)"}"#, "tendered"),
                (#"{"msisdn":"13800138000",\#(money),"tender":"card","id_number":"\#(Self.idNumber)"}"#, "card_terminal_ref"),
                (
                    #"{"msisdn":"13800138000",\#(money),"tender":"card","tendered":{"amount":5000,"currency":"CNY"},"card_terminal_ref":"P1","id_number":"\#(Self.idNumber)"}"#,
                    "tendered"
                ),
                (
                    #"{"msisdn":"13800138000",\#(money),"tender":"alipay_code","payment_code":"137654321012345678","id_number":"\#(Self.idNumber)"}"#,
                    "payment_code"
                ),
                (#"{"msisdn":"13800138000",\#(money),"tender":"cheque","id_number":"\#(Self.idNumber)"}"#, "tender"),
                (
                    #"{"msisdn":"13800138000","amount":{"amount":200000,"currency":"CNY"},"tender":"cash","tendered":{"amount":200000,"currency":"CNY"},"id_number":"\#(Self.idNumber)"}"#,
                    "amount.amount"
                ),
            ] {
                let refused = try await Self.sale(h, clerk, key: UUID().uuidString, body: body)
                #expect(refused.status == .unprocessableContent && refused.json["field"] as? String == field, "\(body) → \(refused.text)")
            }
            let ok =
                #"{"msisdn":"13800138000",\#(money),"tender":"cash","tendered":{"amount":5000,"currency":"CNY"},"id_number":"\#(Self.idNumber)"}"#
            #expect(
                try await Self.sale(h, idle, key: "sale-idle-01", body: ok).json["type"] as? String
                    == "https://baohao.dev/problems/no-open-shift")
            #expect(try await h.call(.post, "/v1/counter/sales", body: ok, headers: clerk).status == .badRequest)
            #expect(
                try await h.call(.post, "/v1/counter/sales", body: ok, headers: [.init("Idempotency-Key")!: "sale-anon-01"]).status
                    == .unauthorized)
            _ = try await h.services.staff.addStaff(
                username: "ops01", displayName: "值班员", role: .operator, password: CounterShiftTests.password)
            #expect(
                try await Self.sale(h, try await CounterShiftTests.bearer(h, "ops01"), key: "sale-ops-01", body: ok).status == .forbidden)
            #expect(try await h.balance() == 2350)
            #expect(
                try await h.services.store.read {
                    try await $0.orders(lineID: try await $0.line(msisdn: MSISDN(parsing: "13800138000"))!.id, limit: 10)
                }.isEmpty)
        }
    }

    @Test(
        "two terminals repeat one sale 20 times and two clerks sell 50 times on one line: once each, balance exact",
        arguments: TestDatabase.all)
    func concurrency(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            try await Self.enableCounter(h)
            let first = try await Self.clerkOnShift(h, "clerk01")
            let second = try await Self.clerkOnShift(h, "clerk02")
            let body =
                #"{"msisdn":"13800138000","amount":{"amount":1000,"currency":"CNY"},"tender":"cash","tendered":{"amount":1000,"currency":"CNY"},"id_number":"11010519491231002X"}"#
            let repeated = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await Self.sale(h, first, key: "same-sale-key-1", body: body).json["id"] as? String }
                }
                return try await group.reduce(into: Set<String?>()) { $0.insert($1) }
            }
            #expect(repeated.count == 1 && repeated.first! != nil)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let reply = try await Self.sale(h, index % 2 == 0 ? first : second, key: "sale-\(index)-key", body: body)
                        #expect(reply.status == .created, "\(reply.text)")
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await h.balance() == 2350 + 51 * 1000)
            #expect(try await h.verify()["ok"] as? Bool == true)
        }
    }

    @Test("verify finds a till that does not match its shift's sales", arguments: TestDatabase.all)
    func verifyChecksTills(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            try await Self.enableCounter(h)
            let clerk = try await Self.clerkOnShift(h, "clerk01")
            let sold = try await Self.sale(h, clerk, key: "sale-000001", body: Self.cash50)
            #expect(try await h.verify()["ok"] as? Bool == true)
            let till = "till:\(sold.json["shift"] as? String ?? ""):cash"
            func tillProblems() async throws -> [[String: Any]] {
                let report = try await h.verify()
                let problems = report["problems"] as? [[String: Any]] ?? []
                #expect(problems.map { $0["kind"] as? String } == ["till_mismatch"], "\(report)")
                return problems
            }
            guard let memory = h.services.store as? InMemoryStore else {
                // On a database: a sale that says more than its till holds, then a till without sales.
                try await h.services.store.write { session in
                    try await (session as! SQLSession).db.raw("UPDATE counter_sales SET total = total + 1").run()
                }
                #expect(try await tillProblems().first?["detail"] as? String == "sales -5001, ledger -5000")
                try await h.services.store.write { session in
                    try await (session as! SQLSession).db.raw("DELETE FROM counter_sales").run()
                }
                let problems = try await tillProblems()
                #expect(problems.first?["subject"] as? String == till && problems.first?["detail"] as? String == "sales 0, ledger -5000")
                return
            }
            memory.committed.value.sales = [:]
            #expect(try await tillProblems().first?["subject"] as? String == till)
        }
    }
}
