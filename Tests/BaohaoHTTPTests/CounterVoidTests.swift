import BaohaoDomain
import Foundation
import HTTPTypes
import Testing

@testable import BaohaoTestSupport

/// Voids: the clerk's own sale in the same open shift is undone by a reversing transfer, never an
/// edit; the shift's figures and the books show it.
@Suite("Counter voids")
struct CounterVoidTests {
    static func void(_ h: Harness, _ clerk: HTTPFields, _ sale: String, reason: String = "顾客号码说错") async throws -> Reply {
        try await h.call(.post, "/v1/counter/sales/\(sale)/void", body: #"{"reason":"\#(reason)"}"#, headers: clerk)
    }

    @Test(
        "a void reverses the credit, restores the balance, marks the receipt, and shows in the X and Z reports", arguments: TestDatabase.all
    )
    func voidCashSale(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            try await CounterSaleTests.enableCounter(h)
            let clerk = try await CounterSaleTests.clerkOnShift(h, "clerk01")
            let sold = try await CounterSaleTests.sale(h, clerk, key: "sale-000001", body: CounterSaleTests.cash50)
            let kept = try await CounterSaleTests.sale(
                h, clerk, key: "sale-000002", body: CounterSaleTests.cash50.replacingOccurrences(of: "5000", with: "3000"))
            #expect(sold.status == .created && kept.status == .created)
            let id = try #require(sold.json["id"] as? String)
            let receipt = try #require(sold.json["receipt_no"] as? String)
            #expect(try await h.balance() == 2350 + 5000 + 3000)

            let voided = try await Self.void(h, clerk, id)
            #expect(voided.status == .ok, "\(voided.text)")
            #expect(voided.json["status"] as? String == "voided" && voided.json["void_reason"] as? String == "顾客号码说错")
            #expect(voided.json["voided_at"] as? String == "2026-11-24T12:00:00.000Z")
            #expect(try await h.balance() == 2350 + 3000)
            // A repeat (a terminal that lost the answer) is the same void: the balance moves once.
            let again = try await Self.void(h, clerk, id, reason: "重试")
            #expect(again.status == .ok && again.json["void_reason"] as? String == "顾客号码说错")
            #expect(try await h.balance() == 2350 + 3000)

            // The ledger holds the credit and its reversal, pointing at it; nothing was edited.
            let lineID = try #require(try await h.line()["id"] as? String)
            let transfers = try await h.services.store.read { try await $0.transfers(account: .line(id: lineID), limit: 10) }
            let recharge = try #require(transfers.first { $0.kind == .recharge && $0.postings.contains { $0.amount.amountMinor == 5000 } })
            let reversal = try #require(transfers.first { $0.kind == .void })
            #expect(reversal.reverses == recharge.id && reversal.orderID == nil)
            #expect(
                Set(reversal.postings.map { "\($0.account.code) \($0.amount.amountMinor)" })
                    == Set(recharge.postings.map { "\($0.account.code) \(-$0.amount.amountMinor)" }))

            let shownReceipt = try await h.call(.get, "/v1/receipts/\(receipt)")
            #expect(shownReceipt.json["status"] as? String == "voided", "\(shownReceipt.text)")
            let page = try await h.call(.get, "/receipts/\(receipt)")
            #expect(page.text.contains("已撤销"))

            let shift = try #require(sold.json["shift"] as? String)
            let x = try await h.call(.get, "/v1/counter/shifts/\(shift)/report", headers: clerk)
            #expect(x.json["sales_count"] as? Int == 2 && x.json["voids_count"] as? Int == 1)
            #expect(CounterShiftTests.money(x.json["voids_total"]) == 5000)
            #expect(CounterShiftTests.money(x.json["expected_cash"]) == 10000 + 3000)
            let verified = try await h.verify()
            #expect(verified["ok"] as? Bool == true, "\(verified)")

            let z = try await h.call(
                .post, "/v1/counter/shifts/\(shift)/close", body: #"{"counted_cash":{"amount":13000,"currency":"CNY"}}"#, headers: clerk)
            #expect(z.status == .ok && CounterShiftTests.money(z.json["over_short"]) == 0, "\(z.text)")
            // After close a void is a refund's business.
            let late = try await Self.void(h, clerk, try #require(kept.json["id"] as? String))
            #expect(late.status == .conflict && late.json["type"] as? String == "https://baohao.dev/problems/shift-closed", "\(late.text)")
            #expect(try await h.balance() == 2350 + 3000)
        }
    }

    @Test("only the clerk's own sale; never below zero; a reason is required", arguments: [TestDatabase.memory, TestDatabase.sqlite])
    func refusals(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            try await CounterSaleTests.enableCounter(h)
            try await Fixtures.seedLine(h.services.store, msisdn: "13900139000", balance: -4000, clock: h.clock)
            let clerk = try await CounterSaleTests.clerkOnShift(h, "clerk01")
            let other = try await CounterSaleTests.clerkOnShift(h, "clerk02")
            let sold = try await CounterSaleTests.sale(
                h, clerk, key: "sale-000001", body: CounterSaleTests.cash50.replacingOccurrences(of: "13800138000", with: "13900139000"))
            #expect(sold.status == .created, "\(sold.text)")
            let id = try #require(sold.json["id"] as? String)
            #expect(try await h.balance("13900139000") == 1000)

            let notMine = try await Self.void(h, other, id)
            #expect(notMine.status == .notFound, "\(notMine.text)")
            _ = try await h.services.staff.addStaff(
                username: "ops01", displayName: "值班员", role: .operator, password: CounterShiftTests.password)
            let operatorToken = try await CounterShiftTests.bearer(h, "ops01")
            #expect(try await Self.void(h, operatorToken, id).status == .forbidden)
            #expect(try await h.call(.post, "/v1/counter/sales/\(id)/void", body: #"{"reason":"x"}"#).status == .unauthorized)
            let blank = try await Self.void(h, clerk, id, reason: "  ")
            #expect(blank.status == .unprocessableContent && blank.text.contains("reason"), "\(blank.text)")
            // The line holds ¥10 of the ¥50 now: voiding would take it below zero.
            let uncovered = try await Self.void(h, clerk, id)
            #expect(uncovered.status == .conflict && uncovered.text.contains("void-not-covered"), "\(uncovered.text)")
            #expect(try await h.balance("13900139000") == 1000)
            let verified = try await h.verify()
            #expect(verified["ok"] as? Bool == true, "\(verified)")
        }
    }
}

