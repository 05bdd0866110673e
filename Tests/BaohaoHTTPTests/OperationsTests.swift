import BaohaoDomain
import BaohaoTestSupport
import Foundation
import HTTPTypes
import NIOCore
import Testing

@Suite("Operations: health, metrics, events, sandbox page, logs")
struct OperationsTests {
    @Test("healthz, readyz, metrics and the OpenAPI document", arguments: [TestDatabase.memory])
    func health(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            #expect(try await h.call(.get, "/healthz").json["status"] as? String == "ok")
            #expect(try await h.call(.get, "/readyz").json["status"] as? String == "ready")
            let id = try await h.recharge(key: "metrics-order1").json["id"] as! String
            _ = try await h.notify(orderID: id)
            #expect(try await h.call(.get, "/metrics").status == .unauthorized)
            let metrics = try await h.admin(.get, "/metrics")
            #expect(metrics.status == .ok)
            let confirm = try await h.call(.get, "/v1/lines/13800138000/confirm")
            #expect(confirm.headers[.cacheControl] == "no-store" && confirm.headers[.xContentTypeOptions] == "nosniff")
            #expect(confirm.headers[.strictTransportSecurity] == nil)
            #expect(metrics.text.contains(#"baohao_recharge_orders_created_total{channel="online"} 1"#))
            #expect(metrics.text.contains(#"baohao_recharges_credited_total{channel="online"} 1"#))
            #expect(metrics.text.contains(#"baohao_payment_notifications_total{provider="sandbox",outcome="applied"} 1"#))
            let spec = try await h.call(.get, "/openapi.yaml")
            #expect(spec.status == .ok)
            #expect(spec.text.hasPrefix("openapi: 3.1"))
            for path in [
                "/v1/lines/{msisdn}/confirm", "/v1/recharges", "/v1/recharges/{id}", "/v1/payments/sandbox/notify",
                "/v1/receipts/{receipt_no}", "/v1/admin/lines",
            ] {
                #expect(spec.text.contains("  \(path):"), "\(path)")
            }
            // Every transfer kind and order status the API can answer is in the document's enums.
            func enumeration(_ marker: String) throws -> Set<String> {
                let line = try #require(spec.text.split(separator: "\n").first { $0.contains(marker) })
                let list = try #require(line.split(separator: "[").last?.split(separator: "]").first)
                return Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            }
            #expect(try enumeration("kind: {type: string, enum: [recharge,") == Set(TransferKind.allCases.map(\.rawValue)))
            #expect(try enumeration("enum: [pending_payment, paid,") == Set(OrderStatus.allCases.map(\.rawValue)))
            let missing = try await h.call(.get, "/no/such/page")
            #expect(missing.status == .notFound)
            #expect(missing.contentType.hasPrefix("application/problem+json"))
        }
    }

    @Test("the event stream ends when the money arrives", arguments: TestDatabase.all)
    func serverSentEvents(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let id = try await h.recharge(key: "sse-order-001").json["id"] as! String
            async let stream = h.call(.get, "/v1/recharges/\(id)/events")
            // The stream holds its first event (pending) once it is watching; only then the money
            // arrives. (A fixed 400 ms wait lost this race once on a loaded CI machine.)
            try await LiveUpdateTests.watchers(h, become: 1)
            _ = try await h.notify(orderID: id)
            let reply = try await stream
            #expect(reply.contentType.hasPrefix("text/event-stream"))
            let events = reply.text.components(separatedBy: "\n\n").filter { $0.hasPrefix("event: order") }
            #expect(events.count == 2)
            #expect(events.first?.contains(#""status":"pending_payment""#) == true)
            #expect(events.last?.contains(#""status":"credited""#) == true)
            #expect(events.last?.contains(#""receipt_no":"BH-"#) == true)
            #expect(try await h.call(.get, "/v1/recharges/rc_missing/events").status == .notFound)
        }
    }

    @Test("the sandbox page: the payer approves, a signed notification follows, the order is credited", arguments: TestDatabase.all)
    func sandboxPage(_ database: TestDatabase) async throws {
        let relay = RelayTransport()
        try await Harness.run(database, relay: relay) { h in
            await relay.connect { url, body, headers in
                var fields = HTTPFields()
                for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
                return Int(
                    try await h.client.executeRequest(uri: url, method: .post, headers: fields, body: ByteBuffer(bytes: body)).status.code)
            }
            let created = try await h.recharge(key: "sandbox-page-1").json
            let id = created["id"] as! String
            let payURL = try #require((created["payment"] as? [String: Any])?["pay_url"] as? String)
            let path = String(payURL.dropFirst("http://127.0.0.1".count))
            let page = try await h.call(.get, path)
            #expect(page.text.contains("沙箱收银台") && page.text.contains("¥50.00"))

            #expect(page.text.contains("sandbox-banner"))
            let token = try #require(page.headers[.setCookie]?.split(separator: ";").first?.split(separator: "=").last.map(String.init))
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: "bh_csrf=\(token)"]
            let query = String(path.split(separator: "?")[1])
            // A cross-site POST (no form token) approves nothing.
            #expect(
                try await h.call(
                    .post, "/sandbox/pay/\(id)", body: query + "&decision=approve",
                    headers: [.contentType: "application/x-www-form-urlencoded"]
                ).status == .forbidden)
            let forged = query.replacingOccurrences(of: "amount=5000", with: "amount=1")
            #expect(
                try await h.call(.post, "/sandbox/pay/\(id)", body: forged + "&csrf=\(token)&decision=approve", headers: form).status
                    == .badRequest)

            let approved = try await h.call(
                .post, "/sandbox/pay/\(id)", body: query + "&csrf=\(token)&delivery=duplicated&decision=approve", headers: form)
            #expect(approved.status == .seeOther)
            #expect(approved.headers[.location] == "/orders/\(id)?from=cashier")
            var status = ""
            for _ in 0..<100 {
                status = try await h.call(.get, "/v1/recharges/\(id)").json["status"] as? String ?? ""
                if status == "credited" { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(status == "credited")
            for _ in 0..<100 where await relay.delivered < 3 { try await Task.sleep(for: .milliseconds(50)) }
            #expect(await relay.delivered == 3)
            #expect(try await h.balance() == 7350)
            let outcomes = try await h.admin(.get, "/v1/admin/notifications").array.compactMap { $0["outcome"] as? String }
            #expect(outcomes.sorted() == ["applied", "duplicate", "duplicate"])
            let waiting = try await h.call(.get, "/orders/\(id)")
            #expect(waiting.text.contains("已到账") && waiting.text.contains("/receipts/BH-"))
        }
    }

    @Test("logs never hold a full number, a signature or a secret", arguments: [TestDatabase.memory])
    func logsAreClean(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            _ = try await h.call(.get, "/v1/lines/13800138000/confirm")
            _ = try await h.call(.get, "/v1/lines/13900139000/confirm")
            let id = try await h.recharge(key: "log-check-01").json["id"] as! String
            _ = try await h.notify(orderID: id, secret: "wrong-secret-wrong-secret")
            _ = try await h.notify(orderID: id)
            _ = try await h.admin(.get, "/v1/admin/lines/13800138000")
            let logs = h.logs.all.joined(separator: "\n")
            #expect(logs.contains("route=/v1/lines/{msisdn}/confirm"))
            #expect(logs.contains("reason=bad_signature"))
            for secret in ["13800138000", "13900139000", "0013", sandboxSecret, adminToken, "v1="] {
                #expect(!logs.contains(secret), "\(secret) reached the logs")
            }
        }
    }
}

