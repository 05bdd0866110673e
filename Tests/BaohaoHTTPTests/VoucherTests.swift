import BaohaoDomain
import BaohaoTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("Recharge cards")
struct VoucherTests {
    /// Issues `count` cards of ¥50 through the last day `expires`, activated when asked.
    static func issue(_ h: Harness, count: Int = 3, expires: String = "2026-12-31", activate: Bool = true) async throws
        -> VoucherService.Issued
    {
        try await h.services.vouchers.issue(
            face: .major(50), count: count, expiresOn: try #require(LocalDate(iso: expires)), activate: activate, by: "test")
    }

    static func redeem(_ h: Harness, _ pin: String, msisdn: String = "13800138000") async throws -> Reply {
        try await h.call(.post, "/v1/vouchers/redeem", body: #"{"msisdn":"\#(msisdn)","pin":"\#(pin)"}"#)
    }

    @Test("a card redeems once into a credited voucher order with a receipt; every refusal is the same 422", arguments: TestDatabase.all)
    func redeemOnce(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let issued = try await Self.issue(h, count: 4)
            let unsold = try await Self.issue(h, count: 1, activate: false)
            let codes = issued.codes
            let redeemed = try await Self.redeem(h, codes[0].pin)
            #expect(redeemed.status == .created, "\(redeemed.text)")
            #expect(redeemed.json["channel"] as? String == "voucher" && redeemed.json["status"] as? String == "credited")
            #expect((redeemed.json["amount"] as? [String: Any])?["amount"] as? Int == 5000)
            let receipt = try #require(redeemed.json["receipt_no"] as? String)
            #expect(try await h.call(.get, "/v1/receipts/\(receipt)").status == .ok)
            #expect(try await h.balance() == 2350 + 5000)

            // Frozen, expired, used, unknown and unsold PINs get one and the same answer.
            #expect(
                try await h.admin(.post, "/v1/admin/vouchers/freeze", body: #"{"serials":["\#(codes[1].serial)"],"reason":"丢失"}"#)
                    .json["changed"] as? Int == 1)
            var answers: [String] = []
            for pin in [codes[0].pin, codes[1].pin, "999999999999999999", unsold.codes[0].pin, "12"] {
                let refused = try await Self.redeem(h, pin, msisdn: "13800138000")
                #expect(refused.status == .unprocessableContent, "\(refused.text)")
                answers.append(refused.text)
            }
            #expect(Set(answers).count == 1, "\(answers)")
            h.clock.set(try #require(Timestamp.parse("2027-01-01T00:00:00+08:00")))
            let expired = try await Self.redeem(h, codes[2].pin)
            #expect(expired.text == answers[0])
            h.clock.set(try #require(Timestamp.parse("2026-12-31T23:59:59+08:00")))
            #expect(try await Self.redeem(h, codes[3].pin).status == .created)

            let shown = try await h.admin(.get, "/v1/admin/vouchers/\(codes[0].serial)").json
            #expect(shown["state"] as? String == "used" && shown["used_on"] as? String == "138****8000", "\(shown)")
            #expect(shown["pin"] == nil && shown["pin_hash"] == nil)
            let batches = try await h.admin(.get, "/v1/admin/vouchers/batches").array
            let counts = try #require(batches.first { $0["id"] as? String == issued.batch.id }?["counts"] as? [String: Int])
            #expect(counts["used"] == 2 && counts["frozen"] == 1 && counts["active"] == 1, "\(counts)")
            #expect(try await RefundTests.ledger(h, .vouchersOutstanding) == 2 * 5000)
            let verified = try await h.verify()
            #expect(verified["ok"] as? Bool == true, "\(verified)")
        }
    }

    @Test("50 redemptions of one PIN at the same moment credit exactly once", arguments: TestDatabase.all)
    func concurrentRedemptions(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let pin = try await Self.issue(h, count: 1).codes[0].pin
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<50 { group.addTask { try await Self.redeem(h, pin).status } }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1, "\(statuses)")
            #expect(statuses.allSatisfy { $0 == .created || $0 == .unprocessableContent || $0 == .tooManyRequests })
            #expect(try await h.balance() == 2350 + 5000)
            let verified = try await h.verify()
            #expect(verified["ok"] as? Bool == true, "\(verified)")
        }
    }

    @Test("five failures lock the number out for 30 minutes (429, Retry-After); other numbers go on", arguments: [TestDatabase.memory])
    func throttled(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            try await Fixtures.seedLine(h.services.store, msisdn: "13800138001", clock: h.clock)
            let pin = try await Self.issue(h, count: 1).codes[0].pin
            for index in 0..<5 {
                #expect(try await Self.redeem(h, "11111111111111111\(index)").status == .unprocessableContent)
            }
            let locked = try await Self.redeem(h, pin)
            #expect(locked.status == .tooManyRequests, "\(locked.text)")
            #expect(locked.headers[.retryAfter] == "1800")
            // The lock-out is per number: the right PIN for another number still works.
            #expect(try await Self.redeem(h, pin, msisdn: "13800138001").status == .created)
            h.clock.advance(by: 30 * 60)
            #expect(try await Self.redeem(h, "222222222222222222").status == .unprocessableContent)
        }
    }

