import BaohaoDomain
import BaohaoTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("Refunds")
struct RefundTests {
    static let password = "refund-desk-password-01"

    static func bearer(_ h: Harness, _ username: String) async throws -> HTTPFields {
        let issued = try await StaffTokenTests.token(h, username, password: password)
        #expect(issued.status == .created, "\(issued.text)")
        return [.authorization: "Bearer \(try #require(issued.json["token"] as? String))"]
    }

    /// An operator (`ops1`) and an administrator (`boss1`) with staff tokens: the two people a refund needs.
    static func desk(_ h: Harness) async throws -> (ops: HTTPFields, boss: HTTPFields) {
        for (name, role) in [("ops1", StaffRole.operator), ("boss1", .admin)] {
            _ = try await h.services.staff.addStaff(username: name, displayName: name, role: role, password: password)
        }
        return (try await bearer(h, "ops1"), try await bearer(h, "boss1"))
    }

    static func request(_ h: Harness, _ auth: HTTPFields, orderID: String, amount: Int64, reason: String = "投诉：重复充值") async throws
        -> Reply
    {
        try await h.call(
            .post, "/v1/admin/refunds",
            body: #"{"order_id":"\#(orderID)","amount":{"amount":\#(amount),"currency":"CNY"},"reason":"\#(reason)"}"#,
            headers: auth)
    }

