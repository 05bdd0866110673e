import BaohaoDomain
import BaohaoTestSupport
import Foundation
import Testing

/// Sign-in by SMS code against real databases: codes expire, are rate limited and locked after
/// wrong tries, the answer never tells whether a number exists, and an account sees only the
/// numbers it proved.
@Suite("Subscriber sign-in")
struct SubscriberSignInTests {
    typealias Outbox = TextOutbox

    static func service(_ store: any RechargeStore, _ clock: ManualWallClock, _ outbox: Outbox) -> SubscriberService {
        SubscriberService(store: store, clock: clock, sender: outbox)
    }

    /// A clock, an outbox and the service, with 138 0013 8000 in service.
    static func world(_ store: any RechargeStore) async throws -> (ManualWallClock, Outbox, SubscriberService) {
        let clock = Fixtures.clock()
        let outbox = Outbox()
        try await Fixtures.seedLine(store, msisdn: "13800138000", clock: clock)
        return (clock, outbox, service(store, clock, outbox))
    }

    static func challenge(_ request: SubscriberService.CodeRequest) throws -> String {
        guard case .sent(let id) = request else { throw TestFailure("expected a code to be sent, got \(request)") }
        return id
    }

    /// Signs 138 0013 8000 in with the code from its last text; the session token.
    static func signIn(_ service: SubscriberService, _ outbox: Outbox) async throws -> String {
        let id = try challenge(
            try await service.requestCode(msisdn: "13800138000", purpose: .signIn, accountID: nil, clientKey: "c", language: .zh))
        guard
            case .signedIn(let token, _) = try await service.verify(
                challengeID: id, code: outbox.code(for: "+8613800138000")!, accountID: nil)
        else { throw TestFailure("sign-in failed") }
        return token
    }

    struct TestFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    @Test("a code signs in once; a wrong code counts down; sign-out ends the session", arguments: TestDatabase.all)
    func signInJourney(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            let clock = Fixtures.clock()
            let outbox = Outbox()
            let line = try await Fixtures.seedLine(store, msisdn: "13800138000", balance: 800, clock: clock)
            let service = Self.service(store, clock, outbox)

            let id = try Self.challenge(
                try await service.requestCode(msisdn: "138 0013 8000", purpose: .signIn, accountID: nil, clientKey: "c1", language: .zh))
            #expect(outbox.sent.count == 1)
            #expect(outbox.sent[0].1.contains("验证码"))
            let code = try #require(outbox.code(for: "+8613800138000"))
            let wrong = code == "000000" ? "111111" : "000000"

            #expect(try await service.verify(challengeID: id, code: wrong, accountID: nil) == .wrongCode(attemptsLeft: 4))
            guard case .signedIn(let token, let accountID) = try await service.verify(challengeID: id, code: code, accountID: nil) else {
                throw TestFailure("the right code did not sign in")
            }
            // The same code again is used up: a replayed form post signs nobody in.
            #expect(try await service.verify(challengeID: id, code: code, accountID: nil) == .expired)

            let session = try #require(try await service.authenticate(token: token))
            #expect(session.accountID == accountID)
            #expect(try await service.lines(accountID: accountID).map(\.id) == [line.id])

            // Signing in again with the same number reaches the same account.
            clock.advance(by: 61)
            let again = try Self.challenge(
                try await service.requestCode(msisdn: "13800138000", purpose: .signIn, accountID: nil, clientKey: "c1", language: .en))
            #expect(outbox.sent.last?.1.hasPrefix("[Baohao] Your code is") == true)
            guard
                case .signedIn(let second, let sameAccount) = try await service.verify(
                    challengeID: again, code: try #require(outbox.code(for: "+8613800138000")), accountID: nil)
            else { throw TestFailure("second sign-in failed") }
            #expect(sameAccount == accountID)

            try await service.signOut(token: token)
            #expect(try await service.authenticate(token: token) == nil)
            #expect(try await service.authenticate(token: second) != nil)
        }
    }

