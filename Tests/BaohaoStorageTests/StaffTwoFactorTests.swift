import BaohaoDomain
import Foundation
import Testing

@testable import BaohaoStorage
@testable import BaohaoTestSupport

@Suite("Staff two-step sign-in")
struct StaffTwoFactorTests {
    static let password = "a long enough password"

    @Test(
        "enrol, then sign in with the app's code once per step or a recovery code once; the secret is stored sealed",
        arguments: TestDatabase.all)
    func enrolAndSignIn(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            let clock = Fixtures.clock()
            let staff = StaffService(store: store, hasher: StaffConsoleTests.hasher, clock: clock, adminsNeedTwoFactor: true)
            let admin = try await staff.addStaff(username: "li.admin", displayName: "李管理", role: .admin, password: Self.password)
            #expect(try await staff.twoFactorStatus(admin).required)
            #expect(try await staff.signIn(username: "li.admin", password: Self.password, kind: .token) == .enrolmentNeeded)

            let enrolment = try #require(try await staff.enrolment(admin))
            #expect(try await staff.enrolment(admin) == enrolment)  // a reload shows the same secret
            let stored = try #require(try await store.read { try await $0.twoFactor(staffID: admin.id) })
            #expect(!stored.sealedSecret.contains(enrolment.secret) && stored.enabledAt == nil)
            let secret = try #require(Base32.decode(enrolment.secret))
            func code(_ offset: TimeInterval = 0) -> String { TOTP.code(secret: secret, step: TOTP.step(at: clock.now() + offset)) }

            let wrong = code() == "000000" ? "000001" : "000000"
            #expect(try await staff.confirmEnrolment(admin, code: wrong) == nil)
            let recovery = try #require(try await staff.confirmEnrolment(admin, code: code()))
            #expect(recovery.count == 10 && Set(recovery).count == 10)
            #expect(try await staff.enrolment(admin) == nil)
            let status = try await staff.twoFactorStatus(admin)
            #expect(status.enabled && status.unusedRecoveryCodes == 10 && !status.required)

            // The password alone opens nothing; the code used at enrolment is not good again.
            guard case .secondFactorNeeded(let pending?) = try await staff.signIn(username: "li.admin", password: Self.password) else {
                Issue.record("no second step")
                return
            }
            #expect(try await staff.authenticate(token: pending) == nil)
            #expect(try await staff.completeSignIn(pending: pending, code: code(), client: "desk") == .refused)
            clock.advance(by: 30)
            guard case .signedIn(let token, _, _) = try await staff.completeSignIn(pending: pending, code: code(), client: "desk") else {
                Issue.record("the next code did not sign in")
                return
            }
            #expect(try await staff.authenticate(token: token)?.id == admin.id)
            #expect(try await staff.completeSignIn(pending: pending, code: code(), client: "desk") == .refused)  // used up

            // A recovery code works once; a token needs the code in the same call.
            clock.advance(by: 30)
            guard case .secondFactorNeeded(let second?) = try await staff.signIn(username: "li.admin", password: Self.password) else {
                Issue.record("no second step")
                return
            }
            guard case .signedIn = try await staff.completeSignIn(pending: second, code: recovery[3].uppercased(), client: "desk") else {
                Issue.record("the recovery code did not sign in")
                return
            }
            #expect(try await staff.twoFactorStatus(admin).unusedRecoveryCodes == 9)
            guard case .secondFactorNeeded(let third?) = try await staff.signIn(username: "li.admin", password: Self.password) else {
                Issue.record("no second step")
                return
            }
            #expect(try await staff.completeSignIn(pending: third, code: recovery[3], client: "desk") == .refused)
            #expect(
                try await staff.signIn(username: "li.admin", password: Self.password, kind: .token) == .secondFactorNeeded(pending: nil))
            guard case .signedIn = try await staff.signIn(username: "li.admin", password: Self.password, kind: .token, code: code(30))
            else {
                Issue.record("the token with a code was refused")
                return
            }

            // Lost phone and codes: reset; the administrator must enrol again.
            try await staff.resetTwoFactor(username: "li.admin")
            #expect(try await staff.authenticate(token: token) == nil)
            #expect(try await staff.twoFactorStatus(admin).required)
        }
    }
}
