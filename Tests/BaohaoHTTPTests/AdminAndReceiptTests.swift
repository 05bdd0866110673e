import BaohaoTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("Admin API and receipts")
struct AdminAndReceiptTests {
    @Test("without a valid token: 401 and nothing else", arguments: [TestDatabase.memory])
    func unauthorized(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            for headers: HTTPFields in [
                [:], [.authorization: "Bearer wrong"], [.authorization: "Basic \(adminToken)"], [.authorization: "Bearer \(adminToken)x"],
            ] {
                for (method, uri) in [
                    (HTTPRequest.Method.get, "/v1/admin/plans"), (.get, "/v1/admin/lines/13800138000"), (.post, "/v1/admin/verify"),
                    (.get, "/v1/admin/lines/nonexistent"),
                ] {
                    let reply = try await h.call(method, uri, headers: headers)
                    #expect(reply.status == .unauthorized, "\(uri)")
                    #expect(reply.json["type"] as? String == "https://baohao.dev/problems/unauthorized")
                    #expect(!reply.text.contains("8000") && !reply.text.contains("KEEP5"))
                }
            }
        }
    }

    @Test("plans, lines, balance and first deadline", arguments: TestDatabase.all)
    func linesAndPlans(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let plans = try await h.admin(.get, "/v1/admin/plans").array
            #expect(plans.count == 1)
            #expect(plans.first?["code"] as? String == "KEEP5")
            #expect((plans.first?["monthly_fee"] as? [String: Any])?["amount"] as? Int == 500)

            let created = try await h.admin(
                .post, "/v1/admin/lines",
                body:
                    #"{"msisdn":"+86 186 1234 5678","plan":"KEEP5","holder_name":"李四","opening_balance":{"amount":1200,"currency":"CNY"}}"#)
            #expect(created.status == .created)
            #expect(created.json["msisdn"] as? String == "+8618612345678")
            #expect(created.json["operator"] as? String == "china_unicom")
            // Clock: 2026-11-24 20:00 Beijing. ¥12.00 pays two ¥5 fees (Dec, Jan): due 2027-02-01.
            #expect(created.json["deadline"] as? String == "2027-02-01")
            let line = try await h.line("18612345678")
            #expect((line["balance"] as? [String: Any])?["amount"] as? Int == 1200)
            #expect(line["status"] as? String == "active")

            #expect(
                try await h.admin(.post, "/v1/admin/lines", body: #"{"msisdn":"18612345678","plan":"KEEP5","holder_name":"X"}"#).status
                    == .conflict)
            let noPlan = try await h.admin(.post, "/v1/admin/lines", body: #"{"msisdn":"18612345679","plan":"GOLD","holder_name":"X"}"#)
            #expect(noPlan.status == .unprocessableContent)
            #expect(noPlan.json["field"] as? String == "plan")
            #expect(
                try await h.admin(.post, "/v1/admin/lines", body: #"{"msisdn":"18612345679","plan":"KEEP5","holder_name":"   "}"#).json[
                    "field"] as? String == "holder_name")

            let active = try await h.admin(.get, "/v1/admin/lines?status=active").json["lines"] as? [[String: Any]] ?? []
            #expect(active.compactMap { $0["msisdn"] as? String } == ["+8613800138000", "+8618612345678"])
            #expect((try await h.admin(.get, "/v1/admin/lines?status=barred").json["lines"] as? [[String: Any]])?.isEmpty == true)
            #expect(try await h.admin(.get, "/v1/admin/lines?status=bogus").status == .unprocessableContent)

            let plan = try await h.admin(
                .post, "/v1/admin/plans",
                body: #"{"code":"KEEP8","name":"保号 8元","name_en":"Keep-alive, ¥8/month","monthly_fee":{"amount":800,"currency":"CNY"}}"#)
            #expect(plan.status == .created)
            let listed = try await h.admin(.get, "/v1/admin/plans").array
            #expect(listed.count == 2)
            // The English name is kept by the store and shown to an English-speaking payer.
            let keep8 = listed.first { $0["code"] as? String == "KEEP8" }
            #expect(keep8?["name_en"] as? String == "Keep-alive, ¥8/month")
            #expect(
                try await h.admin(.post, "/v1/admin/lines", body: #"{"msisdn":"18612345670","plan":"KEEP8","holder_name":"乙"}"#).status
                    == .created)
            let english = try await h.call(.get, "/v1/lines/18612345670/confirm", headers: [.acceptLanguage: "en"])
            #expect(english.json["plan"] as? String == "Keep-alive, ¥8/month")
            #expect(try await h.call(.get, "/v1/lines/18612345670/confirm").json["plan"] as? String == "保号 8元")
        }
    }

    @Test("CSV import: every row or none, with line-numbered errors", arguments: TestDatabase.all)
    func importCSV(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let bad = """
                msisdn,plan,holder_name,opening_balance
                18612345670,KEEP5,甲,5.00
                12345,KEEP5,乙,1
                18612345672,GOLD,丙,1
                18612345670,KEEP5,丁,1
                13800138000,KEEP5,戊,1
                18612345674,KEEP5,己,abc

                """
            let rejected = try await h.admin(.post, "/v1/admin/lines/import", body: bad, contentType: "text/csv")
            #expect(rejected.status == .unprocessableContent)
            let errors = rejected.json["errors"] as? [[String: Any]] ?? []
            #expect(errors.compactMap { $0["line"] as? Int } == [3, 4, 5, 6, 7])
            #expect(errors.compactMap { $0["field"] as? String } == ["msisdn", "plan", "msisdn", "msisdn", "opening_balance"])
            #expect((try await h.admin(.get, "/v1/admin/lines").json["lines"] as? [[String: Any]])?.count == 1)

            let good = "msisdn,plan,holder_name,opening_balance\n18612345670,KEEP5,甲,5.00\n+86 186 1234 5671,KEEP5,乙,\n"
            let imported = try await h.admin(.post, "/v1/admin/lines/import", body: good, contentType: "text/csv")
            #expect(imported.status == .created)
            #expect(imported.json["imported"] as? Int == 2)
            #expect(try await h.balance("18612345670") == 500)
            #expect(try await h.verify()["ok"] as? Bool == true)
        }
    }

    @Test("the receipt: JSON and a printable bilingual page, without the balance", arguments: [TestDatabase.memory])
    func receipt(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let id = try await h.recharge(key: "receipt-order1").json["id"] as! String
            _ = try await h.notify(orderID: id, transactionID: "SBX-TXN-42")
            let number = try #require(try await h.call(.get, "/v1/recharges/\(id)").json["receipt_no"] as? String)
            #expect(number.range(of: #"^BH-\d{8}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$"#, options: .regularExpression) != nil)

            let json = try await h.call(.get, "/v1/receipts/\(number)").json
            #expect(json["msisdn_masked"] as? String == "138****8000")
            #expect(json["provider_txn_id"] as? String == "SBX-TXN-42")
            #expect((json["face_value"] as? [String: Any])?["amount"] as? Int == 5000)
            #expect((json["amount_paid"] as? [String: Any])?["amount"] as? Int == 5000)
            #expect(json["tax_invoice"] as? Bool == false)
            #expect(json["balance_after"] == nil)

            let page = try await h.call(.get, "/receipts/\(number)")
            #expect(page.contentType.hasPrefix("text/html"))
            for text in ["充值凭证", "138****8000", "中国移动", "¥50.00", "SBX-TXN-42", id, "不是税务发票", "Receipt no.", "已到账", "@media print"] {
                #expect(page.text.contains(text), "\(text)")
            }
            #expect(!page.text.contains("¥73.50") && !page.text.contains("13800138000"))
            let english = try await h.call(.get, "/receipts/\(number)?lang=en")
            #expect(english.text.contains("Recharge receipt") && english.text.contains("not a tax invoice"))

            #expect(try await h.call(.get, "/v1/receipts/BH-20261124-AAAA-AAAA-AA").status == .notFound)
            #expect(try await h.call(.get, "/receipts/nope").status == .notFound)
            #expect(try await h.call(.get, "/receipts/nope/pdf").status == .notFound)

            // The PDF: a well-formed file whose cross-reference table points at each object.
            let pdf = try await h.call(.get, "/receipts/\(number)/pdf")
            #expect(pdf.status == .ok && pdf.contentType == "application/pdf")
            #expect(pdf.headers[.contentDisposition] == "attachment; filename=\"receipt-\(number).pdf\"")
            let bytes = pdf.bytes
            let latin = String(decoding: bytes.map { $0 < 0x80 ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
            #expect(latin.hasPrefix("%PDF-1.4\n") && latin.hasSuffix("%%EOF\n"))
            let tail = try #require(latin.range(of: "startxref\n", options: .backwards))
            let xref = try #require(Int(latin[tail.upperBound...].prefix { $0.isNumber }))
            #expect(latin.dropFirst(xref).hasPrefix("xref\n0 10\n"))
            let entries = latin.dropFirst(xref).split(separator: "\n").dropFirst(3).prefix(9)
            for (index, entry) in entries.enumerated() {
                let offset = try #require(Int(entry.prefix(10)))
                #expect(latin.dropFirst(offset).hasPrefix("\(index + 1) 0 obj\n"), "object \(index + 1) at \(offset)")
            }
            // 充值凭证 in UCS-2, the masked number in Helvetica, never the full number.
            #expect(latin.contains("<5145503C51ED8BC1>") && latin.contains("(138****8000)") && !latin.contains("13800138000"))
        }
    }
}
