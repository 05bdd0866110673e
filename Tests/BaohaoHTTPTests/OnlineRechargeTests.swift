import BaohaoTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("Online recharge API")
struct OnlineRechargeTests {
    @Test("核对信息: masked number, operator, plan, status, never the balance", arguments: TestDatabase.all)
    func confirm(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let reply = try await h.call(.get, "/v1/lines/138%200013%208000/confirm")
            #expect(reply.status == .ok)
            #expect(reply.json["msisdn_masked"] as? String == "138****8000")
            #expect(reply.json["operator"] as? String == "china_mobile")
            #expect(reply.json["operator_name"] as? String == "中国移动")
            #expect(reply.json["home_province"] as? String == "北京")
            #expect(reply.json["plan"] as? String == "保号套餐 5元/月")
            #expect(reply.json["status"] as? String == "active")
            #expect(reply.json["balance"] == nil)
            #expect(!reply.text.contains("2350") && !reply.text.contains("23.5") && !reply.text.contains("13800138000"))

            let english = try await h.call(.get, "/v1/lines/13800138000/confirm", headers: [.acceptLanguage: "en-GB,en;q=0.9"])
            #expect(english.json["operator_name"] as? String == "China Mobile")
            #expect(english.json["home_province"] as? String == "Beijing")
            #expect(english.json["plan"] as? String == "KEEP5, ¥5.00/month")  // no Chinese in English; the plan has no English name

            let unknown = try await h.call(.get, "/v1/lines/13900139000/confirm")
            #expect(unknown.status == .notFound)
            #expect(unknown.contentType.hasPrefix("application/problem+json"))
            #expect(unknown.json["type"] as? String == "https://baohao.dev/problems/line-not-found")
            #expect(unknown.json["title"] as? String == "号码不存在或未开通")

            let invalid = try await h.call(.get, "/v1/lines/12345/confirm")
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.json["field"] as? String == "msisdn")
        }
    }

    @Test("a recharge order, and its idempotent replay", arguments: TestDatabase.all)
    func createAndReplay(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let first = try await h.recharge(key: "order-key-0001")
            #expect(first.status == .created)
            let order = first.json
            #expect(order["status"] as? String == "pending_payment")
            #expect(order["msisdn_masked"] as? String == "138****8000")
            #expect((order["amount"] as? [String: Any])?["amount"] as? Int == 5000)
            #expect((order["fee"] as? [String: Any])?["amount"] as? Int == 0)
            #expect((order["total"] as? [String: Any])?["currency"] as? String == "CNY")
            let payment = order["payment"] as? [String: Any]
            #expect(payment?["provider"] as? String == "sandbox")
            #expect((payment?["pay_url"] as? String)?.contains("/sandbox/pay/\(order["id"]!)") == true)

            // The same key and body: the same order, 200, and still one order on the line.
            let again = try await h.recharge(key: "order-key-0001")
            #expect(again.status == .ok)
            #expect(again.json["id"] as? String == order["id"] as? String)
            #expect(try await h.orders().count == 1)

            // The same key with another body: 409, nothing written.
            let reused = try await h.recharge(amountMinor: 2000, key: "order-key-0001")
            #expect(reused.status == .conflict)
            #expect(reused.json["type"] as? String == "https://baohao.dev/problems/idempotency-key-reused")

            // No key: 400.
            let noKey = try await h.call(
                .post, "/v1/recharges",
                body: #"{"msisdn":"13800138000","amount":{"amount":5000,"currency":"CNY"},"channel":"online","payment_method":"sandbox"}"#)
            #expect(noKey.status == .badRequest)
            #expect(noKey.json["field"] as? String == "Idempotency-Key")

            let shown = try await h.call(.get, "/v1/recharges/\(order["id"]!)")
            #expect(shown.json["status"] as? String == "pending_payment")
            #expect(try await h.orders().count == 1)
        }
    }

    /// (body, expected status, expected field): every kind of bad input, each leaving nothing behind.
    static let badBodies: [(String, Int, String?)] = [
        (#"{"msisdn":"13800138000","amount":{"amount":5000,"currency":"CNY"},"channel":"online""#, 400, nil),
        (#"not json"#, 400, nil),
        (#"{"msisdn":13800138000,"amount":{"amount":5000,"currency":"CNY"},"channel":"online","payment_method":"sandbox"}"#, 422, "msisdn"),
        (
            #"{"msisdn":"13800138000","amount":{"amount":"5000","currency":"CNY"},"channel":"online","payment_method":"sandbox"}"#, 422,
            "amount.amount"
        ),
        (
            #"{"msisdn":"13800138000","amount":{"amount":0,"currency":"CNY"},"channel":"online","payment_method":"sandbox"}"#, 422,
            "amount.amount"
        ),
        (
            #"{"msisdn":"13800138000","amount":{"amount":-1000,"currency":"CNY"},"channel":"online","payment_method":"sandbox"}"#, 422,
            "amount.amount"
        ),
        (
            #"{"msisdn":"13800138000","amount":{"amount":9223372036854775807,"currency":"CNY"},"channel":"online","payment_method":"sandbox"}"#,
            422, "amount.amount"
        ),
        (
            #"{"msisdn":"13800138000","amount":{"amount":99999999999999999999999,"currency":"CNY"},"channel":"online","payment_method":"sandbox"}"#,
            400, nil
        ),
        (
            #"{"msisdn":"13800138000","amount":{"amount":1050,"currency":"CNY"},"channel":"online","payment_method":"sandbox"}"#, 422,
            "amount.amount"
        ),
        (
            #"{"msisdn":"13800138000","amount":{"amount":900,"currency":"CNY"},"channel":"online","payment_method":"sandbox"}"#, 422,
            "amount.amount"
        ),
        (
            #"{"msisdn":"13800138000","amount":{"amount":60000,"currency":"CNY"},"channel":"online","payment_method":"sandbox"}"#, 422,
            "amount.amount"
        ),
        (
            #"{"msisdn":"13800138000","amount":{"amount":5000,"currency":"XYZ"},"channel":"online","payment_method":"sandbox"}"#, 422,
            "amount.currency"
        ),
        (
            #"{"msisdn":"13800138000","amount":{"amount":5000,"currency":"USD"},"channel":"online","payment_method":"sandbox"}"#, 422,
            "amount.currency"
        ),
        (
            #"{"msisdn":"1380013800","amount":{"amount":5000,"currency":"CNY"},"channel":"online","payment_method":"sandbox"}"#, 422,
            "msisdn"
        ),
        (
            #"{"msisdn":"13800138000","amount":{"amount":5000,"currency":"CNY"},"channel":"counter","payment_method":"sandbox"}"#, 422,
            "channel"
        ),
        (
            #"{"msisdn":"13800138000","amount":{"amount":5000,"currency":"CNY"},"channel":"online","payment_method":"alipay"}"#, 422,
            "payment_method"
        ),
        (#"{"msisdn":"13800138000","amount":{"amount":5000},"channel":"online","payment_method":"sandbox"}"#, 422, "amount.currency"),
    ]

    @Test("bad input gets a clear problem and writes nothing", arguments: TestDatabase.all)
    func badInput(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            for (index, (body, status, field)) in Self.badBodies.enumerated() {
                let reply = try await h.call(.post, "/v1/recharges", body: body, headers: [.init("Idempotency-Key")!: "bad-input-\(index)"])
                #expect(Int(reply.status.code) == status, "\(body)")
                #expect(reply.contentType.hasPrefix("application/problem+json"), "\(body)")
                #expect((reply.json["type"] as? String)?.hasPrefix("https://baohao.dev/problems/") == true)
                if let field { #expect(reply.json["field"] as? String == field, "\(body) → \(reply.text)") }
            }
            let huge = String(repeating: " ", count: 20_000)
            let tooLarge = try await h.call(.post, "/v1/recharges", body: "{\(huge)}", headers: [.init("Idempotency-Key")!: "too-large-1"])
            #expect(tooLarge.status == .contentTooLarge)
            let wrongType = try await h.call(
                .post, "/v1/recharges", body: "msisdn=1",
                headers: [.init("Idempotency-Key")!: "form-body-1", .contentType: "application/x-www-form-urlencoded"])
            #expect(wrongType.status == .unsupportedMediaType)
            #expect(try await h.orders().isEmpty)
            #expect(try await h.balance() == 2350)
        }
    }

    @Test("a reclaimed line cannot be recharged; a suspended one can", arguments: TestDatabase.all)
    func lineStatuses(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            _ = try await h.services.lines.changeStatus(msisdn: "13800138000", to: .suspended)
            #expect(try await h.recharge(key: "suspended-line-1").status == .created)
            _ = try await h.services.lines.changeStatus(msisdn: "13800138000", to: .reclaimed)
            #expect(try await h.recharge(key: "reclaimed-line-1").status == .notFound)
            #expect(try await h.call(.get, "/v1/lines/13800138000/confirm").status == .notFound)
        }
    }

    @Test("cancel an unpaid order; the channel's rules are public", arguments: [TestDatabase.memory])
    func cancelAndRules(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let id = try await h.recharge(key: "cancel-me-0001").json["id"] as! String
            let cancelled = try await h.call(.post, "/v1/recharges/\(id)/cancel")
            #expect(cancelled.json["status"] as? String == "cancelled")
            #expect(try await h.call(.post, "/v1/recharges/\(id)/cancel").status == .conflict)
            #expect(try await h.call(.get, "/v1/recharges/rc_nope").status == .notFound)
            let rules = try await h.call(.get, "/v1/channels/online").json
            #expect(
                (rules["denominations"] as? [[String: Any]])?.map { $0["amount"] as? Int } == [
                    1000, 2000, 3000, 5000, 10000, 20000, 30000, 50000,
                ])
            #expect((rules["minimum"] as? [String: Any])?["amount"] as? Int == 1000)
            #expect(rules["payment_methods"] as? [String] == ["sandbox"])
        }
    }
}
