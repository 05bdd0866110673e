import BaohaoDomain
import BaohaoTestSupport
import Foundation
import HTTPTypes
import Testing

/// The console and the portal behind one browser-session middleware: a page that needs a session
/// sends a visitor without one to its sign-in page, and a live session reaches it; the two
/// audiences' cookies never open each other's pages.
@Suite("Browser sessions")
struct BrowserSessionTests {
    @Test("no session: the console and the portal's own pages redirect to their sign-in", arguments: [TestDatabase.memory])
    func redirects(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            for (path, signIn) in [
                ("/staff", "/staff/signin"), ("/staff/lines?q=13800138000", "/staff/signin"), ("/staff/accounts", "/staff/signin"),
                ("/me", "/signin"), ("/me/add", "/signin"), ("/me/add/verify?c=x", "/signin"),
            ] {
                let reply = try await h.call(.get, path)
                #expect(reply.status == .seeOther, "\(path)")
                #expect(reply.headers[.location] == signIn, "\(path)")
            }
            // A made-up cookie is no session.
            let forged = try await h.call(
                .get, "/staff", headers: [.cookie: "bh_staff=\(String(repeating: "A", count: SessionToken.length))"])
            #expect(forged.headers[.location] == "/staff/signin")
        }
    }

    @Test("a live console session opens the console, not the portal; signing in again is skipped", arguments: [TestDatabase.memory])
    func staffSession(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            _ = try await h.services.staff.addStaff(username: "ops01", displayName: "值班员", role: .operator, password: "console-password-01")
            guard case .signedIn(let token, _, _) = try await h.services.staff.signIn(username: "ops01", password: "console-password-01")
            else {
                Issue.record("not signed in")
                return
            }
            let cookie: HTTPFields = [.cookie: "bh_staff=\(token)"]
            let dashboard = try await h.call(.get, "/staff", headers: cookie)
            #expect(dashboard.status == .ok)
            #expect(dashboard.text.contains("值班员"))
            #expect(try await h.call(.get, "/staff/signin", headers: cookie).headers[.location] == "/staff")
            #expect(try await h.call(.get, "/me", headers: [.cookie: "bh_session=\(token)"]).headers[.location] == "/signin")

            // The session ends with the account: the next page is the sign-in page again.
            try await h.services.staff.disable(username: "ops01")
            #expect(try await h.call(.get, "/staff", headers: cookie).headers[.location] == "/staff/signin")
        }
    }
}
