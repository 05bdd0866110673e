import BaohaoDomain
import BaohaoTestSupport
import Foundation
import HTTPTypes
import Testing

/// Who may call each counter and outlet route: a clerk, an operator, an administrator (staff
/// tokens), the shared admin token, a console browser session (its cookie, or its secret sent as a
/// bearer token), and nobody.
@Suite("Counter authorisation matrix")
struct CounterAccessTests {
    @Test("every counter and outlet route answers each caller as it should", arguments: TestDatabase.all)
    func matrix(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            try await CounterSaleTests.enableCounter(h)
            let clerk = try await CounterShiftTests.clerk(h, "clerk01")
            let password = CounterShiftTests.password
            _ = try await h.services.staff.addStaff(username: "ops01", displayName: "值班员", role: .operator, password: password)
            _ = try await h.services.staff.addStaff(username: "boss01", displayName: "管理员", role: .admin, password: password)
            let ops = try await CounterShiftTests.bearer(h, "ops01")
            let admin = try await CounterShiftTests.bearer(h, "boss01")
            guard case .signedIn(let console, _, _) = try await h.services.staff.signIn(username: "boss01", password: password) else {
                Issue.record("no console session")
                return
            }
            // A subscriber signed in to the portal (the holder of 138 0013 8000) is nobody at the counter.
            let outbox = TextOutbox()
            let subscribers = SubscriberService(store: h.services.store, clock: h.clock, sender: outbox)
            guard
                case .sent(let challenge) = try await subscribers.requestCode(
                    msisdn: "13800138000", purpose: .signIn, accountID: nil, clientKey: "matrix", language: .zh),
                case .signedIn(let subscriber, _) = try await subscribers.verify(
                    challengeID: challenge, code: outbox.code(for: "+8613800138000") ?? "", accountID: nil)
            else {
                Issue.record("no subscriber session")
                return
            }
            let callers: [(String, HTTPFields)] = [
                ("clerk", clerk), ("operator", ops), ("admin", admin), ("admin token", [.authorization: "Bearer \(adminToken)"]),
                ("console cookie", [.cookie: "bh_staff=\(console)"]), ("console secret as bearer", [.authorization: "Bearer \(console)"]),
                ("subscriber cookie", [.cookie: "bh_session=\(subscriber)"]),
                ("subscriber secret as bearer", [.authorization: "Bearer \(subscriber)"]),
                ("anonymous", [:]),
            ]
            // The clerk's open shift, for the routes that name one.
            let shift = try #require(
                try await h.call(.post, "/v1/counter/shifts", body: #"{"opening_float":{"amount":0,"currency":"CNY"}}"#, headers: clerk)
                    .json["id"] as? String)
            let sale =
                #"{"msisdn":"13800138000","amount":{"amount":1000,"currency":"CNY"},"tender":"cash","tendered":{"amount":1000,"currency":"CNY"},"id_number":"11010519491231002X"}"#
            var keyed = clerk
            keyed[HTTPField.Name("Idempotency-Key")!] = "matrix-to-void"
            let toVoid = try #require(try await h.call(.post, "/v1/counter/sales", body: sale, headers: keyed).json["id"] as? String)
            // Expected status per caller, in the order above. The clerk's open shift is already open,
            // so its own second open is 409; its sale is 201.
            let routes: [(HTTPRequest.Method, String, String?, [HTTPResponse.Status])] = [
                (
                    .post, "/v1/counter/shifts", #"{"opening_float":{"amount":0,"currency":"CNY"}}"#,
                    [
                        .conflict, .forbidden, .forbidden, .unauthorized, .unauthorized, .unauthorized, .unauthorized, .unauthorized,
                        .unauthorized,
                    ]
                ),
                (
                    .post, "/v1/counter/sales", sale,
                    [
                        .created, .forbidden, .forbidden, .unauthorized, .unauthorized, .unauthorized, .unauthorized, .unauthorized,
                        .unauthorized,
                    ]
                ),
                (
                    .get, "/v1/counter/shifts/\(shift)/report", nil,
                    [.ok, .ok, .ok, .unauthorized, .unauthorized, .unauthorized, .unauthorized, .unauthorized, .unauthorized]
                ),
                (
                    .get, "/v1/admin/outlets", nil,
                    [.forbidden, .forbidden, .ok, .ok, .unauthorized, .unauthorized, .unauthorized, .unauthorized, .unauthorized]
                ),
                (
                    .post, "/v1/admin/outlets", #"{"code":"GZ-TH-03","name":"天河营业厅","address":"广州市天河区"}"#,
                    [
                        .forbidden, .forbidden, .created, .conflict, .unauthorized, .unauthorized, .unauthorized, .unauthorized,
                        .unauthorized,
                    ]
                ),
                (
                    .post, "/v1/admin/outlets/GZ-TH-03/disable", nil,
                    [.forbidden, .forbidden, .ok, .ok, .unauthorized, .unauthorized, .unauthorized, .unauthorized, .unauthorized]
                ),
                (
                    .post, "/v1/counter/sales/\(toVoid)/void", #"{"reason":"顾客改主意"}"#,
                    [.ok, .forbidden, .forbidden, .unauthorized, .unauthorized, .unauthorized, .unauthorized, .unauthorized, .unauthorized]
                ),
                (
                    .post, "/v1/counter/shifts/\(shift)/close", #"{"counted_cash":{"amount":1000,"currency":"CNY"}}"#,
                    [.ok, .forbidden, .forbidden, .unauthorized, .unauthorized, .unauthorized, .unauthorized, .unauthorized, .unauthorized]
                ),
            ]
            for (method, path, body, expected) in routes {
                for ((name, headers), status) in zip(callers, expected) {
                    var headers = headers
                    headers[HTTPField.Name("Idempotency-Key")!] = "matrix-\(name.replacingOccurrences(of: " ", with: "-"))"
                    let reply = try await h.call(method, path, body: body, headers: headers)
                    #expect(reply.status == status, "\(name) \(method) \(path): \(reply.text)")
                }
            }
            #expect(try await h.balance() == 2350 + 1000)
        }
    }
}
