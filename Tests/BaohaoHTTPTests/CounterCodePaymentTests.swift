import BaohaoDomain
import Foundation
import HTTPTypes
import Testing

@testable import BaohaoTestSupport

/// Payment codes at the counter, through the sandbox's code gateway (the code's last digit picks
/// the payer): paid at once, paid after the payer confirms, never confirmed (cancelled), declined.
/// The follow-up queries run on a zero-delay schedule, so nothing here waits on real time.
@Suite("Counter payment codes")
struct CounterCodePaymentTests {
    static func codeSale(_ code: String, tender: String = "alipay_code", amount: Int = 5000) -> String {
        #"{"msisdn":"13800138000","amount":{"amount":\#(amount),"currency":"CNY"},"tender":"\#(tender)","payment_code":"\#(code)","id_number":"11010519491231002X"}"#
    }

    @Test(
        "a code paid at once or after the payer confirms is credited once from the provider's clearing account", arguments: TestDatabase.all
    )
    func paid(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            try await CounterSaleTests.enableCounter(h)
            let clerk = try await CounterSaleTests.clerkOnShift(h, "clerk01")
            let alipay = try await CounterSaleTests.sale(h, clerk, key: "code-sale-01", body: Self.codeSale("281234567890123450"))
            #expect(alipay.status == .created && alipay.json["status"] as? String == "credited", "\(alipay.text)")
            #expect(alipay.json["change"] is NSNull && alipay.json["receipt_no"] is String)
            let wechat = try await CounterSaleTests.sale(
                h, clerk, key: "code-sale-02", body: Self.codeSale("131234567890123457", tender: "wechat_code", amount: 3000))
            #expect(wechat.status == .created && wechat.json["status"] as? String == "credited", "\(wechat.text)")
            #expect(try await h.balance() == 2350 + 5000 + 3000)
            // A retry is the same sale: the code is not charged again, the line not credited again.
            let again = try await CounterSaleTests.sale(h, clerk, key: "code-sale-01", body: Self.codeSale("281234567890123450"))
            #expect(again.status == .ok && again.json["id"] as? String == alipay.json["id"] as? String)
            #expect(try await h.balance() == 2350 + 8000)

            let receipt = try await h.call(.get, "/v1/receipts/\(try #require(alipay.json["receipt_no"] as? String))").json
            #expect((receipt["counter"] as? [String: Any])?["tender"] as? String == "alipay_code")
            let shift = try #require(alipay.json["shift"] as? String)
            let x = try await h.call(.get, "/v1/counter/shifts/\(shift)/report", headers: clerk).json
            let tenders = (x["by_tender"] as? [[String: Any]] ?? []).map { $0["tender"] as? String ?? "" }
            #expect(tenders == ["alipay_code", "wechat_code"] && CounterShiftTests.money(x["expected_cash"]) == 10000)
            // Code money sits at the provider, not in a till; the books balance.
            let lineID = try #require(try await h.line()["id"] as? String)
            let transfers = try await h.services.store.read { try await $0.transfers(account: .line(id: lineID), limit: 10) }
            #expect(
                transfers.filter { $0.kind == .recharge }.allSatisfy {
                    $0.postings.contains { $0.account == .providerClearing(provider: "sandbox") }
                })
            let verified = try await h.verify()
            #expect(verified["ok"] as? Bool == true, "\(verified)")
            #expect(!h.logs.all.contains { $0.contains("281234567890123450") })
        }
    }

    @Test(
        "a declined code is 402 and credits nothing; one never confirmed answers pending, then is cancelled",
        arguments: [TestDatabase.memory, TestDatabase.sqlite])
    func declinedAndUnconfirmed(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            try await CounterSaleTests.enableCounter(h)
            let clerk = try await CounterSaleTests.clerkOnShift(h, "clerk01")
            let declined = try await CounterSaleTests.sale(h, clerk, key: "code-sale-09", body: Self.codeSale("281234567890123459"))
            #expect(declined.status == .init(code: 402) && declined.text.contains("payment-declined"), "\(declined.text)")
            let retried = try await CounterSaleTests.sale(h, clerk, key: "code-sale-09", body: Self.codeSale("281234567890123459"))
            #expect(retried.status == .ok && retried.json["status"] as? String == "failed", "\(retried.text)")
            #expect(try await h.balance() == 2350)

            let waiting = try await CounterSaleTests.sale(
                h, clerk, key: "code-sale-08", body: Self.codeSale("131234567890123458", tender: "wechat_code"))
            #expect(waiting.status == .created && waiting.json["status"] as? String == "pending_payment", "\(waiting.text)")
            #expect(waiting.json["receipt_no"] is NSNull)
            let shift = try #require(waiting.json["shift"] as? String)
            // The follow-up runs on: two more queries, then the charge is cancelled and the sale fails.
            var status = "pending_payment"
            for _ in 0..<10_000 where status == "pending_payment" {
                await Task.yield()
                status =
                    try await CounterSaleTests.sale(
                        h, clerk, key: "code-sale-08", body: Self.codeSale("131234567890123458", tender: "wechat_code")
                    )
                    .json["status"] as? String ?? ""
            }
            #expect(status == "failed")
            #expect(try await h.balance() == 2350)
            let z = try await h.call(
                .post, "/v1/counter/shifts/\(shift)/close", body: #"{"counted_cash":{"amount":10000,"currency":"CNY"}}"#, headers: clerk)
            #expect(z.status == .ok && z.json["sales_count"] as? Int == 0, "\(z.text)")
            let verified = try await h.verify()
            #expect(verified["ok"] as? Bool == true, "\(verified)")
        }
    }

    @Test("a code of the wrong wallet or with cash is refused naming the field", arguments: [TestDatabase.memory])
    func refusals(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            try await CounterSaleTests.enableCounter(h)
            let clerk = try await CounterSaleTests.clerkOnShift(h, "clerk01")
            let wrongWallet = try await CounterSaleTests.sale(h, clerk, key: "code-sale-w1", body: Self.codeSale("131234567890123450"))
            #expect(wrongWallet.status == .unprocessableContent && wrongWallet.text.contains("payment_code"), "\(wrongWallet.text)")
            let cash = CounterSaleTests.cash50.replacingOccurrences(
                of: #""tender":"cash""#, with: #""tender":"cash","payment_code":"281234567890123450""#)
            let withCash = try await CounterSaleTests.sale(h, clerk, key: "code-sale-w2", body: cash)
            #expect(withCash.status == .unprocessableContent && withCash.text.contains("payment_code"), "\(withCash.text)")
            #expect(try await h.balance() == 2350)
        }
    }
}
