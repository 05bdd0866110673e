import BaohaoDomain
import BaohaoHTTP
import BaohaoTelephony
import BaohaoTestSupport
import Foundation
import Testing

/// Whole hotline calls through FastAGI: a scripted Asterisk dials in, keys the menu, the number,
/// the amount and a card, and the test checks what was said, the order, the line's balance, the
/// call record and `baohao verify`.
@Suite("IVR over FastAGI")
struct IVRFastAGITests {
    static let card = "4242424242424242"

    /// Runs `body` with a FastAGI server on a free port over the harness's services.
    static func withFastAGI(_ h: Harness, _ body: @escaping @Sendable (FakeAsterisk) async throws -> Void) async throws {
        try await h.enableChannel("ivr")
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = FastAGIServer(host: "127.0.0.1", port: 0, ivr: h.services.ivr, logger: h.logs.logger) { continuation.yield($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            try await body(FakeAsterisk(port: port))
            group.cancelAll()
        }
    }

    typealias S = FakeAsterisk.Step

    static func pay(_ card: String = card) -> [S] { [.keys(card), .keys("1230"), .keys("123")] }

    @Test(
        "own number: amount, 1 % fee at least ¥0.50 and total read back; card charged once; 到账 with the receipt's end",
        arguments: TestDatabase.all)
    func ownNumber(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            try await Self.withFastAGI(h) { asterisk in
                let call = try await asterisk.call(
                    uniqueID: "1733040000.101", caller: "13800138000", [.keys("1"), .keys("50"), .keys("1"), .keys("1")] + Self.pay())
                #expect(call.commands.first == "ANSWER")
                #expect(call.commands.contains("GET DATA baohao/zh/main_menu 5000 1"))
                #expect(call.commands.contains("GET DATA baohao/zh/enter_card_number 5000 19"))
                #expect(Array(call.said.drop { $0 != "amount_is" }.prefix(3)) == ["amount_is", "yuan", "fee_is"])
                // ¥50 amount, ¥0.50 fee (50 fen), ¥50.50 total.
                #expect(Array(call.numbersSaid.suffix(5)) == ["50", "50", "50", "50", "50"])
                #expect(call.said.contains("recharge_succeeded") && call.hungUpByServer)

                let record = try #require(try await h.services.ivr.recentCalls().first)
                #expect(record.dialog.outcome == .recharged && record.cardLast4 == "4242" && record.callerMasked == "138****8000")
                let order = try await h.services.recharges.order(id: try #require(record.chargedOrderID))
                #expect(order.status == .credited && order.channel == .ivr)
                #expect(order.amount == .major(50) && order.fee == Money(50, .cny) && order.total == Money(5050, .cny))
                let receipt = try #require(order.receiptNumber)
                #expect(call.digitsSaid.last == String(receipt.filter { $0.isLetter || $0.isNumber }.suffix(6)))
                #expect(try await Self.balance(h) == 2350 + 5000)
                #expect(try await h.verify()["ok"] as? Bool == true)
                #expect(!h.logs.all.joined().contains("4242424242424242"))
            }
        }
    }

    @Test("another number: read back and re-entered; silence, * back and a decline before it is paid", arguments: TestDatabase.all)
    func otherNumber(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            _ = try await Fixtures.seedLine(h.services.store, msisdn: "13900139000", balance: 0, clock: h.clock)
            try await Self.withFastAGI(h) { asterisk in
                let script: [S] =
                    [.bargeIn("2"), .keys("1390013900"), .keys("13900139000"), .keys("2"), .keys("13900139000"), .keys("1")]
                    + [.silence, .partial("30"), .keys("*"), .keys("30"), .keys("1"), .keys("1")]
                    + Self.pay("4000000000000002") + [.keys("1")] + Self.pay()
                let call = try await asterisk.call(uniqueID: "1733040000.102", caller: "13800138000", script)
                #expect(call.commands.contains("STREAM FILE baohao/zh/welcome \"0123456789*#\""))
                #expect(call.said.contains("number_invalid"))
                #expect(call.digitsSaid.prefix(2) == ["13900139000", "13900139000"])
                #expect(call.said.contains("no_input") && call.said.contains("declined") && call.said.contains("try_again_or_menu"))
                #expect(call.said.contains("recharge_succeeded"))
                #expect(try await Self.balance(h, "13900139000") == 3000)
                #expect(try await Self.balance(h) == 2350)
                let record = try #require(try await h.services.ivr.recentCalls().first)
                #expect(record.dialog.outcome == .recharged && record.dialog.ordersOpened == 2)
                #expect(try await h.verify()["ok"] as? Bool == true)
            }
        }
    }

