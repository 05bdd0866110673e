import BaohaoTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("Channel policies as operator data")
struct ChannelPolicyAdminTests {
    static let ivrRules = #"""
        {"enabled":true,"currency":"CNY","denominations":[{"amount":2000,"currency":"CNY"},{"amount":5000,"currency":"CNY"}],
         "minimum":{"amount":1000,"currency":"CNY"},"maximum":{"amount":30000,"currency":"CNY"},"step":{"amount":100,"currency":"CNY"},
         "fee":{"kind":"percentage","basis_points":100,"minimum":{"amount":50,"currency":"CNY"}},"payment_methods":["card"]}
        """#

    @Test("every channel is listed with its shipped default at version 0; online is today's rules", arguments: [TestDatabase.memory])
    func defaults(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let channels = try await h.admin(.get, "/v1/admin/channels").array
            #expect(channels.map { $0["channel"] as? String } == ["online", "counter", "ivr", "partner", "voucher"])
            let online = try #require(channels.first)
            #expect(online["version"] as? Int == 0 && online["updated_by"] is NSNull && online["enabled"] as? Bool == true)
            #expect((online["minimum"] as? [String: Any])?["amount"] as? Int == 1000)
            #expect((online["maximum"] as? [String: Any])?["amount"] as? Int == 50000)
            #expect((online["step"] as? [String: Any])?["amount"] as? Int == 100)
            #expect((online["fee"] as? [String: Any])?["kind"] as? String == "none")
            #expect((online["denominations"] as? [[String: Any]])?.count == 8)
            // Counter and hotline wait for an operator; partners are gated by adding partners and funding
            // floats, recharge cards by issuing and selling them.
            #expect(channels.map { $0["enabled"] as? Bool } == [true, false, false, true, true])
            #expect(channels[3]["payment_methods"] as? [String] == ["partner_float"])
            #expect(channels.last?["payment_methods"] as? [String] == ["voucher"])
            #expect(try await h.call(.get, "/v1/admin/channels").status == .unauthorized)
        }
    }

    @Test("a change is validated, versioned, kept with who made it, and used by the next order", arguments: TestDatabase.all)
    func changeOnline(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            // ¥5–¥100 in whole yuan, a fixed ¥1 fee, sandbox only.
            let rules = #"""
                {"version":0,"enabled":true,"currency":"CNY","denominations":[{"amount":500,"currency":"CNY"},{"amount":5000,"currency":"CNY"}],
                 "minimum":{"amount":500,"currency":"CNY"},"maximum":{"amount":10000,"currency":"CNY"},"step":{"amount":100,"currency":"CNY"},
                 "fee":{"kind":"fixed","amount":{"amount":100,"currency":"CNY"}},"payment_methods":["sandbox"]}
                """#
            let put = try await h.admin(.put, "/v1/admin/channels/online", body: rules)
            #expect(put.status == .ok, "\(put.text)")
            #expect(put.json["version"] as? Int == 1 && put.json["updated_by"] as? String == "admin-token")
            #expect(put.json["updated_at"] as? String == "2026-11-24T12:00:00.000Z")

            // The next order quotes by it: ¥5 is now allowed, with the ¥1 fee on top.
            let order = try await h.recharge(amountMinor: 500)
            #expect(order.status == .created, "\(order.text)")
            #expect((order.json["fee"] as? [String: Any])?["amount"] as? Int == 100)
            #expect((order.json["total"] as? [String: Any])?["amount"] as? Int == 600)
            #expect(try await h.recharge(amountMinor: 20000).status == .unprocessableContent)

            // The same version again is a conflict, and writes nothing.
            let stale = try await h.admin(.put, "/v1/admin/channels/online", body: rules)
            #expect(stale.status == .conflict)
            #expect(stale.json["type"] as? String == "https://baohao.dev/problems/channel-policy-version-conflict")
            let history = try await h.admin(.get, "/v1/admin/channels/online/history").array
            #expect(history.map { $0["version"] as? Int } == [1])
        }
    }

    @Test("bad rules get a 422 naming the field, and change nothing", arguments: [TestDatabase.memory])
    func badRules(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let cases: [(String, String)] = [
                (Self.ivrRules.replacingOccurrences(of: #""minimum":{"amount":1000"#, with: #""minimum":{"amount":0"#), "minimum.amount"),
                (Self.ivrRules.replacingOccurrences(of: #""amount":30000"#, with: #""amount":900"#), "maximum.amount"),
                (Self.ivrRules.replacingOccurrences(of: #""amount":30000"#, with: #""amount":900000000"#), "maximum.amount"),
                (Self.ivrRules.replacingOccurrences(of: #""basis_points":100"#, with: #""basis_points":9000"#), "fee.basis_points"),
                (Self.ivrRules.replacingOccurrences(of: #""kind":"percentage""#, with: #""kind":"lottery""#), "fee.kind"),
                (Self.ivrRules.replacingOccurrences(of: #"["card"]"#, with: #"["cash_in_envelope"]"#), "payment_methods[0]"),
                (
                    Self.ivrRules.replacingOccurrences(
                        of: #""currency":"CNY","denominations""#, with: #""currency":"XXQ","denominations""#), "currency"
                ),
                (
                    Self.ivrRules.replacingOccurrences(of: #""amount":2000,"currency":"CNY""#, with: #""amount":500,"currency":"CNY""#),
                    "denominations[0].amount"
                ),
            ]
            for (body, field) in cases {
                let reply = try await h.admin(.put, "/v1/admin/channels/ivr", body: body)
                #expect(reply.status == .unprocessableContent, "\(field): \(reply.text)")
                #expect(reply.json["field"] as? String == field, "\(reply.text)")
            }
            #expect(try await h.admin(.put, "/v1/admin/channels/fax", body: Self.ivrRules).status == .notFound)
            #expect(try await h.admin(.get, "/v1/admin/channels/ivr/history").array.isEmpty)
            let ok = try await h.admin(.put, "/v1/admin/channels/ivr", body: Self.ivrRules)
            #expect(ok.status == .ok && ok.json["version"] as? Int == 1, "\(ok.text)")
        }
    }
}