    static func decide(_ h: Harness, _ auth: HTTPFields, _ id: String, _ verb: String, reason: String? = nil) async throws -> Reply {
        try await h.call(.post, "/v1/admin/refunds/\(id)/\(verb)", body: reason.map { #"{"reason":"\#($0)"}"# }, headers: auth)
    }

    /// A credited ¥50 order on the line.
    static func creditedOrder(_ h: Harness, _ msisdn: String = "13800138000") async throws -> String {
        let id = try #require(try await h.recharge(msisdn).json["id"] as? String)
        #expect(try await h.notify(orderID: id).status == .ok)
        #expect(try await h.call(.get, "/v1/recharges/\(id)").json["status"] as? String == "credited")
        return id
    }

    /// The sum of an account's postings, as the ledger holds it.
    static func ledger(_ h: Harness, _ account: LedgerAccount) async throws -> Int64 {
        try await h.services.store.read { try await $0.transfers(account: account, limit: 1000) }.flatMap(\.postings)
            .filter { $0.account == account }.reduce(0) { $0 + $1.amount.amountMinor }
    }

    @Test(
        "a second payment for one order goes to suspense and is refunded automatically, once, however often it is notified",
        arguments: TestDatabase.all)
    func doublePayment(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let id = try await Self.creditedOrder(h)
            // The payer paid twice; the provider repeats its notification of the second payment.
            for _ in 0..<3 { #expect(try await h.notify(orderID: id, transactionID: "second-txn").status == .ok) }
            #expect(try await h.balance() == 2350 + 5000)
            #expect(try await Self.ledger(h, .suspense) == 5000)

            // Two server processes sweep at once, and again later: one refund.
            async let first = h.services.refunds.createAutomatic()
            async let second = h.services.refunds.createAutomatic()
            #expect(try await first + second == 1)
            #expect(try await h.services.refunds.createAutomatic() == 0)
            let listed = try await h.admin(.get, "/v1/admin/refunds?status=processing").array
            #expect(listed.count == 1 && listed.first?["automatic"] as? Bool == true && listed.first?["source"] as? String == "suspense")
            #expect(listed.first?["requested_by"] is NSNull)
            #expect(try await Self.ledger(h, .suspense) == 0)
            #expect(try await Self.ledger(h, .refundsPending) == 5000)

            let round = try await h.services.refunds.process()
            #expect(round.succeeded == 1)
            #expect(try await h.services.refunds.process().succeeded == 0)
            let refund = try #require(try await h.admin(.get, "/v1/admin/refunds?status=succeeded").array.first)
            #expect((refund["amount"] as? [String: Any])?["amount"] as? Int == 5000)
            #expect((refund["provider_refund_id"] as? String)?.hasPrefix("sbx_rf_") == true)
            #expect(refund["reason"] as? String == "second_payment_for_order")
            #expect(try await Self.ledger(h, .refundsPending) == 0)

            // The payer's order: still credited once, with the second payment shown refunded.
            let order = try await h.call(.get, "/v1/recharges/\(id)").json
            #expect(order["status"] as? String == "credited")
            let refunds = try #require(order["refunds"] as? [[String: Any]])
            #expect(
                refunds.count == 1 && refunds.first?["status"] as? String == "succeeded"
                    && refunds.first?["status_name"] as? String == "已退款")
            let page = try await h.call(.get, "/orders/\(id)")
            #expect(page.text.contains("重复付款自动退款") && page.text.contains("已退款"))
            #expect(try await h.balance() == 2350 + 5000)
            let verified = try await h.verify()
            #expect(verified["ok"] as? Bool == true, "\(verified)")
        }
    }

    @Test(
        "maker-checker: who asked cannot decide, an operator or the shared token cannot approve; partial then full",
        arguments: TestDatabase.all)
    func makerChecker(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            for (name, role) in [("ops1", StaffRole.operator), ("boss1", .admin), ("boss2", .admin)] {
                _ = try await h.services.staff.addStaff(username: name, displayName: name, role: role, password: Self.password)
            }
            let ops = try await Self.bearer(h, "ops1")
            let boss1 = try await Self.bearer(h, "boss1")
            let boss2 = try await Self.bearer(h, "boss2")
            let id = try await Self.creditedOrder(h)
            #expect(try await h.balance() == 7350)

            // The shared admin token names nobody: it may read, not ask.
            let anonymous = try await Self.request(h, [.authorization: "Bearer \(adminToken)"], orderID: id, amount: 2000)
            #expect(anonymous.status == .forbidden, "\(anonymous.text)")
            #expect(try await h.call(.post, "/v1/admin/refunds", body: "{}").status == .unauthorized)

            let asked = try await Self.request(h, ops, orderID: id, amount: 2000)
            #expect(asked.status == .created, "\(asked.text)")
            #expect(asked.json["status"] as? String == "requested" && asked.json["requested_by"] as? String == "ops1")
            let refundID = try #require(asked.json["id"] as? String)
            #expect(try await h.balance() == 7350)

            #expect(try await Self.decide(h, ops, refundID, "approve").status == .forbidden)
            #expect(try await Self.decide(h, [.authorization: "Bearer \(adminToken)"], refundID, "approve").status == .forbidden)
            let overAsk = try await Self.request(h, boss1, orderID: id, amount: 3001)
            #expect(overAsk.status == .unprocessableContent && overAsk.text.contains("refund-exceeds-paid"), "\(overAsk.text)")
            let own = try await Self.request(h, boss1, orderID: id, amount: 1000)
            let ownID = try #require(own.json["id"] as? String)
            let selfApproval = try await Self.decide(h, boss1, ownID, "approve")
            #expect(
                selfApproval.status == .forbidden && selfApproval.text.contains("refund-needs-another-approver"), "\(selfApproval.text)")
            let noReason = try await Self.decide(h, boss2, ownID, "reject")
            #expect(noReason.status == .unprocessableContent, "\(noReason.text)")
            let rejected = try await Self.decide(h, boss2, ownID, "reject", reason: "已电话核实，无需退款")
            #expect(rejected.json["status"] as? String == "rejected" && rejected.json["decided_by"] as? String == "boss2")

            let approved = try await Self.decide(h, boss2, refundID, "approve", reason: "核实无误")
            #expect(approved.status == .ok, "\(approved.text)")
            #expect(approved.json["status"] as? String == "succeeded" && approved.json["decided_by"] as? String == "boss2")
            #expect(try await h.balance() == 5350)
            #expect(try await h.call(.get, "/v1/recharges/\(id)").json["status"] as? String == "partially_refunded")
            // The line's ledger shows the refund reversing the recharge's transfer.
            let ledger = try await h.admin(.get, "/v1/admin/lines/13800138000/ledger").array
            let recharge = try #require(ledger.first { $0["order_id"] as? String == id })
            let taken = try #require(ledger.first { $0["kind"] as? String == "refund" })
            #expect(taken["reverses"] as? String == recharge["id"] as? String && recharge["reverses"] is NSNull)
            // The refund receipt (退款凭证) names the original receipt; an unknown refund is 404.
            let receiptNo = try #require(try await h.call(.get, "/v1/recharges/\(id)").json["receipt_no"] as? String)
            let slip = try await h.call(.get, "/refunds/\(refundID)")
            #expect(slip.status == .ok && slip.text.contains("退款凭证") && slip.text.contains(receiptNo) && slip.text.contains("¥20.00"))
            #expect(slip.text.contains("已退款") && !slip.text.contains("13800138000"))
            #expect(try await h.call(.get, "/refunds/rf_unknown").status == .notFound)
            // Approving again is harmless: the same refund, no second transfer.
            #expect(try await Self.decide(h, boss2, refundID, "approve").json["status"] as? String == "succeeded")
            // Only a refund whose asking stopped on an unclear answer is settled by hand.
            let settled = try await h.call(
                .post, "/v1/admin/refunds/\(refundID)/resolve", body: #"{"outcome":"failed","reason":"x"}"#, headers: boss1)
            #expect(settled.status == .conflict, "\(settled.text)")
            let badOutcome = try await h.call(
                .post, "/v1/admin/refunds/\(refundID)/resolve", body: #"{"outcome":"maybe","reason":"x"}"#, headers: boss1)
            #expect(badOutcome.status == .unprocessableContent, "\(badOutcome.text)")
            let late = try await Self.decide(h, boss1, refundID, "approve")
            #expect(late.status == .conflict && late.text.contains("refund-already-decided"), "\(late.text)")
            #expect(try await h.balance() == 5350)

            let rest = try await Self.request(h, ops, orderID: id, amount: 3000)
            let restID = try #require(rest.json["id"] as? String)
            #expect(try await Self.decide(h, boss1, restID, "approve").json["status"] as? String == "succeeded")
            #expect(try await h.balance() == 2350)
            let order = try await h.call(.get, "/v1/recharges/\(id)").json
            #expect(order["status"] as? String == "refunded" && (order["refunds"] as? [[String: Any]])?.count == 3)
            let again = try await Self.request(h, ops, orderID: id, amount: 1)
            #expect(again.status == .conflict && again.text.contains("refund-not-allowed"), "\(again.text)")
            #expect(try await Self.ledger(h, .providerClearing(provider: "sandbox")) == 0)
            #expect(try await h.admin(.get, "/v1/admin/refunds").array.count == 3)
            #expect(try await h.admin(.get, "/v1/admin/refunds?status=nonsense").status == .unprocessableContent)
            let verified = try await h.verify()
            #expect(verified["ok"] as? Bool == true, "\(verified)")
        }
    }

    @Test("a refund the line's balance no longer covers is refused with what could be refunded", arguments: TestDatabase.all)
    func notCovered(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let (ops, boss) = try await Self.desk(h)
            try await Fixtures.seedLine(h.services.store, msisdn: "13900139000", balance: -4000, clock: h.clock)
            let id = try await Self.creditedOrder(h, "13900139000")
            #expect(try await h.balance("13900139000") == 1000)
            let refused = try await Self.request(h, ops, orderID: id, amount: 5000)
            #expect(refused.status == .conflict && refused.text.contains("refund-not-covered"), "\(refused.text)")
            #expect((refused.json["refundable"] as? [String: Any])?["amount"] as? Int == 1000)
            let partial = try await Self.request(h, ops, orderID: id, amount: 1000)
            #expect(
                try await Self.decide(h, boss, try #require(partial.json["id"] as? String), "approve").json["status"] as? String
                    == "succeeded")
            #expect(try await h.balance("13900139000") == 0)
            #expect(try await h.admin(.get, "/v1/admin/refunds").array.count == 1)
            let verified = try await h.verify()
            #expect(verified["ok"] as? Bool == true, "\(verified)")
        }
    }