@Suite("HTTP methods and query parameters")
struct MethodAndQueryTests {
    @Test("a method a path does not serve is 405 with Allow; an unknown path is 404", arguments: [TestDatabase.memory])
    func methodNotAllowed(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let post = try await h.call(.post, "/healthz")
            #expect(post.status == .methodNotAllowed)
            #expect(post.headers[.allow] == "GET")
            let delete = try await h.call(.delete, "/v1/recharges")
            #expect(delete.status == .methodNotAllowed)
            #expect(delete.headers[.allow] == "POST")
            #expect(try await h.call(.options, "/v1/admin/lines/import").headers[.allow] == "POST")
            #expect(try await h.call(.put, "/v1/admin/lines/13800138000").headers[.allow] == "GET")
            #expect(try await h.call(.delete, "/nowhere").status == .notFound)
        }
    }

    @Test("limits outside their range are refused, not silently clamped", arguments: [TestDatabase.memory])
    func limits(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            for uri in [
                "/v1/admin/lines?limit=0", "/v1/admin/lines?limit=501", "/v1/admin/lines?limit=ten",
                "/v1/admin/lines/13800138000/ledger?limit=1001", "/v1/admin/notifications?limit=-1",
            ] {
                let reply = try await h.admin(.get, uri)
                #expect(reply.status == .unprocessableContent, "\(uri)")
                #expect(reply.json["field"] as? String == "limit")
            }
            #expect(try await h.admin(.get, "/v1/admin/lines?limit=500").status == .ok)
        }
    }
}