/// A counter sale's receipt: the page, the PDF's source fields and JSON show the outlet, clerk,
/// tender, change and masked ID; the thermal printer's bytes are GB18030 in the paper's columns,
/// and every printing after the first says 副本 with its number.
@Suite("Counter receipts")
struct CounterReceiptTests {
    @Test(
        "counter details on every form of the receipt; ESC/POS originals and counted copies",
        arguments: [TestDatabase.memory, TestDatabase.sqlite])
    func counterReceipt(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            try await CounterSaleTests.enableCounter(h)
            let clerk = try await CounterSaleTests.clerkOnShift(h, "clerk01")
            let sold = try await CounterSaleTests.sale(h, clerk, key: "sale-000001", body: CounterSaleTests.cash50)
            let number = try #require(sold.json["receipt_no"] as? String)

            let json = try await h.call(.get, "/v1/receipts/\(number)").json
            let counter = try #require(json["counter"] as? [String: Any])
            #expect(counter["outlet"] as? String == "BJ-XD-01" && counter["clerk"] as? String == "柜员 clerk01")
            #expect(counter["tender"] as? String == "cash" && CounterShiftTests.money(counter["change"]) == 5000)
            #expect(counter["id_masked"] as? String == "**************002X" && json["voided_at"] is NSNull)
            let page = try await h.call(.get, "/receipts/\(number)").text
            for text in ["营业厅 BJ-XD-01", "柜员 clerk01", "现金", "找零", "¥50.00", "**************002X"] {
                #expect(page.contains(text), "page lacks \(text)")
            }
            #expect(!page.contains("11010519491231002"))

            let first = try await h.call(.get, "/receipts/\(number)/escpos?width=58")
            #expect(first.status == .ok && first.headers[.contentType] == "application/vnd.escpos")
            #expect(first.headers[HTTPField.Name("Baohao-Print-Copy")!] == "1")
            #expect(Array(first.bytes.prefix(2)) == [0x1B, 0x40] && Array(first.bytes.suffix(3)) == [0x1D, 0x56, 0x01])
            let gb18030 = String.Encoding(rawValue: 0x8000_0632)
            let text = try #require(String(data: Data(first.bytes.filter { $0 == 0x0A || $0 >= 0x20 }), encoding: gb18030))
            #expect(text.contains("充值凭证") && text.contains(number) && !text.contains("副本"))
            let copy = try await h.call(.get, "/receipts/\(number)/escpos?width=80")
            #expect(copy.headers[HTTPField.Name("Baohao-Print-Copy")!] == "2")
            let copyText = try #require(String(data: Data(copy.bytes.filter { $0 == 0x0A || $0 >= 0x20 }), encoding: gb18030))
            #expect(copyText.contains("副本 COPY（第2次打印）"))
            let wrong = try await h.call(.get, "/receipts/\(number)/escpos?width=76")
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("width"))
            #expect(try await h.call(.get, "/receipts/NO-SUCH/escpos").status == .notFound)
        }
    }
}