    @Test("freezing and unfreezing a serial range, activating a batch, the audit trail", arguments: TestDatabase.all)
    func ranges(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let issued = try await Self.issue(h, count: 10, activate: false)
            let serials = issued.codes.map(\.serial)
            h.clock.advance(by: 1)
            let activated = try await h.admin(.post, "/v1/admin/vouchers/activate", body: #"{"batch_id":"\#(issued.batch.id)"}"#)
            #expect(activated.json["changed"] as? Int == 10, "\(activated.text)")
            #expect(try await RefundTests.ledger(h, .vouchersOutstanding) == 10 * 5000)
            h.clock.advance(by: 1)
            let frozen = try await h.admin(
                .post, "/v1/admin/vouchers/freeze", body: #"{"from":"\#(serials[2])","to":"\#(serials[6])","reason":"运输途中失窃"}"#)
            #expect(frozen.json["changed"] as? Int == 5, "\(frozen.text)")
            #expect(try await Self.redeem(h, issued.codes[4].pin).status == .unprocessableContent)
            #expect(
                try await h.admin(.post, "/v1/admin/vouchers/freeze", body: #"{"from":"\#(serials[2])","to":"\#(serials[6])"}"#).status
                    == .unprocessableContent)
            h.clock.advance(by: 1)
            let thawed = try await h.admin(.post, "/v1/admin/vouchers/unfreeze", body: #"{"from":"\#(serials[4])","to":"\#(serials[4])"}"#)
            #expect(thawed.json["changed"] as? Int == 1)
            h.clock.advance(by: 1)
            #expect(try await Self.redeem(h, issued.codes[4].pin).status == .created)
            let events = try await h.admin(.get, "/v1/admin/vouchers/events").array.compactMap { $0["kind"] as? String }
            #expect(events.prefix(5) == ["redeemed", "unfrozen", "frozen", "activated", "issued"], "\(events)")
            let verified = try await h.verify()
            #expect(verified["ok"] as? Bool == true, "\(verified)")
        }
    }

    @Test("SMS: CZ redeems onto the sender or another number; a retried message (same id) acts once", arguments: TestDatabase.all)
    func sms(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let codes = try await Self.issue(h, count: 2).codes
            let reply = try await h.services.textCommands.reply(from: "+8613800138000", text: "CZ \(codes[0].pin)", messageID: "k-1")
            #expect(reply.hasPrefix("充值成功：¥50.00 已到账 138****8000") && reply.contains("凭证号 BH-"), "\(reply)")
            let again = try await h.services.textCommands.reply(from: "+8613800138000", text: "CZ \(codes[0].pin)", messageID: "k-1")
            #expect(again == reply)
            #expect(try await h.balance() == 2350 + 5000)
            let refused = try await h.services.textCommands.reply(from: "+8613800138000", text: "CZ \(codes[0].pin)", messageID: "k-2")
            #expect(refused.hasPrefix("充值失败"), "\(refused)")
            try await Fixtures.seedLine(h.services.store, msisdn: "13800138001", clock: h.clock)
            let other = try await h.services.textCommands.reply(
                from: "+8613800138000", text: "TOPUP \(codes[1].pin) 13800138001", messageID: "k-3")
            #expect(other.hasPrefix("Recharged ¥50.00 to 138****8001"), "\(other)")
            #expect(try await h.balance("13800138001") == 5000)
            #expect(try await h.services.textCommands.reply(from: "+8613800138000", text: "帮助", messageID: nil).contains("CZ"))
        }
    }

    static func ussd(_ h: Harness, session: String, text: String, phone: String = "+8613800138000", key: String = ussdSecret)
        async throws -> Reply
    {
        let body =
            "sessionId=\(session)&serviceCode=%2A100%23&phoneNumber=\(phone.replacingOccurrences(of: "+", with: "%2B"))&text="
            + text.replacingOccurrences(of: "*", with: "%2A")
        return try await h.call(
            .post, "/v1/ussd/africastalking?key=\(key)", body: body, headers: [.contentType: "application/x-www-form-urlencoded"])
    }

    @Test(
        "USSD: the menu, balance, a card for this number and another, the one-shot *100*PIN#, retries, timeouts",
        arguments: TestDatabase.all)
    func ussdSessions(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let codes = try await Self.issue(h, count: 3).codes
            try await Fixtures.seedLine(h.services.store, msisdn: "13800138001", clock: h.clock)
            #expect(try await Self.ussd(h, session: "s1", text: "", key: "wrong-secret-0000000").status == .unauthorized)
            let menu = try await Self.ussd(h, session: "s1", text: "")
            #expect(menu.text.hasPrefix("CON ") && menu.text.contains("1 余额") && menu.text.count <= 182, "\(menu.text)")
            #expect(try await Self.ussd(h, session: "s1", text: "2").text.hasPrefix("CON 请输入充值卡密码"))
            let paid = try await Self.ussd(h, session: "s1", text: "2*\(codes[0].pin)")
            #expect(paid.text.hasPrefix("END 充值成功：¥50.00 已到账 138****8000") && paid.text.count <= 182, "\(paid.text)")
            // The gateway retries the same callback: the same answer, no second credit.
            #expect(try await Self.ussd(h, session: "s1", text: "2*\(codes[0].pin)").text == paid.text)
            #expect(try await h.balance() == 2350 + 5000)

            #expect(try await Self.ussd(h, session: "s2", text: "1").text.hasPrefix("END 余额 ¥73.50"))
            #expect(try await Self.ussd(h, session: "s3", text: "3*13800138001").text.hasPrefix("CON "))
            let other = try await Self.ussd(h, session: "s3", text: "3*13800138001*\(codes[1].pin)")
            #expect(other.text.hasPrefix("END 充值成功：¥50.00 已到账 138****8001"), "\(other.text)")
            #expect(try await Self.ussd(h, session: "s4", text: "4").text.hasPrefix("END "))
            let oneShot = try await Self.ussd(h, session: "s5", text: codes[2].pin)
            #expect(oneShot.text.hasPrefix("END 充值成功"), "\(oneShot.text)")
            #expect(try await Self.ussd(h, session: "s6", text: "9").text.hasPrefix("END 输入无效"))

            #expect(try await Self.ussd(h, session: "s7", text: "").text.hasPrefix("CON "))
            h.clock.advance(by: USSDService.sessionTimeout + 1)
            #expect(try await Self.ussd(h, session: "s7", text: "2").text.hasPrefix("END 会话已超时"))
            #expect(try await h.balance() == 2350 + 5000 + 5000)
            let verified = try await h.verify()
            #expect(verified["ok"] as? Bool == true, "\(verified)")
        }
    }
}