    @Test("an unknown number gets the same answer and no text; its codes never match", arguments: TestDatabase.all)
    func noEnumeration(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            let (_, outbox, service) = try await Self.world(store)

            let known = try await service.requestCode(
                msisdn: "13800138000", purpose: .signIn, accountID: nil, clientKey: "c1", language: .zh)
            let unknown = try await service.requestCode(
                msisdn: "13900139000", purpose: .signIn, accountID: nil, clientKey: "c1", language: .zh)
            guard case .sent = known, case .sent(let unknownID) = unknown else { throw TestFailure("answers differ: \(known) \(unknown)") }
            #expect(outbox.sent.map(\.0.e164) == ["+8613800138000"])
            for guess in ["000000", "123456", "999999"] {
                if case .signedIn = try await service.verify(challengeID: unknownID, code: guess, accountID: nil) {
                    Issue.record("a guessed code signed in to a number that does not exist")
                }
            }
            // A number that is not a mainland mobile number at all is a readable validation error.
            await #expect(throws: DomainError.self) {
                _ = try await service.requestCode(msisdn: "not a number", purpose: .signIn, accountID: nil, clientKey: "c1", language: .zh)
            }
        }
    }

    @Test("one code a minute, five an hour per number, twenty an hour per client", arguments: TestDatabase.all)
    func rateLimits(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            let (clock, outbox, service) = try await Self.world(store)
            func ask(_ number: String = "13800138000", client: String = "c1") async throws -> SubscriberService.CodeRequest {
                try await service.requestCode(msisdn: number, purpose: .signIn, accountID: nil, clientKey: client, language: .zh)
            }

            _ = try Self.challenge(try await ask())
            clock.advance(by: 20)
            #expect(try await ask() == .tooSoon(seconds: 40))
            for _ in 0..<4 {
                clock.advance(by: 60)
                _ = try Self.challenge(try await ask())
            }
            clock.advance(by: 60)
            #expect(try await ask() == .tooMany)
            #expect(outbox.sent.count == 5)
            // An hour after the first code, the number may ask again.
            clock.advance(by: 3600 - 4 * 60 - 20)
            _ = try Self.challenge(try await ask())

            // One client spraying different numbers is stopped after 20 codes in the hour.
            let base = try await ask("13900000000", client: "spray")
            _ = try Self.challenge(base)
            for i in 1..<20 { _ = try Self.challenge(try await ask(String(format: "139000000%02d", i), client: "spray")) }
            #expect(try await ask("13900000099", client: "spray") == .tooMany)
            _ = try Self.challenge(try await ask("13900000099", client: "someone-else"))
        }
    }

    @Test("ten wrong codes in an hour lock the number; codes expire after five minutes", arguments: TestDatabase.all)
    func lockoutAndExpiry(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            let (clock, outbox, service) = try await Self.world(store)
            func ask() async throws -> String {
                try Self.challenge(
                    try await service.requestCode(msisdn: "13800138000", purpose: .signIn, accountID: nil, clientKey: "c", language: .zh))
            }
            func wrong() -> String { outbox.code(for: "+8613800138000") == "000000" ? "111111" : "000000" }

            let first = try await ask()
            for left in [4, 3, 2, 1] {
                #expect(try await service.verify(challengeID: first, code: wrong(), accountID: nil) == .wrongCode(attemptsLeft: left))
            }
            #expect(try await service.verify(challengeID: first, code: wrong(), accountID: nil) == .locked)
            // Five tries used: even the right code no longer works on this challenge.
            #expect(try await service.verify(challengeID: first, code: outbox.code(for: "+8613800138000")!, accountID: nil) == .locked)

            clock.advance(by: 61)
            let second = try await ask()
            for _ in 0..<4 { _ = try await service.verify(challengeID: second, code: wrong(), accountID: nil) }
            #expect(try await service.verify(challengeID: second, code: wrong(), accountID: nil) == .locked)
            // Ten failures within the hour: no new code, and no try on any code.
            clock.advance(by: 61)
            #expect(
                try await service.requestCode(msisdn: "13800138000", purpose: .signIn, accountID: nil, clientKey: "c", language: .zh)
                    == .tooMany)
            #expect(outbox.sent.count == 2)

            clock.advance(by: 3600)
            let third = try await ask()
            clock.advance(by: SubscriberService.codeLifetime + 1)
            #expect(try await service.verify(challengeID: third, code: outbox.code(for: "+8613800138000")!, accountID: nil) == .expired)
        }
    }

    @Test("sessions end after 30 idle minutes or 12 hours", arguments: TestDatabase.all)
    func sessionExpiry(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            let (clock, outbox, service) = try await Self.world(store)
            func signIn() async throws -> String { try await Self.signIn(service, outbox) }
            let idle = try await signIn()
            clock.advance(by: 29 * 60)
            #expect(try await service.authenticate(token: idle) != nil)
            clock.advance(by: 29 * 60)
            #expect(try await service.authenticate(token: idle) != nil, "each request restarts the idle time")
            clock.advance(by: 31 * 60)
            #expect(try await service.authenticate(token: idle) == nil)

            let busy = try await signIn()
            for _ in 0..<(12 * 4 - 1) {
                clock.advance(by: 15 * 60)
                #expect(try await service.authenticate(token: busy) != nil)
            }
            clock.advance(by: 15 * 60)
            #expect(try await service.authenticate(token: busy) == nil, "12 hours is the end however busy")
            #expect(try await service.authenticate(token: "not-a-token") == nil)
        }
    }

    @Test("a second number is added only with its own code, and other accounts cannot see it", arguments: TestDatabase.all)
    func addNumberAndAccess(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            let clock = Fixtures.clock()
            let outbox = Outbox()
            let first = try await Fixtures.seedLine(store, msisdn: "13800138000", clock: clock)
            let second = try await Fixtures.seedLine(store, msisdn: "13900139000", clock: clock)
            let other = try await Fixtures.seedLine(store, msisdn: "13700137000", clock: clock)
            let service = Self.service(store, clock, outbox)
            func signIn(_ number: String) async throws -> String {
                let id = try Self.challenge(
                    try await service.requestCode(msisdn: number, purpose: .signIn, accountID: nil, clientKey: number, language: .zh))
                guard
                    case .signedIn(_, let account) = try await service.verify(
                        challengeID: id, code: outbox.code(for: "+86" + number)!, accountID: nil)
                else { throw TestFailure("sign-in failed") }
                return account
            }
            let alice = try await signIn("13800138000")
            let bob = try await signIn("13700137000")

            let add = try Self.challenge(
                try await service.requestCode(msisdn: "13900139000", purpose: .addNumber, accountID: alice, clientKey: "a", language: .zh))
            let code = try #require(outbox.code(for: "+8613900139000"))
            // Bob cannot use Alice's add-number code, nor turn it into a sign-in.
            #expect(try await service.verify(challengeID: add, code: code, accountID: bob) == .expired)
            #expect(try await service.verify(challengeID: add, code: code, accountID: nil) == .expired)
            #expect(try await service.verify(challengeID: add, code: code, accountID: alice) == .numberAdded(lineID: second.id))

            #expect(Set(try await service.lines(accountID: alice).map(\.id)) == [first.id, second.id])
            #expect(try await service.lines(accountID: bob).map(\.id) == [other.id])
            #expect(try await service.line(id: first.id, accountID: alice).id == first.id)
            await #expect(throws: DomainError.lineNotFound) { _ = try await service.line(id: first.id, accountID: bob) }

            let key = try await service.calendarKey(accountID: alice)
            #expect(key.count == 32)
            #expect(try await service.calendarKey(accountID: alice) == key)
            #expect(try await service.account(calendarKey: key)?.id == alice)
            #expect(try await service.account(calendarKey: String(repeating: "A", count: 32)) == nil)
        }
    }

    @Test("housekeeping deletes day-old code records and ended sessions, and keeps live ones", arguments: TestDatabase.all)
    func housekeeping(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            let (clock, outbox, service) = try await Self.world(store)
            func signIn() async throws -> String { try await Self.signIn(service, outbox) }
            let old = try await signIn()
            clock.advance(by: 25 * 3600)
            let fresh = try await signIn()
            let housekeeping = SignInHousekeeping(store: store, clock: clock)
            // The day-old code record and the idle session go; today's code and session stay.
            #expect(try await housekeeping.run() == 2)
            let codes = try await store.read { try await $0.codeActivity(msisdn: try MSISDN(parsing: "13800138000"), since: .distantPast) }
            #expect(codes.codes == 1)
            #expect(try await service.authenticate(token: fresh) != nil)
            #expect(try await service.authenticate(token: old) == nil)
            #expect(try await housekeeping.run() == 0, "a second run finds nothing")
        }
    }
}
