import BaohaoDomain
import BaohaoSecurity
import BaohaoTestSupport
import Foundation
import Testing

/// Staff accounts and the console's figures against real databases: bcrypt hashes, lockout,
/// sessions, today's credited recharges, lines by stage and reclaims due.
@Suite("Staff console")
struct StaffConsoleTests {
    /// Cost 4 keeps the tests quick; production uses 12.
    static let hasher = Bcrypt(cost: 4)
    static let password = "correct horse battery"

    @Test("bcrypt: a salted $2b$ hash that only the right password matches")
    func bcrypt() throws {
        let first = try Self.hasher.hash(password: Self.password)
        let second = try Self.hasher.hash(password: Self.password)
        #expect(first.hasPrefix("$2b$04$") && first.count == 60)
        #expect(first != second, "each hash has its own salt")
        #expect(Self.hasher.verify(password: Self.password, against: first))
        #expect(!Self.hasher.verify(password: Self.password + " ", against: first))
        #expect(!Self.hasher.verify(password: Self.password, against: Self.hasher.decoyHash))
        #expect(!Self.hasher.verify(password: Self.password, against: "not a hash"))
        // A hash made by the reference implementation (OpenBSD test vector) verifies.
        #expect(Bcrypt().verify(password: "U*U", against: "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"))
        #expect(throws: PasswordHashError.self) { try Self.hasher.hash(password: String(repeating: "x", count: 73)) }
    }

