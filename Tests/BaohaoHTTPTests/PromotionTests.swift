import BaohaoDomain
import BaohaoTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("Promotions")
struct PromotionTests {
    /// A promotion's JSON for `POST /v1/admin/promotions`; `extra` replaces or adds fields (JSON values).
    static func body(
        code: String = "NEWYEAR", starts: String = "2026-11-01T00:00:00+08:00", ends: String = "2027-01-01T00:00:00+08:00",
        bonus: String = #"{"fixed":{"amount":2000,"currency":"CNY"}}"#, budget: String = #"{"count":1000}"#,
        extra: [String: String] = [:]
    ) -> String {
        var fields: [(String, String)] = [
            ("code", #""\#(code)""#), ("name", #"{"zh":"充50送20","en":"Top up 50, get 20"}"#), ("starts_at", #""\#(starts)""#),
            ("ends_at", #""\#(ends)""#), ("channels", #"["online","counter","ivr"]"#), ("payment_methods", "null"),
            ("face_values", #"[{"amount":5000,"currency":"CNY"},{"amount":10000,"currency":"CNY"}]"#), ("minimum", "null"),
            ("bonus", bonus), ("first_recharge_only", "false"), ("per_number_limit", "null"), ("budget", budget),
            ("funded_by", #""operator""#),
        ]
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) {
            if let index = fields.firstIndex(where: { $0.0 == key }) { fields[index].1 = value } else { fields.append((key, value)) }
        }
        return "{" + fields.map { #""\#($0.0)":\#($0.1)"# }.joined(separator: ",") + "}"
    }

    static func create(_ h: Harness, _ json: String) async throws -> Reply {
        try await h.admin(.post, "/v1/admin/promotions", body: json, contentType: "application/json")
    }

    /// An order made, paid (at `paidAt`) and answered with its receipt's bonus, in minor units.
    static func paidBonus(_ h: Harness, msisdn: String = "13800138000", amount: Int64 = 5000, paidAt: String? = nil) async throws -> Int {
        let order = try await h.recharge(msisdn, amountMinor: amount)
        #expect(order.status == .created, "\(order.text)")
        let id = try #require(order.json["id"] as? String)
        let notified = try await h.notify(
            orderID: id, amountMinor: amount, paidAt: paidAt ?? Timestamp.format(h.clock.now()))
        #expect(notified.status == .ok, "\(notified.text)")
        let shown = try await h.call(.get, "/v1/recharges/\(id)").json
        #expect(shown["status"] as? String == "credited")
        let receipt = try await h.call(.get, "/v1/receipts/\(try #require(shown["receipt_no"] as? String))").json
        let bonus = try #require((receipt["bonus"] as? [String: Any])?["amount"] as? Int)
        #expect((shown["bonus"] as? [String: Any])?["amount"] as? Int == bonus)
        return bonus
    }

    static func date(_ text: String) throws -> Date { try #require(Timestamp.parse(text)) }

    @Test("the admin API creates, repeats, refuses, shows and ends a promotion", arguments: TestDatabase.all)
    func adminAPI(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let created = try await Self.create(h, Self.body())
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json["status"] as? String == "running" && created.json["starts_at"] as? String == "2026-11-01T00:00:00+08:00")
            #expect((created.json["used"] as? [String: Any])?["count"] as? Int == 0)
            #expect((created.json["label"] as? [String: Any])?["zh"] as? String == "充50/100送20")
            #expect(created.json["created_by"] as? String == "admin-token")
            // A retry of the same rules is harmless; other rules under the code are refused.
            #expect(try await Self.create(h, Self.body()).status == .ok)
            let clash = try await Self.create(h, Self.body(budget: #"{"count":5}"#))
            #expect(clash.status == .conflict && clash.text.contains("promotion-exists"), "\(clash.text)")
            for (json, field) in [
                (Self.body(code: "X1", ends: "2026-10-01T00:00:00+08:00"), "ends_at"),
                (Self.body(code: "X2", bonus: #"{"bps":20000,"cap":{"amount":1000,"currency":"CNY"}}"#), "bonus.bps"),
                (Self.body(code: "X3", budget: #"{"count":0}"#), "budget.count"),
                (Self.body(code: "X4", extra: ["funded_by": #""nobody""#]), "funded_by"),
                (Self.body(code: "X5", starts: "tomorrow"), "starts_at"),
                (Self.body(code: "X6", bonus: #"{"fixed":{"amount":2000,"currency":"CNY"},"bps":5}"#), "bonus"),
            ] {
                let refused = try await Self.create(h, json)
                #expect(refused.status == .unprocessableContent, "\(field): \(refused.text)")
                #expect(refused.json["field"] as? String == field, "\(refused.text)")
            }
            #expect(try await h.admin(.get, "/v1/admin/promotions").array.map { $0["code"] as? String } == ["NEWYEAR"])
            #expect(try await h.call(.get, "/v1/admin/promotions/NEWYEAR").status == .unauthorized)
            #expect(try await h.admin(.get, "/v1/admin/promotions/NOPE").status == .notFound)

            #expect(try await Self.paidBonus(h) == 2000)
            let shown = try await h.admin(.get, "/v1/admin/promotions/NEWYEAR").json
            #expect((shown["used"] as? [String: Any])?["count"] as? Int == 1)
            #expect(((shown["used"] as? [String: Any])?["amount"] as? [String: Any])?["amount"] as? Int == 2000)
            #expect((shown["remaining"] as? [String: Any])?["count"] as? Int == 999)

            let ended = try await h.admin(.post, "/v1/admin/promotions/NEWYEAR/end")
            #expect(ended.status == .ok && ended.json["status"] as? String == "ended", "\(ended.text)")
            #expect(
                try await h.admin(.post, "/v1/admin/promotions/NEWYEAR/end").json["ended_at"] as? String == ended.json["ended_at"]
                    as? String)
            #expect(try await Self.paidBonus(h) == 0)
            #expect(try await h.verify()["ok"] as? Bool == true)
        }
    }

    @Test("the bonus is a separate transfer from the promotion's account to the line, shown on the receipt", arguments: TestDatabase.all)
    func bonusInTheCredit(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            #expect(try await Self.create(h, Self.body()).status == .created)
            let order = try await h.recharge()
            let id = try #require(order.json["id"] as? String)
            // The quote before paying: the order names the promotion and the bonus it expects.
            #expect(order.json["promotion_code"] as? String == "NEWYEAR")
            #expect((order.json["bonus"] as? [String: Any])?["amount"] as? Int == 2000)
            // The provider repeats its notification: one bonus.
            for _ in 0..<3 { #expect(try await h.notify(orderID: id).status == .ok) }
            #expect(try await h.balance() == 2350 + 5000 + 2000)
            let ledger = try await h.admin(.get, "/v1/admin/lines/13800138000/ledger").array
            let kinds = ledger.compactMap { $0["kind"] as? String }
            #expect(kinds.filter { $0 == "bonus" }.count == 1 && kinds.filter { $0 == "recharge" }.count == 1, "\(kinds)")
            #expect(try await RefundTests.ledger(h, .promotion(code: "NEWYEAR")) == -2000)
            let receiptNo = try #require(try await h.call(.get, "/v1/recharges/\(id)").json["receipt_no"] as? String)
            let page = try await h.call(.get, "/receipts/\(receiptNo)")
            #expect(page.text.contains("赠送") && page.text.contains("¥20.00"), "\(page.text)")
            let verified = try await h.verify()
            #expect(verified["ok"] as? Bool == true, "\(verified)")
        }
    }

    @Test("200 eligible credits at once against a budget of exactly 50 bonuses pay exactly 50", arguments: TestDatabase.all)
    func budgetUnderConcurrency(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            #expect(try await Self.create(h, Self.body(budget: #"{"count":50}"#)).status == .created)
            let numbers = (0..<10).map { "1380013810\($0)" }
            for number in numbers { try await Fixtures.seedLine(h.services.store, msisdn: number, clock: h.clock) }
            var ids: [String] = []
            for index in 0..<200 {
                let order = try await h.recharge(numbers[index % numbers.count])
                #expect((order.json["bonus"] as? [String: Any])?["amount"] as? Int == 2000)
                ids.append(try #require(order.json["id"] as? String))
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for id in ids.shuffled() {
                    group.addTask {
                        let reply = try await h.notify(orderID: id)
                        #expect(reply.status == .ok)
                    }
                }
                try await group.waitForAll()
            }
            let promotion = try await h.services.promotions.promotion(code: "NEWYEAR")
            #expect(promotion.used.count == 50 && promotion.used.amount.amountMinor == 50 * 2000)
            var bonuses = 0
            for id in ids {
                let order = try await h.call(.get, "/v1/recharges/\(id)").json
                #expect(order["status"] as? String == "credited")
                if (order["bonus"] as? [String: Any])?["amount"] as? Int == 2000 { bonuses += 1 }
            }
            #expect(bonuses == 50)
            #expect(try await RefundTests.ledger(h, .promotion(code: "NEWYEAR")) == -50 * 2000)
            var total = 0
            for number in numbers { total += try await h.balance(number) }
            #expect(total == 200 * 5000 + 50 * 2000)
            let verified = try await h.verify()
            #expect(verified["ok"] as? Bool == true, "\(verified)")
        }
    }

    @Test("the window opens and closes at Beijing midnight, judged on the payment's time", arguments: TestDatabase.all)
    func windowEdges(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            h.clock.set(try Self.date("2026-11-30T12:00:00+08:00"))
            let window = Self.body(starts: "2026-12-01T00:00:00+08:00", ends: "2026-12-02T00:00:00+08:00")
            let created = try await Self.create(h, window)
            #expect(created.json["status"] as? String == "scheduled", "\(created.text)")
            h.clock.set(try Self.date("2026-11-30T23:59:59+08:00"))
            #expect(try await Self.paidBonus(h) == 0)
            h.clock.set(try Self.date("2026-12-01T00:00:00+08:00"))
            #expect(try await Self.paidBonus(h) == 2000)
            h.clock.set(try Self.date("2026-12-01T23:59:59+08:00"))
            #expect(try await Self.paidBonus(h) == 2000)
            // Ordered in the window, paid one second after it closed: the receipt says no bonus.
            h.clock.set(try Self.date("2026-12-01T23:59:59.500+08:00"))
            let late = try #require(try await h.recharge().json["id"] as? String)
            h.clock.set(try Self.date("2026-12-02T00:00:00+08:00"))
            #expect(try await h.notify(orderID: late, paidAt: "2026-12-01T16:00:00Z").status == .ok)
            #expect((try await h.call(.get, "/v1/recharges/\(late)").json["bonus"] as? [String: Any])?["amount"] as? Int == 0)
            #expect(try await Self.paidBonus(h) == 0)
            #expect(try await h.services.promotions.promotion(code: "NEWYEAR").used.count == 2)
            #expect(try await h.verify()["ok"] as? Bool == true)
        }
    }

    @Test("first recharge only, a limit per number, and the best of overlapping promotions", arguments: TestDatabase.all)
    func eligibility(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            #expect(
                try await Self.create(
                    h,
                    Self.body(
                        code: "FIRST", bonus: #"{"fixed":{"amount":3000,"currency":"CNY"}}"#, extra: ["first_recharge_only": "true"])
                )
                .status == .created)
            #expect(
                try await Self.create(
                    h,
                    Self.body(
                        code: "RATE", bonus: #"{"bps":1000,"cap":{"amount":800,"currency":"CNY"}}"#,
                        extra: [
                            "per_number_limit": "2", "face_values": "null", "minimum": #"{"amount":3000,"currency":"CNY"}"#,
                        ])
                ).status == .created)
            // First recharge: the larger first-recharge bonus wins over the 10% one.
            #expect(try await Self.paidBonus(h) == 3000)
            // Then 10% capped at ¥8, twice per number, not below ¥30.
            #expect(try await Self.paidBonus(h, amount: 10000) == 800)
            #expect(try await Self.paidBonus(h, amount: 5000) == 500)
            #expect(try await Self.paidBonus(h, amount: 5000) == 0)
            #expect(try await Self.paidBonus(h, msisdn: "13800138000", amount: 2000) == 0)
            let verified = try await h.verify()
            #expect(verified["ok"] as? Bool == true, "\(verified)")
        }
    }

    @Test("a refund claws back the bonus in proportion to the face value refunded", arguments: TestDatabase.all)
    func clawBack(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            #expect(try await Self.create(h, Self.body()).status == .created)
            let (ops, boss) = try await RefundTests.desk(h)
            let id = try await RefundTests.creditedOrder(h)
            #expect(try await h.balance() == 2350 + 5000 + 2000)
            for amount in [Int64(2500), 2500] {
                let asked = try await RefundTests.request(h, ops, orderID: id, amount: amount)
                let refundID = try #require(asked.json["id"] as? String, "\(asked.text)")
                #expect(try await RefundTests.decide(h, boss, refundID, "approve").status == .ok)
            }
            // Half refunded took back half the bonus; all refunded took back all of it.
            #expect(try await h.balance() == 2350)
            #expect(try await RefundTests.ledger(h, .promotion(code: "NEWYEAR")) == 0)
            let kinds = try await h.admin(.get, "/v1/admin/lines/13800138000/ledger").array.compactMap { $0["kind"] as? String }
            #expect(kinds.filter { $0 == "bonus_clawback" }.count == 2, "\(kinds)")
            let verified = try await h.verify()
            #expect(verified["ok"] as? Bool == true, "\(verified)")
        }
    }
}
