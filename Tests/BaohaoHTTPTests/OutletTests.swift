import BaohaoDomain
import BaohaoTestSupport
import Foundation
import HTTPTypes
import Testing

/// Business halls and the clerks bound to them: the admin API, the rules for adding a clerk, and
/// what a clerk may not see.
@Suite("Outlets and clerks")
struct OutletTests {
    static let password = "counter-clerk-password-01"

    @Test("outlets: added once, listed, disabled; bad input names the field and writes nothing", arguments: TestDatabase.all)
    func adminAPI(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let added = try await h.admin(
                .post, "/v1/admin/outlets", body: #"{"code":"bj-xd-01","name":"西单营业厅","address":"北京市西城区西单北大街 120 号"}"#)
            #expect(added.status == .created, "\(added.text)")
            #expect(added.json["code"] as? String == "BJ-XD-01")
            #expect(added.json["enabled"] as? Bool == true)
            #expect(added.json["created_at"] as? String == "2026-11-24T12:00:00.000Z")

            let again = try await h.admin(.post, "/v1/admin/outlets", body: #"{"code":"BJ-XD-01","name":"另一个","address":"别处"}"#)
            #expect(again.status == .conflict && again.json["type"] as? String == "https://baohao.dev/problems/outlet-exists")
            for (body, field) in [
                (#"{"code":"北京","name":"x","address":"y"}"#, "code"), (#"{"code":"BJ-1","name":"","address":"y"}"#, "name"),
                (#"{"code":"-BJ","name":"x","address":"y"}"#, "code"), (#"{"code":"BJ-2","name":"x","address":"   "}"#, "address"),
                (#"{"code":"BJ-3","name":"西单\u0007","address":"y"}"#, "name"),
            ] {
                let refused = try await h.admin(.post, "/v1/admin/outlets", body: body)
                #expect(refused.status == .unprocessableContent && refused.json["field"] as? String == field, "\(body)")
            }
            let listed = try await h.admin(.get, "/v1/admin/outlets").array
            #expect(listed.map { $0["code"] as? String } == ["BJ-XD-01"])

            let disabled = try await h.admin(.post, "/v1/admin/outlets/BJ-XD-01/disable")
            #expect(disabled.status == .ok && disabled.json["enabled"] as? Bool == false && disabled.json["disabled_at"] is String)
            #expect(try await h.admin(.post, "/v1/admin/outlets/NOPE-1/disable").status == .notFound)
            // A clerk cannot be bound to a disabled outlet.
            await #expect(throws: DomainError.self) {
                try await h.services.staff.addStaff(
                    username: "clerk02", displayName: "柜员二", role: .clerk, password: Self.password, outlet: "BJ-XD-01")
            }
        }
    }

    @Test("a clerk needs an enabled outlet; others take none; the outlet is kept with the account", arguments: TestDatabase.all)
    func clerks(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            _ = try await h.services.outlets.add(code: "SH-PD-02", name: "浦东营业厅", address: "上海市浦东新区")
            let staff = h.services.staff
            await #expect(throws: DomainError.validation(.init(field: "outlet", reason: .missing, detail: "a clerk sells at one outlet"))) {
                try await staff.addStaff(username: "clerk01", displayName: "柜员一", role: .clerk, password: Self.password)
            }
            await #expect(throws: DomainError.outletNotFound("XX-99")) {
                try await staff.addStaff(username: "clerk01", displayName: "柜员一", role: .clerk, password: Self.password, outlet: "xx-99")
            }
            await #expect(throws: DomainError.self) {
                try await staff.addStaff(
                    username: "ops01", displayName: "值班员", role: .operator, password: Self.password, outlet: "SH-PD-02")
            }
            #expect(try await staff.staff().isEmpty)

            let clerk = try await staff.addStaff(
                username: "clerk01", displayName: "柜员一", role: .clerk, password: Self.password, outlet: "sh-pd-02")
            #expect(clerk.outletCode == "SH-PD-02")
            #expect(try await staff.staff().first?.outletCode == "SH-PD-02")
        }
    }

    @Test("a clerk has no admin API and no operator dashboard", arguments: [TestDatabase.memory])
    func clerkLimits(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            _ = try await h.services.outlets.add(code: "BJ-XD-01", name: "西单营业厅", address: "北京市西城区")
            _ = try await h.services.staff.addStaff(
                username: "clerk01", displayName: "柜员一", role: .clerk, password: Self.password, outlet: "BJ-XD-01")
            let issued = try await StaffTokenTests.token(h, "clerk01", password: Self.password)
            #expect(issued.status == .created && issued.json["role"] as? String == "clerk")
            let bearer: HTTPFields = [.authorization: "Bearer \(issued.json["token"] as? String ?? "")"]
            #expect(try await h.call(.get, "/v1/staff/me", headers: bearer).json["role"] as? String == "clerk")
            for path in ["/v1/admin/outlets", "/v1/admin/channels", "/v1/admin/lines/13800138000"] {
                #expect(try await h.call(.get, path, headers: bearer).status == .forbidden, "\(path)")
            }
            #expect(try await h.call(.get, "/v1/admin/outlets").status == .unauthorized)

            guard case .signedIn(let token, _, _) = try await h.services.staff.signIn(username: "clerk01", password: Self.password) else {
                Issue.record("not signed in")
                return
            }
            let cookie: HTTPFields = [.cookie: "bh_staff=\(token)"]
            for path in ["/staff", "/staff/lines?q=13800138000", "/staff/accounts"] {
                let page = try await h.call(.get, path, headers: cookie)
                #expect(page.status == .forbidden && page.text.contains("无权访问"), "\(path)")
            }
        }
    }
}
