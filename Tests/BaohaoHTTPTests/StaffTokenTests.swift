import BaohaoDomain
import BaohaoTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("Staff tokens for terminals and scripts")
struct StaffTokenTests {
    static let password = "counter-terminal-password-01"

    static func token(_ h: Harness, _ username: String, password: String = StaffTokenTests.password) async throws -> Reply {
        try await h.call(.post, "/v1/staff/tokens", body: #"{"username":"\#(username)","password":"\#(password)"}"#)
    }

    @Test("a token is issued for a shift, stored only as a hash, and names its bearer", arguments: TestDatabase.all)
    func issue(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            _ = try await h.services.staff.addStaff(username: "clerk01", displayName: "柜员一", role: .operator, password: Self.password)
            let issued = try await Self.token(h, "CLERK01")
            #expect(issued.status == .created, "\(issued.text)")
            #expect(Set(issued.json.keys) == ["token", "expires_at", "role"])
            #expect(issued.json["role"] as? String == "operator")
            #expect(issued.json["expires_at"] as? String == "2026-11-24T20:00:00.000Z")
            let token = try #require(issued.json["token"] as? String)
            let stored = try await h.services.store.read { try await $0.staffSession(tokenHash: SessionToken.hash(token)) }
            #expect(stored?.kind == .token && stored?.tokenHash != token)

            let me = try await h.call(.get, "/v1/staff/me", headers: [.authorization: "Bearer \(token)"])
            #expect(me.status == .ok && me.json["username"] as? String == "clerk01" && me.json["display_name"] as? String == "柜员一")
            // A token is not a console cookie, and a wrong or missing token is 401.
            #expect(try await h.services.staff.authenticate(token: token, kind: .browser) == nil)
            #expect(try await h.call(.get, "/v1/staff/me", headers: [.authorization: "Bearer \(token)x"]).status == .unauthorized)
            #expect(try await h.call(.get, "/v1/staff/me").status == .unauthorized)

            // Two idle hours end it.
            h.clock.advance(by: StaffService.tokenIdle + 1)
            #expect(try await h.call(.get, "/v1/staff/me", headers: [.authorization: "Bearer \(token)"]).status == .unauthorized)
        }
    }

    @Test(
        "wrong passwords: 401 without saying which part; five in a row make the client wait, like the console",
        arguments: [TestDatabase.memory])
    func lockout(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            _ = try await h.services.staff.addStaff(username: "clerk02", displayName: "柜员二", role: .operator, password: Self.password)
            let unknown = try await Self.token(h, "nobody")
            #expect(unknown.status == .unauthorized)
            #expect(unknown.json["type"] as? String == "https://baohao.dev/problems/invalid-credentials")
            for _ in 0..<5 {
                #expect(try await Self.token(h, "clerk02", password: "wrong-password-0000").status == .unauthorized)
            }
            // Five wrong in a row: this client waits 30 s, even with the right password.
            let waiting = try await Self.token(h, "clerk02")
            #expect(waiting.status == .tooManyRequests)
            #expect(waiting.headers[.retryAfter] == "30")
            h.clock.advance(by: 30)
            #expect(try await Self.token(h, "clerk02").status == .created)
            #expect(try await h.call(.post, "/v1/staff/tokens", body: #"{"username":"clerk02"}"#).status == .unprocessableContent)
        }
    }

    @Test("an admin's token works on the admin API and is named in what it changes; an operator's is 403", arguments: TestDatabase.all)
    func admin(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            _ = try await h.services.staff.addStaff(username: "boss", displayName: "主管", role: .admin, password: Self.password)
            _ = try await h.services.staff.addStaff(username: "clerk03", displayName: "柜员三", role: .operator, password: Self.password)
            let boss = try #require(try await Self.token(h, "boss").json["token"] as? String)
            let clerk = try #require(try await Self.token(h, "clerk03").json["token"] as? String)
            let operatorReply = try await h.call(.get, "/v1/admin/channels", headers: [.authorization: "Bearer \(clerk)"])
            #expect(operatorReply.status == .forbidden)
            let channels = try await h.call(.get, "/v1/admin/channels", headers: [.authorization: "Bearer \(boss)"])
            #expect(channels.status == .ok && channels.array.count == Channel.allCases.count)

            let rules = #"""
                {"enabled":true,"currency":"CNY","denominations":[],"minimum":{"amount":1000,"currency":"CNY"},
                 "maximum":{"amount":50000,"currency":"CNY"},"step":{"amount":100,"currency":"CNY"},"fee":{"kind":"none"},
                 "payment_methods":["sandbox"]}
                """#
            let put = try await h.call(
                .put, "/v1/admin/channels/online", body: rules, headers: [.authorization: "Bearer \(boss)"])
            #expect(put.status == .ok && put.json["updated_by"] as? String == "staff:boss", "\(put.text)")
        }
    }

    @Test("a token ends when it is revoked, when the password changes, and when the account is disabled", arguments: [TestDatabase.memory])
    func revoke(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            _ = try await h.services.staff.addStaff(username: "clerk04", displayName: "柜员四", role: .operator, password: Self.password)
            func live(_ token: String) async throws -> Bool {
                try await h.call(.get, "/v1/staff/me", headers: [.authorization: "Bearer \(token)"]).status == .ok
            }
            let first = try #require(try await Self.token(h, "clerk04").json["token"] as? String)
            let revoked = try await h.call(.delete, "/v1/staff/tokens/current", headers: [.authorization: "Bearer \(first)"])
            #expect(revoked.status == .noContent)
            #expect(try await live(first) == false)

            let second = try #require(try await Self.token(h, "clerk04").json["token"] as? String)
            try await h.services.staff.setPassword(username: "clerk04", password: "a-new-long-password-02")
            #expect(try await live(second) == false)

            let third = try #require(try await Self.token(h, "clerk04", password: "a-new-long-password-02").json["token"] as? String)
            #expect(try await live(third))
            try await h.services.staff.disable(username: "clerk04")
            #expect(try await live(third) == false)
        }
    }
}