    @Test(
        "a first refusal gives the money back; errors and 'processing' are asked again on schedule; a later refusal is not trusted",
        arguments: TestDatabase.all)
    func providerFailures(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let operatorAccount = try await h.services.staff.addStaff(
                username: "ops1", displayName: "ops1", role: .operator, password: Self.password)
            let admin = try await h.services.staff.addStaff(username: "boss1", displayName: "boss1", role: .admin, password: Self.password)
            let provider = ScriptedRefunds(answers: [
                .success(.refused(code: "TRADE_NOT_ALLOW")),
                .failure("connection reset"), .success(.processing(providerRefundID: "P-1")), .success(.succeeded(providerRefundID: "P-1")),
                .failure("timeout"), .success(.refused(code: "ORDER_DUPLICATE")),
            ])
            let refunds = RefundService(store: h.services.store, gateways: PaymentGateways([provider]), clock: h.clock)
            let id = try await Self.creditedOrder(h)

            // Refused at the first ask: nothing reached the payer, the money goes back to the line.
            let first = try await refunds.request(orderID: id, amount: Money(5000, .cny), reason: "投诉", by: operatorAccount)
            var refund = try await refunds.approve(id: first.id, reason: nil, by: admin)
            #expect(refund.status == .failed && refund.lastError == "refused: TRADE_NOT_ALLOW" && refund.cancelTransferID != nil)
            #expect(try await h.balance() == 7350)
            #expect(try await h.call(.get, "/v1/recharges/\(id)").json["status"] as? String == "credited")

            // A failed refund frees the amount for a new one: a network error, then "processing",
            // then success, each ask when it falls due.
            let second = try await refunds.request(orderID: id, amount: Money(5000, .cny), reason: "再次申请", by: operatorAccount)
            refund = try await refunds.approve(id: second.id, reason: nil, by: admin)
            #expect(refund.status == .processing && refund.attempts == 1 && refund.lastError?.contains("connection reset") == true)
            #expect(refund.nextAttemptAt == h.clock.now() + 30)
            #expect(try await h.balance() == 2350)
            #expect(try await refunds.process().pending == 0)
            h.clock.advance(by: 30)
            #expect(try await refunds.process().pending == 1)
            refund = try await refunds.refund(id: second.id)
            #expect(refund.providerRefundID == "P-1" && refund.nextAttemptAt == h.clock.now() + 60)
            h.clock.advance(by: 60)
            #expect(try await refunds.process().succeeded == 1)
            #expect(try await h.balance() == 2350)
            #expect(try await h.call(.get, "/v1/recharges/\(id)").json["status"] as? String == "refunded")

            // A refusal after an ask that may have arrived: the money stays pending, asking stops.
            let other = try await Self.creditedOrder(h)
            let third = try await refunds.request(orderID: other, amount: Money(5000, .cny), reason: "投诉", by: operatorAccount)
            #expect(try await refunds.approve(id: third.id, reason: nil, by: admin).status == .processing)
            h.clock.advance(by: 30)
            #expect(try await refunds.process().pending == 1)
            refund = try await refunds.refund(id: third.id)
            #expect(refund.status == .processing && refund.nextAttemptAt == nil && refund.lastError?.contains("ORDER_DUPLICATE") == true)
            h.clock.advance(by: 3600)
            #expect(try await refunds.process().pending == 0)
            #expect(try await h.balance() == 2350)
            // An administrator checks with the provider and settles it by hand: money back on the line.
            await #expect(throws: DomainError.self) { try await refunds.resolve(id: second.id, paidBack: true, reason: "x", by: admin) }
            await #expect(throws: DomainError.self) {
                try await refunds.resolve(id: third.id, paidBack: false, reason: "x", by: operatorAccount)
            }
            refund = try await refunds.resolve(id: third.id, paidBack: false, reason: "银联对账未见该退款", by: admin)
            #expect(refund.status == .failed && refund.resolvedBy == admin.id && refund.resolutionReason == "银联对账未见该退款")
            #expect(try await h.balance() == 7350)
            // Every ask used the refund's own id: the provider's idempotency key.
            #expect(await provider.asked == [first.id, second.id, second.id, second.id, third.id, third.id])
            let verified = try await h.verify()
            #expect(verified["ok"] as? Bool == true, "\(verified)")
        }
    }

    @Test(
        "申请退款: a subscriber asks from the order history; an administrator approves; someone else's order is not found",
        arguments: TestDatabase.all)
    func subscriberRequest(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let admin = try await h.services.staff.addStaff(username: "boss1", displayName: "boss1", role: .admin, password: Self.password)
            let id = try await Self.creditedOrder(h)
            let lineID = try #require(try await h.line()["id"] as? String)
            let token = SessionToken.make()
            let csrf = SessionToken.make()
            try await h.services.store.write { session in
                try await session.insertSubscriberAccount(SubscriberAccount(id: "sa_1", createdAt: h.clock.now()))
                try await session.linkNumber(lineID: lineID, accountID: "sa_1", at: h.clock.now())
                try await session.insertSubscriberSession(
                    SubscriberSession(
                        tokenHash: SessionToken.hash(token), accountID: "sa_1", createdAt: h.clock.now(),
                        expiresAt: h.clock.now() + 3600, lastSeenAt: h.clock.now()))
            }
            let cookie: HTTPFields = [.cookie: "bh_session=\(token); bh_csrf=\(csrf)"]
            let history = try await h.call(.get, "/me/lines/\(lineID)", headers: cookie)
            #expect(history.text.contains("/me/orders/\(id)/refund") && history.text.contains("申请退款"))
            let form = try await h.call(.get, "/me/orders/\(id)/refund", headers: cookie)
            #expect(form.status == .ok && form.text.contains("现在可退") && form.text.contains("¥50.00"), "\(form.text)")

            var post = cookie
            post[.contentType] = "application/x-www-form-urlencoded"
            let blank = try await h.call(.post, "/me/orders/\(id)/refund", body: "csrf=\(csrf)&reason=", headers: post)
            #expect(blank.status == .unprocessableContent && blank.text.contains("退款原因"))
            let asked = try await h.call(
                .post, "/me/orders/\(id)/refund", body: "csrf=\(csrf)&reason=%E4%B8%8D%E9%9C%80%E8%A6%81%E4%BA%86", headers: post)
            #expect(asked.status == .seeOther && asked.headers[.location] == "/orders/\(id)")
            // Asking again while it waits is the same request.
            _ = try await h.call(.post, "/me/orders/\(id)/refund", body: "csrf=\(csrf)&reason=again", headers: post)
            let waiting = try await h.admin(.get, "/v1/admin/refunds?status=requested").array
            #expect(
                waiting.count == 1 && waiting.first?["requested_via"] as? String == "subscriber" && waiting.first?["requested_by"] is NSNull
            )
            #expect(waiting.first?["reason"] as? String == "不需要了")
            #expect((waiting.first?["amount"] as? [String: Any])?["amount"] as? Int == 5000)
            #expect(try await h.balance() == 7350)

            // Not theirs: another line's order is "not found", and nothing is asked.
            try await Fixtures.seedLine(h.services.store, msisdn: "13900139000", balance: 0, clock: h.clock)
            let other = try await Self.creditedOrder(h, "13900139000")
            #expect(try await h.call(.get, "/me/orders/\(other)/refund", headers: cookie).status == .notFound)
            #expect(try await h.call(.post, "/me/orders/\(other)/refund", body: "csrf=\(csrf)&reason=x", headers: post).status == .notFound)

            let refundID = try #require(waiting.first?["id"] as? String)
            #expect(try await h.services.refunds.approve(id: refundID, reason: nil, by: admin).status == .succeeded)
            #expect(try await h.balance() == 2350)
            #expect(try await h.call(.get, "/v1/recharges/\(id)").json["status"] as? String == "refunded")
            let after = try await h.call(.get, "/me/orders/\(id)/refund", headers: cookie)
            #expect(after.text.contains("没有可退的金额") && !after.text.contains("refund-submit"))
            let verified = try await h.verify()
            #expect(verified["ok"] as? Bool == true, "\(verified)")
        }
    }
    @Test(
        "a cash sale refunded after its shift closed is paid back at a counter with an open shift, in its X report and till",
        arguments: TestDatabase.all)
    func counterCashRefund(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            try await CounterSaleTests.enableCounter(h)
            let clerk = try await CounterSaleTests.clerkOnShift(h, "clerk01")
            let sold = try await CounterSaleTests.sale(h, clerk, key: "sale-refund-01", body: CounterSaleTests.cash50)
            #expect(sold.status == .created, "\(sold.text)")
            let firstShift = try #require(sold.json["shift"] as? String)
            let orderID = try #require(sold.json["order_id"] as? String, "\(sold.text)")
            let closed = try await h.call(
                .post, "/v1/counter/shifts/\(firstShift)/close", body: #"{"counted_cash":{"amount":15000,"currency":"CNY"}}"#,
                headers: clerk)
            #expect(closed.status == .ok, "\(closed.text)")

            let (ops, boss) = try await Self.desk(h)
            let asked = try await Self.request(h, ops, orderID: orderID, amount: 2000)
            #expect(asked.status == .created, "\(asked.text)")
            let id = try #require(asked.json["id"] as? String)
            let approved = try await Self.decide(h, boss, id, "approve")
            #expect(approved.status == .ok && approved.json["status"] as? String == "processing", "\(approved.text)")
            #expect(approved.json["provider"] as? String == "counter" && approved.json["next_attempt_at"] is NSNull)
            #expect(try await h.balance() == 2350 + 5000 - 2000)
            // No provider is asked, and an administrator cannot settle it by hand: it waits for a counter.
            #expect(try await h.services.refunds.process().succeeded == 0)
            let settle = try await h.call(
                .post, "/v1/admin/refunds/\(id)/resolve", body: #"{"outcome":"succeeded","reason":"现金已退"}"#,
                headers: boss)
            #expect(settle.status == .conflict, "\(settle.text)")

            // Without an open shift the clerk cannot pay; with one, the till pays and the X report shows it.
            let noShift = try await h.call(.post, "/v1/counter/refunds/\(id)/payout", headers: clerk)
            #expect(noShift.status == .conflict && noShift.text.contains("no-open-shift"), "\(noShift.text)")
            let waiting = try await h.call(.get, "/v1/counter/refunds", headers: clerk).array
            #expect(waiting.map { $0["id"] as? String } == [id])
            let reopened = try await h.call(
                .post, "/v1/counter/shifts", body: #"{"opening_float":{"amount":10000,"currency":"CNY"}}"#, headers: clerk)
            let secondShift = try #require(reopened.json["id"] as? String, "\(reopened.text)")
            let paid = try await h.call(.post, "/v1/counter/refunds/\(id)/payout", headers: clerk)
            #expect(paid.status == .ok && paid.json["status"] as? String == "succeeded", "\(paid.text)")
            #expect(paid.json["payout_shift_id"] as? String == secondShift && paid.json["payout_tender"] as? String == "cash")
            // A repeat (the terminal lost the answer) pays nothing more.
            #expect(try await h.call(.post, "/v1/counter/refunds/\(id)/payout", headers: clerk).json["status"] as? String == "succeeded")
            let x = try await h.call(.get, "/v1/counter/shifts/\(secondShift)/report", headers: clerk).json
            #expect(x["refunds_count"] as? Int == 1 && CounterShiftTests.money(x["refunds_total"]) == 2000)
            #expect(CounterShiftTests.money(x["expected_cash"]) == 10000 - 2000)
            #expect(try await Self.ledger(h, .till(shiftID: secondShift, tender: "cash")) == 2000)
            #expect(try await Self.ledger(h, .refundsPending) == 0)
            #expect(try await h.call(.get, "/v1/recharges/\(orderID)").json["status"] as? String == "partially_refunded")
            #expect(try await h.call(.get, "/v1/counter/refunds", headers: clerk).array.isEmpty)
            let verified = try await h.verify()
            #expect(verified["ok"] as? Bool == true, "\(verified)")
        }
    }
}

/// A provider whose refund answers are scripted, one per ask; it records the refund ids asked.
actor ScriptedRefunds: PaymentGateway {
    enum Answer: Sendable {
        case success(RefundResult)
        case failure(String)
    }

    nonisolated let name = "sandbox"
    nonisolated let methods: [PaymentMethod] = [.sandbox]
    private var answers: [Answer]
    private(set) var asked: [String] = []

    init(answers: [Answer]) { self.answers = answers }

    struct NetworkError: Error, CustomStringConvertible {
        let description: String
    }

    nonisolated func createPayment(_ request: PaymentRequest) async throws -> PaymentSession { throw ProviderUnsupported("pay") }
    nonisolated func queryPayment(_ query: PaymentQuery) async throws -> PaymentQueryResult { .notFound }
    func refund(_ request: RefundRequest) async throws -> RefundResult {
        asked.append(request.refundID)
        switch answers.removeFirst() {
        case .success(let result): return result
        case .failure(let text): throw NetworkError(description: text)
        }
    }

}