    @Test(
        "a hang-up before the charge cancels the order; after it the credit completes once, and menu 3 says so", arguments: TestDatabase.all
    )
    func hangUps(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            try await Self.withFastAGI(h) { asterisk in
                let before = try await asterisk.call(
                    uniqueID: "1733040000.201", caller: "13800138000",
                    [.keys("1"), .keys("50"), .keys("1"), .keys("1"), .keys(Self.card), .hangUp])
                #expect(!before.hungUpByServer)
                let abandoned = try #require(try await h.services.ivr.recentCalls().first)
                #expect(abandoned.dialog.outcome == .hungUp && abandoned.chargedOrderID == nil)
                #expect(try await h.services.recharges.order(id: try #require(abandoned.dialog.orderID)).status == .cancelled)
                #expect(try await Self.balance(h) == 2350)

                // The caller hangs up the moment the security code is in: the charge and credit go on.
                let after = try await asterisk.call(
                    uniqueID: "1733040000.202", caller: "13800138000",
                    [.keys("1"), .keys("50"), .keys("1"), .keys("1"), .keys(Self.card), .keys("1230"), .keysThenHangUp("123")])
                #expect(!after.said.contains("goodbye"))
                #expect(try await Self.balance(h) == 2350 + 5000)

                // Asterisk reconnects with the same call: nothing is charged again.
                let again = try await asterisk.call(uniqueID: "1733040000.202", caller: "13800138000", [.keys("1")])
                #expect(again.said.contains("already_charged") && again.hungUpByServer)
                #expect(try await Self.balance(h) == 2350 + 5000)

                let next = try await asterisk.call(uniqueID: "1733040000.203", caller: "13800138000", [.keys("3"), .keys("9")])
                #expect(next.said.contains("balance_is"))
                #expect(Array(next.numbersSaid.prefix(2)) == ["73", "50"])
                // The fixture's plan has no retention policy: the deadline comes from its fee and the
                // balance (¥73.50 pays 14 months), as the portal shows it.
                #expect(next.said.contains("deadline_is") && !next.said.contains("no_deadline"))
                #expect(next.commands.contains { $0.hasPrefix("SAY DATETIME ") })

                // A line under a retention policy hears its deadline, said as a date.
                let kept = try await asterisk.call(
                    uniqueID: "1733040000.204", caller: try await Self.policyLine(h), [.keys("3"), .keys("9")])
                #expect(kept.said.contains("balance_is") && kept.said.contains("deadline_is"))
                #expect(kept.commands.contains { $0.hasPrefix("SAY DATETIME ") && $0.hasSuffix(" YBd UTC") })
                #expect(try await h.verify()["ok"] as? Bool == true)
            }
        }
    }

    @Test("AGI answers: a HANGUP line, 511, 510 and a 520 usage text; a withheld caller", arguments: [TestDatabase.memory])
    func agiAnswers(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            try await Self.withFastAGI(h) { plain in
                var asterisk = plain
                asterisk.unknownCommands = ["SAY DATETIME"]
                asterisk.usageErrors = ["SAY ALPHA"]
                let caller = try await Self.policyLine(h)
                let paid = try await asterisk.call(
                    uniqueID: "1733040000.301", caller: caller, [.keys("3"), .keys("1"), .keys("10"), .keys("1"), .keys("1")] + Self.pay())
                #expect(paid.commands.contains { $0.hasPrefix("SAY DATETIME") } && paid.commands.contains { $0.hasPrefix("SAY ALPHA") })
                #expect(paid.said.suffix(1) == ["goodbye"] && paid.hungUpByServer)
                #expect(try await Self.balance(h, caller) == 1200 + 1000)

                let gone = try await asterisk.call(uniqueID: "1733040000.302", caller: nil, [.keys("1"), .hangUpLine])
                #expect(gone.said.contains("caller_not_a_line"))
                #expect(!gone.hungUpByServer)
                let record = try #require(try await h.services.ivr.recentCalls().first { $0.id == "agi:1733040000.302" })
                #expect(record.callerMasked == "withheld" && record.dialog.outcome == .hungUp && record.endedAt != nil)

                let silent = try await asterisk.call(uniqueID: "1733040000.303", caller: "13800138000", [])
                #expect(silent.said.filter { $0 == "no_input" }.count == 3 && silent.said.last == "goodbye" && silent.hungUpByServer)
            }
        }
    }

    @Test("30 simultaneous calls: each credited once, the books balance", arguments: TestDatabase.all)
    func concurrentCalls(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            try await Self.withFastAGI(h) { asterisk in
                let calls = 30
                try await withThrowingTaskGroup(of: FakeAsterisk.Transcript.self) { group in
                    for index in 0..<calls {
                        group.addTask {
                            try await asterisk.call(
                                uniqueID: "1733040000.\(500 + index)", caller: "13800138000",
                                [.keys("1"), .keys("10"), .keys("1"), .keys("1")] + Self.pay())
                        }
                    }
                    for try await call in group { #expect(call.said.contains("recharge_succeeded")) }
                }
                #expect(try await Self.balance(h) == 2350 + Int64(calls) * 1000)
                let records = try await h.services.ivr.recentCalls()
                #expect(records.count == calls && records.allSatisfy { $0.dialog.outcome == .recharged })
                #expect(Set(records.compactMap(\.chargedOrderID)).count == calls)
                #expect(try await h.verify()["ok"] as? Bool == true)
            }
        }
    }

    /// A line (¥12.00) on a plan under the cn-keep5 retention policy, which gives it a deadline.
    static func policyLine(_ h: Harness) async throws -> String {
        try await h.services.admin.addPlan(try Plan(code: "KEEP5P", name: "保号套餐 5元/月", monthlyFee: .major(5), policyCode: "cn-keep5"))
        return try await h.services.lines.add(
            NewLine(msisdn: "13600136000", planCode: "KEEP5P", holderName: "李四", openingBalance: Money(1200, .cny))
        ).msisdn.e164
    }

    static func balance(_ h: Harness, _ msisdn: String = "13800138000") async throws -> Int64 {
        try await h.services.lines.line(msisdn: msisdn).balance.amountMinor
    }
}
