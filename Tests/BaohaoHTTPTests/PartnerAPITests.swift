import BaohaoHTTP
import BaohaoTestSupport
import Crypto
import Foundation
import HTTPTypes
import Testing

@testable import BaohaoDomain

/// Records callbacks as a partner's endpoint would receive them, answering what the test says.
final class CallbackRecorder: CallbackTransport, @unchecked Sendable {
    struct Received {
        let url: String
        let headers: [String: String]
        let body: Data
    }

    private let lock = NSLock()
    private var received: [Received] = []
    private var answer: CallbackAnswer = .status(204)

    func answer(with value: CallbackAnswer) { lock.withLock { answer = value } }
    var all: [Received] { lock.withLock { received } }

    func post(url: String, headers: [(String, String)], body: Data) async -> CallbackAnswer {
        lock.withLock {
            received.append(Received(url: url, headers: Dictionary(uniqueKeysWithValues: headers), body: body))
            return answer
        }
    }
}

/// The partner API (第三方平台) on every tier: signed requests, a float that never goes below zero,
/// one top-up per reference, the ledger's hold → capture / release, callbacks and statements.
@Suite("Partner API")
struct PartnerAPITests {
    struct Partner {
        let keyID: String
        let secret: String
    }

    /// Adds partner `code` through the admin API, with a callback URL, and funds its float.
    static func partner(_ h: Harness, code: String = "ACME", float: Int64 = 20_000, rateLimit: Int = 50) async throws -> Partner {
        let added = try await h.admin(
            .post, "/v1/admin/partners",
            body: #"{"code":"\#(code)","name":"Acme 充值","callback_url":"https://partner.example/cb","rate_limit":\#(rateLimit)}"#)
        #expect(added.status == .created, "\(added.text)")
        let keyID = try #require(added.json["key_id"] as? String)
        let secret = try #require(added.json["secret"] as? String)
        if float > 0 {
            let deposit = try await h.admin(
                .post, "/v1/admin/partners/\(code)/float", body: #"{"amount":{"amount":\#(float),"currency":"CNY"},"reference":"slip-1"}"#)
            #expect(deposit.status == .created, "\(deposit.text)")
        }
        return Partner(keyID: keyID, secret: secret)
    }

    /// The Authorization header for a request, computed here from the published scheme.
    static func authorization(_ p: Partner, _ method: String, _ path: String, _ body: String, t: Int64, secret: String? = nil) -> String {
        let text = "\(t)\n\(method)\n\(path)\n\(Hex.encode(SHA256.hash(data: Data(body.utf8))))"
        let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data((secret ?? p.secret).utf8)))
        return "Baohao-HMAC key=\(p.keyID),t=\(t),sig=\(Hex.encode(mac))"
    }

    static func signed(
        _ h: Harness, _ p: Partner, _ method: HTTPRequest.Method, _ path: String, body: String = "", tOffset: Int64 = 0,
        sentBody: String? = nil, secret: String? = nil
    ) async throws -> Reply {
        let t = Int64(h.clock.now().timeIntervalSince1970) + tOffset
        var headers: HTTPFields = [.authorization: authorization(p, method.rawValue, path, body, t: t, secret: secret)]
        if method == .post { headers[.contentType] = "application/json" }
        return try await h.call(method, path, body: method == .post ? (sentBody ?? body) : nil, headers: headers)
    }

    static func topupBody(_ reference: String, _ msisdn: String = "13800138000", _ amount: Int64 = 10_000) -> String {
        #"{"reference":"\#(reference)","msisdn":"\#(msisdn)","amount":{"amount":\#(amount),"currency":"CNY"}}"#
    }

    static func float(_ reply: Reply) -> (Int, Int) {
        let float = reply.json["float"] as? [String: Any] ?? reply.json
        return (float["available"] as? Int ?? -1, float["held"] as? Int ?? -1)
    }