    @Test(
        "accounts: checked usernames and passwords; wrong passwords make that client wait, never the owner elsewhere",
        arguments: TestDatabase.all)
    func accountsAndLockout(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            let clock = Fixtures.clock()
            let staff = StaffService(store: store, hasher: Self.hasher, clock: clock)
            let added = try await staff.addStaff(username: "Wang.Li", displayName: "王丽", role: .operator, password: Self.password)
            #expect(added.username == "wang.li" && added.passwordHash.hasPrefix("$2b$") && !added.passwordHash.contains(Self.password))
            await #expect(throws: DomainError.self) {
                _ = try await staff.addStaff(username: "wang.li", displayName: "x", role: .admin, password: Self.password)
            }
            await #expect(throws: DomainError.self) {
                _ = try await staff.addStaff(username: "no spaces", displayName: "x", role: .admin, password: Self.password)
            }
            await #expect(throws: DomainError.self) {
                _ = try await staff.addStaff(username: "short.pw", displayName: "x", role: .admin, password: "tooshort")
            }
            #expect(try await staff.staff().map(\.username) == ["wang.li"])

            // Five wrong passwords in a row make that client wait 30 s, doubling; the owner at
            // another address signs in meanwhile: nothing is locked on the account.
            #expect(try await staff.signIn(username: "nobody", password: Self.password, client: "attacker") == .refused)
            for _ in 0..<4 {
                #expect(try await staff.signIn(username: "wang.li", password: "wrong password!", client: "attacker") == .refused)
            }
            #expect(try await staff.signIn(username: "wang.li", password: "wrong password!", client: "attacker") == .refused)
            let waitUntil = clock.now().addingTimeInterval(30)
            #expect(try await staff.signIn(username: "wang.li", password: Self.password, client: "attacker") == .locked(until: waitUntil))
            clock.advance(by: 31)
            #expect(try await staff.signIn(username: "wang.li", password: "wrong password!", client: "attacker") == .refused)
            #expect(
                try await staff.signIn(username: "wang.li", password: Self.password, client: "attacker")
                    == .locked(until: clock.now().addingTimeInterval(60)))
            guard
                case .signedIn(let token, let account, _) = try await staff.signIn(
                    username: "WANG.LI", password: Self.password, client: "desk")
            else {
                Issue.record("the owner at another address was kept out")
                return
            }
            #expect(account.role == .operator)
            #expect(try await staff.authenticate(token: token)?.id == added.id)

            // A new password ends every session; a disabled account cannot sign in.
            try await staff.setPassword(username: "wang.li", password: "another long password")
            #expect(try await staff.authenticate(token: token) == nil)
            #expect(try await staff.signIn(username: "wang.li", password: Self.password) == .refused)
            guard case .signedIn(let second, _, _) = try await staff.signIn(username: "wang.li", password: "another long password") else {
                Issue.record("the new password did not sign in")
                return
            }
            try await staff.disable(username: "wang.li")
            #expect(try await staff.authenticate(token: second) == nil)
            #expect(try await staff.signIn(username: "wang.li", password: "another long password") == .refused)
            await #expect(throws: DomainError.staffNotFound) { try await staff.disable(username: "nobody") }
        }
    }

    @Test("a client is capped at 20 attempts a minute; 50 failures on a username pause it for strangers, not for its owner")
    func signInThrottle() {
        var throttle = SignInThrottle()
        let start = Fixtures.clock().now()
        for i in 0..<20 { #expect(throttle.attempt(client: "flood", username: "user\(i)", at: start) == nil) }
        #expect(throttle.attempt(client: "flood", username: "admin", at: start) == start + 60)
        #expect(throttle.attempt(client: "flood", username: "admin", at: start + 61) == nil)

        throttle.succeeded(client: "owner", username: "admin")
        for i in 0..<50 {
            #expect(throttle.attempt(client: "bot\(i)", username: "admin", at: start) == nil)
            throttle.failed(client: "bot\(i)", username: "admin", at: start)
        }
        #expect(throttle.attempt(client: "bot-new", username: "admin", at: start + 1) == start + 15 * 60)
        #expect(throttle.attempt(client: "owner", username: "admin", at: start + 1) == nil)
        #expect(throttle.attempt(client: "bot-new", username: "admin", at: start + 15 * 60 + 1) == nil)
    }

    @Test("console sessions end after 30 idle minutes or 8 hours", arguments: TestDatabase.all)
    func sessions(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            let clock = Fixtures.clock()
            let staff = StaffService(store: store, hasher: Self.hasher, clock: clock)
            _ = try await staff.addStaff(username: "admin", displayName: "管理员", role: .admin, password: Self.password)
            func signIn() async throws -> String {
                guard case .signedIn(let token, _, _) = try await staff.signIn(username: "admin", password: Self.password) else {
                    throw DomainError.staffNotFound
                }
                return token
            }
            let idle = try await signIn()
            clock.advance(by: 29 * 60)
            #expect(try await staff.authenticate(token: idle) != nil)
            clock.advance(by: 31 * 60)
            #expect(try await staff.authenticate(token: idle) == nil)
            let busy = try await signIn()
            for _ in 0..<(8 * 4 - 1) {
                clock.advance(by: 15 * 60)
                #expect(try await staff.authenticate(token: busy) != nil)
            }
            clock.advance(by: 15 * 60)
            #expect(try await staff.authenticate(token: busy) == nil)
            try await staff.signOut(token: busy)
        }
    }

    @Test("dashboard: today's credits by channel and method, lines by stage, reclaims within 30 days", arguments: TestDatabase.all)
    func dashboard(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            let zone = Deadline.mainlandTimeZone
            let clock = ManualWallClock(LocalDate(iso: "2026-01-10")!.startOfDay(in: zone).addingTimeInterval(10 * 3600))
            let plan = try Plan(code: "CN5", name: "保号套餐 5元/月", monthlyFee: .major(5), policyCode: "cn-keep5")
            try await AdminService(store: store, clock: clock).addPlan(plan)
            let lines = LineService(store: store, clock: clock)
            let paid = try await lines.add(NewLine(msisdn: "13800138000", planCode: "CN5", holderName: "张三", openingBalance: .major(20)))
            let lapsing = try await lines.add(
                NewLine(msisdn: "13900139000", planCode: "CN5", holderName: "李四", openingBalance: Money(0, .cny)))
            let retention = RetentionService(store: store, clock: clock)
            let staff = StaffService(store: store, hasher: Self.hasher, clock: clock)
            let admin = try await staff.addStaff(username: "admin", displayName: "管理员", role: .admin, password: Self.password)
            let operatorAccount = try await staff.addStaff(username: "ops", displayName: "操作员", role: .operator, password: Self.password)

            // Run the lifecycle month by month until the ¥0 line has lapsed.
            var day = LocalDate(iso: "2026-01-10")!
            while try await retention.view(msisdn: lapsing.msisdn.e164).line.status == .active {
                day = day.adding(days: 7)
                clock.set(day.startOfDay(in: zone).addingTimeInterval(9 * 3600))
                _ = try await retention.runReviews()
            }
            let reclaimOn = try #require(
                try await retention.view(msisdn: lapsing.msisdn.e164).assessment.schedule.first(where: { $0.stage == .reclaimed })?.startsOn
            )

            clock.set(reclaimOn.adding(days: -31).startOfDay(in: zone).addingTimeInterval(9 * 3600))
            _ = try await retention.runReviews()
            #expect(try await staff.dashboard(for: admin).reclaims.isEmpty)
            clock.set(reclaimOn.adding(days: -30).startOfDay(in: zone).addingTimeInterval(9 * 3600))
            _ = try await retention.runReviews()

            // Two online sandbox recharges today and one yesterday (not counted).
            let recharges = RechargeService(
                store: store, clock: clock, channelPolicies: ChannelPolicyService(repository: store, clock: clock))
            func pay(_ amount: Int64, key: String) async throws {
                let (order, _) = try await recharges.createOrder(
                    RechargeRequest(msisdn: paid.msisdn.e164, amount: .major(amount), channel: .online, paymentMethod: .sandbox),
                    idempotencyKey: key)
                _ = try await recharges.applyPayment(
                    PaymentEvent(
                        provider: "sandbox", eventID: "ev-\(key)", orderID: order.id, providerTransactionID: "txn-\(key)",
                        outcome: .succeeded,
                        amount: order.total, occurredAt: clock.now()))
            }
            clock.advance(by: -86_400)
            try await pay(100, key: "yesterday-0001")
            clock.advance(by: 86_400)
            try await pay(30, key: "today-00000001")
            try await pay(50, key: "today-00000002")

            let board = try await staff.dashboard(for: admin)
            #expect(
                board.tallies == [
                    RechargeTally(channel: "online", paymentMethod: "sandbox", count: 2, amount: .major(80), fees: Money(0, .cny))
                ])
            let stages = Dictionary(uniqueKeysWithValues: board.stages.map { ($0.stage, $0.count) })
            #expect(stages[.active] == 1 && stages.values.reduce(0, +) == 2)
            #expect(board.reclaims.map(\.line.id) == [lapsing.id] && board.reclaims.first?.on == reclaimOn)
            #expect(try await staff.dashboard(for: operatorAccount).rejected.isEmpty)

            let dossier = try await staff.dossier(msisdn: "138 0013 8000")
            #expect(dossier.orders.count == 3 && dossier.transfers.contains { $0.kind == .recharge })
            let lapsed = try await staff.dossier(msisdn: "13900139000")
            #expect(lapsed.line.status != .active && lapsed.stageChanges.first?.to == lapsed.line.status)
            await #expect(throws: DomainError.lineNotFound) { _ = try await staff.dossier(msisdn: "13700137000") }
        }
    }
}