    @Test("a signed top-up holds, credits and captures once; a retry answers the same; verify holds", arguments: TestDatabase.all)
    func topUpOnce(_ database: TestDatabase) async throws {
        let recorder = CallbackRecorder()
        try await Harness.run(database, callbacks: recorder) { h in
            let p = try await Self.partner(h)
            #expect(
                try await h.admin(.put, "/v1/admin/partners/ACME/pricing", body: #"{"discount_bps":200,"by_amount":{"10000":300}}"#).status
                    == .ok)
            let first = try await Self.signed(h, p, .post, "/v1/partner/topups", body: Self.topupBody("order-1"))
            #expect(first.status == .created, "\(first.text)")
            #expect(first.json["status"] as? String == "credited")
            #expect(first.json["msisdn_masked"] as? String == "138****8000")
            #expect((first.json["cost"] as? [String: Any])?["amount"] as? Int == 9_700)
            #expect(Self.float(first) == (10_300, 0))
            #expect(try await h.balance() == 2_350 + 10_000)

            // The duplicate is harmless: the same top-up comes back, the balance and float do not move.
            let again = try await Self.signed(h, p, .post, "/v1/partner/topups", body: Self.topupBody("order-1"))
            #expect(again.status == .ok)
            #expect(again.json["id"] as? String == first.json["id"] as? String)
            #expect(try await h.balance() == 12_350)
            let reused = try await Self.signed(h, p, .post, "/v1/partner/topups", body: Self.topupBody("order-1", "13800138000", 5_000))
            #expect(reused.status == .conflict)
            #expect(reused.json["type"] as? String == "https://baohao.dev/problems/reference_reused")

            let unknown = try await Self.signed(h, p, .post, "/v1/partner/topups", body: Self.topupBody("order-2", "13900000000"))
            #expect(unknown.status == .unprocessableContent)
            let invalid = try await Self.signed(h, p, .post, "/v1/partner/topups", body: Self.topupBody("order-3", "12345"))
            #expect(invalid.status == .unprocessableContent)
            let outside = try await Self.signed(h, p, .post, "/v1/partner/topups", body: Self.topupBody("order-4", "13800138000", 70_000))
            #expect(outside.status == .unprocessableContent)
            let tooMuch = try await Self.signed(h, p, .post, "/v1/partner/topups", body: Self.topupBody("order-5", "13800138000", 20_000))
            #expect(tooMuch.status.code == 402)
            #expect(tooMuch.json["type"] as? String == "https://baohao.dev/problems/insufficient_float")

            let got = try await Self.signed(h, p, .get, "/v1/partner/topups/order-1")
            #expect(got.json["status"] as? String == "credited")
            #expect(try await Self.signed(h, p, .get, "/v1/partner/topups/nope").status == .notFound)
            let balance = try await Self.signed(h, p, .get, "/v1/partner/balance")
            #expect(balance.json["available"] as? Int == 10_300 && balance.json["held"] as? Int == 0)
            #expect(balance.json["currency"] as? String == "CNY")

            // The ledger: the discount is an expense, the line got the face value, verify passes.
            let report = try await h.verify()
            #expect(report["ok"] as? Bool == true, "\(report)")

            // The callback was queued with the credit and is delivered signed with the partner's secret.
            let round = try await h.services.partnerCallbacks.deliverDue()
            #expect(round.delivered == 1)
            let received = try #require(recorder.all.first)
            #expect(received.url == "https://partner.example/cb")
            let header = try #require(received.headers["Baohao-Signature"])
            let parts = Dictionary(
                uniqueKeysWithValues: header.split(separator: ",").map { $0.split(separator: "=", maxSplits: 1).map(String.init) }.map {
                    ($0[0], $0[1])
                })
            let t = try #require(parts["t"])
            let expected = HMAC<SHA256>.authenticationCode(
                for: Data("\(t).".utf8) + received.body, using: SymmetricKey(data: Data(p.secret.utf8)))
            #expect(parts["v1"] == Hex.encode(expected))
            let event = try #require(try JSONSerialization.jsonObject(with: received.body) as? [String: Any])
            #expect(event["type"] as? String == "topup.credited")
            #expect((event["data"] as? [String: Any])?["reference"] as? String == "order-1")
            #expect(try await h.services.partnerCallbacks.deliverDue().delivered == 0)
        }
    }

    @Test(
        "bad signatures, wrong keys, stale or future times and altered bodies are 401; a disabled partner is 403",
        arguments: [TestDatabase.memory, .sqlite])
    func authentication(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let p = try await Self.partner(h)
            let body = Self.topupBody("auth-1")
            #expect(try await h.call(.get, "/v1/partner/balance").status == .unauthorized)
            #expect(try await Self.signed(h, p, .post, "/v1/partner/topups", body: body, secret: "sk_wrong").status == .unauthorized)
            let stranger = Partner(keyID: "pk_000000000000000000000000", secret: p.secret)
            #expect(try await Self.signed(h, stranger, .get, "/v1/partner/balance").status == .unauthorized)
            #expect(try await Self.signed(h, p, .get, "/v1/partner/balance", tOffset: -301).status == .unauthorized)
            #expect(try await Self.signed(h, p, .get, "/v1/partner/balance", tOffset: 301).status == .unauthorized)
            #expect(try await Self.signed(h, p, .get, "/v1/partner/balance", tOffset: -299).status == .ok)
            let altered = try await Self.signed(
                h, p, .post, "/v1/partner/topups", body: body, sentBody: Self.topupBody("auth-1", "13800138000", 50_000))
            #expect(altered.status == .unauthorized)
            #expect(try await Self.signed(h, p, .get, "/v1/partner/balance?x=1").status == .ok)
            // Nothing moved for the refused requests.
            #expect(try await h.balance() == 2_350)

            #expect(try await h.admin(.post, "/v1/admin/partners/ACME/disable").status == .ok)
            let disabled = try await Self.signed(h, p, .post, "/v1/partner/topups", body: body)
            #expect(disabled.status == .forbidden)
            #expect(try await h.balance() == 2_350)
        }
    }

    @Test("a rotated key keeps working for 24 hours beside the new one, then stops", arguments: [TestDatabase.memory])
    func rotation(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let old = try await Self.partner(h)
            let rotated = try await h.admin(.post, "/v1/admin/partners/ACME/rotate-key")
            #expect(rotated.status == .ok)
            let new = Partner(
                keyID: try #require(rotated.json["key_id"] as? String), secret: try #require(rotated.json["secret"] as? String))
            #expect(try await Self.signed(h, old, .get, "/v1/partner/balance").status == .ok)
            #expect(try await Self.signed(h, new, .get, "/v1/partner/balance").status == .ok)
            h.clock.advance(by: 24 * 3600 + 1)
            #expect(try await Self.signed(h, old, .get, "/v1/partner/balance").status == .unauthorized)
            #expect(try await Self.signed(h, new, .get, "/v1/partner/balance").status == .ok)
        }
    }

    @Test(
        "200 concurrent ¥100 top-ups against a float of exactly ¥15,000: 150 credited, 50 refused, nothing left held",
        arguments: TestDatabase.all)
    func concurrentFloat(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let p = try await Self.partner(h, float: 1_500_000, rateLimit: 10_000)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        // All 200 queue on one float's row lock. On a loaded machine some wait past
                        // the store's connection deadline and are answered 503 with nothing written;
                        // a partner retries those with the same reference, which is idempotent.
                        var retries = 0
                        while true {
                            let response = try await Self.signed(h, p, .post, "/v1/partner/topups", body: Self.topupBody("c-\(index)"))
                            guard response.status == .serviceUnavailable, retries < 20 else { return Int(response.status.code) }
                            retries += 1
                            try await Task.sleep(for: .milliseconds(50 * min(retries, 10)))
                        }
                    }
                }
                var statuses: [Int] = []
                for try await status in group { statuses.append(status) }
                return statuses
            }
            #expect(statuses.filter { $0 == 201 }.count == 150)
            #expect(statuses.filter { $0 == 402 }.count == 50)
            // A top-up taken while the machine was too loaded to credit it at once is answered
            // 201 with status accepted and left to the sweep, as after a crash.
            h.clock.advance(by: 6)
            _ = try await h.services.partnerTopups.completeAccepted(olderThan: 5)
            let balance = try await Self.signed(h, p, .get, "/v1/partner/balance")
            #expect(balance.json["available"] as? Int == 0 && balance.json["held"] as? Int == 0)
            #expect(try await h.balance() == 2_350 + 150 * 10_000)
            #expect(try await h.verify()["ok"] as? Bool == true)
        }
    }

    @Test("one reference sent 20 times at once is one top-up", arguments: TestDatabase.all)
    func referenceRace(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let p = try await Self.partner(h, rateLimit: 10_000)
            let replies = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        let reply = try await Self.signed(h, p, .post, "/v1/partner/topups", body: Self.topupBody("same"))
                        return (Int(reply.status.code), reply.json["id"] as? String ?? "")
                    }
                }
                var replies: [(Int, String)] = []
                for try await reply in group { replies.append(reply) }
                return replies
            }
            #expect(replies.filter { $0.0 == 201 }.count == 1)
            #expect(replies.filter { $0.0 == 200 }.count == 19)
            #expect(Set(replies.map(\.1)).count == 1)
            #expect(try await h.balance() == 12_350)
            #expect(try await h.verify()["ok"] as? Bool == true)
        }
    }

    @Test("past the rate the API answers 429 with Retry-After, and takes requests again a second later", arguments: [TestDatabase.memory])
    func rateLimit(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let p = try await Self.partner(h)
            for _ in 0..<50 { #expect(try await Self.signed(h, p, .get, "/v1/partner/balance").status == .ok) }
            let limited = try await Self.signed(h, p, .get, "/v1/partner/balance")
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] == "1")
            h.clock.advance(by: 1)
            #expect(try await Self.signed(h, p, .get, "/v1/partner/balance").status == .ok)
        }
    }

    @Test(
        "callbacks are retried while the partner is down, delivered when it is back, abandoned after 24 hours, and replayable",
        arguments: [TestDatabase.memory, .sqlite])
    func callbackRetries(_ database: TestDatabase) async throws {
        let recorder = CallbackRecorder()
        try await Harness.run(database, callbacks: recorder) { h in
            let p = try await Self.partner(h)
            recorder.answer(with: .status(503))
            #expect(
                try await Self.signed(h, p, .post, "/v1/partner/topups", body: Self.topupBody("cb-1", "13800138000", 5_000)).status
                    == .created)
            #expect(try await h.services.partnerCallbacks.deliverDue().failed == 1)
            // Not due again until the first retry (10 s), then 20 s after that.
            #expect(try await h.services.partnerCallbacks.deliverDue().failed == 0)
            h.clock.advance(by: 10)
            #expect(try await h.services.partnerCallbacks.deliverDue().failed == 1)
            h.clock.advance(by: 19)
            #expect(try await h.services.partnerCallbacks.deliverDue().failed == 0)
            h.clock.advance(by: 1)
            recorder.answer(with: .status(200))
            #expect(try await h.services.partnerCallbacks.deliverDue().delivered == 1)
            #expect(recorder.all.count == 3)
            let listed = try await h.admin(.get, "/v1/admin/partners/ACME/callbacks").array
            #expect(listed.first?["status"] as? String == "delivered")
            #expect((listed.first?["attempts"] as? [[String: Any]])?.map { $0["http_status"] as? Int } == [503, 503, 200])

            // A second top-up whose callback never gets through is abandoned after 24 hours.
            recorder.answer(with: .failed("connection refused"))
            #expect(
                try await Self.signed(h, p, .post, "/v1/partner/topups", body: Self.topupBody("cb-2", "13800138000", 5_000)).status
                    == .created)
            var rounds = 0
            while rounds < 100, try await h.admin(.get, "/v1/admin/partners/ACME/callbacks?status=pending").array.count > 0 {
                _ = try await h.services.partnerCallbacks.deliverDue()
                h.clock.advance(by: 3600)
                rounds += 1
            }
            let abandoned = try await h.admin(.get, "/v1/admin/partners/ACME/callbacks?status=abandoned").array
            #expect(abandoned.count == 1)
            #expect(rounds <= 26)
            let eventID = try #require(abandoned.first?["event_id"] as? String)
            #expect((try await h.admin(.get, "/v1/admin/partners")).array.first?["failing_callbacks"] as? Int == 1)
            recorder.answer(with: .status(204))
            #expect(try await h.admin(.post, "/v1/admin/partners/ACME/callbacks/\(eventID)/replay").status == .accepted)
            #expect(try await h.services.partnerCallbacks.deliverDue().delivered == 1)
            #expect(try await h.admin(.post, "/v1/admin/partners/ACME/callbacks/ev_nope/replay").status == .notFound)
        }
    }

    @Test(
        "an accepted top-up left by a crash is finished by the sweep; one whose line was lost fails and releases its hold",
        arguments: TestDatabase.all)
    func sweep(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            _ = try await Self.partner(h)
            let partner = try await h.services.partners.partner(code: "ACME")
            let topups = h.services.partnerTopups
            let msisdn = try MSISDN(parsing: "13800138000")
            let face = Money(10_000, .cny)
            let accepted = try await topups.accept(reference: "crash-1", msisdn: msisdn, face: face, fingerprint: "f1", partner: partner)
            #expect(accepted.topup.status == .accepted)
            #expect(accepted.float.held.amountMinor == 10_000)
            #expect(try await topups.completeAccepted(olderThan: 5) == 0)
            h.clock.advance(by: 6)
            #expect(try await topups.completeAccepted(olderThan: 5) == 1)
            #expect(try await h.balance() == 12_350)

            let second = try await topups.accept(reference: "crash-2", msisdn: msisdn, face: face, fingerprint: "f2", partner: partner)
            let lineID = try #require(try await h.line()["id"] as? String)
            _ = try await h.services.store.write { session in
                try await session.setStatus(lineID: lineID, to: .reclaimed, expected: .active, at: h.clock.now())
            }
            let settled = try await topups.settle(topupID: second.topup.id)
            #expect(settled.topup.status == .failed)
            #expect(settled.topup.failureReason == "line_reclaimed")
            #expect(settled.float.available.amountMinor == 10_000 && settled.float.held.amountMinor == 0)
            #expect(try await h.verify()["ok"] as? Bool == true)
        }
    }

    @Test(
        "the day's statement starts at the opening float, lists every movement and ends at the balance endpoint's figures",
        arguments: TestDatabase.all)
    func statement(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let p = try await Self.partner(h, float: 30_000)
            for (reference, amount) in [("s-1", Int64(10_000)), ("s-2", 5_000)] {
                #expect(
                    try await Self.signed(h, p, .post, "/v1/partner/topups", body: Self.topupBody(reference, "13800138000", amount)).status
                        == .created)
            }
            let day = LocalDate(h.clock.now(), in: Deadline.mainlandTimeZone).iso
            let reply = try await Self.signed(h, p, .get, "/v1/partner/statements/\(day)")
            #expect(reply.status == .ok)
            #expect(reply.contentType.hasPrefix("text/csv"))
            let rows = reply.text.split(separator: "\r\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
            #expect(
                rows.first == ["time", "type", "reference", "topup_id", "available_change", "held_change", "available", "held", "currency"])
            #expect(rows.map { $0[1] } == ["type", "opening", "deposit", "hold", "capture", "hold", "capture", "closing"])
            func fen(_ text: String) -> Int64 { Int64((Double(text)! * 100).rounded()) }
            var available = fen(rows[1][6])
            var held = fen(rows[1][7])
            for row in rows[2..<(rows.count - 1)] {
                available += fen(row[4])
                held += fen(row[5])
                #expect(fen(row[6]) == available && fen(row[7]) == held)
            }
            let balance = try await Self.signed(h, p, .get, "/v1/partner/balance")
            #expect(fen(rows.last![6]) == Int64(balance.json["available"] as? Int ?? -1))
            #expect(fen(rows.last![7]) == Int64(balance.json["held"] as? Int ?? -1))
            #expect(available == 15_000)
            #expect(try await Self.signed(h, p, .get, "/v1/partner/statements/2026-13-01").status == .unprocessableContent)
            #expect(try await Self.signed(h, p, .get, "/v1/partner/statements/2099-01-01").status == .unprocessableContent)
        }
    }
}
