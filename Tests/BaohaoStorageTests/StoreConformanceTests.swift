import BaohaoDomain
import Foundation
import Logging
import PostgresNIO
import SQLKit
import Testing

@testable import BaohaoStorage
@testable import BaohaoTestSupport

/// One suite, run against SQLite and a real PostgreSQL: both backends must behave the same.
@Suite("Store conformance")
struct StoreConformanceTests {
    let clock = Fixtures.clock()

    @Test("a number has one line in service; a reclaimed number can be reused", arguments: TestDatabase.all)
    func lineUniqueness(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            let line = try await Fixtures.seedLine(store, balance: 1200, clock: clock)
            let lines = LineService(store: store, clock: clock)
            await #expect(throws: DomainError.lineExists) {
                try await lines.add(NewLine(msisdn: "+86 138 0013 8000", planCode: "KEEP5", holderName: "X", openingBalance: .zero(.cny)))
            }
            _ = try await lines.changeStatus(msisdn: "13800138000", to: .reclaimed)
            let second = try await lines.add(
                NewLine(msisdn: "13800138000", planCode: "KEEP5", holderName: "新用户", openingBalance: .zero(.cny)))
            #expect(second.id != line.id)
            #expect(try await lines.line(msisdn: "13800138000").id == second.id)
            #expect(try await AdminService(store: store, clock: Fixtures.clock()).verify().ok)
        }
    }

    @Test("an opening balance is a ledger transfer", arguments: TestDatabase.all)
    func openingBalance(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            let line = try await Fixtures.seedLine(store, balance: -350, clock: clock)
            #expect(line.balance == Money(-350, .cny))
            let transfers = try await AdminService(store: store, clock: Fixtures.clock()).ledger(lineID: line.id)
            #expect(transfers.count == 1)
            #expect(transfers[0].kind == .openingBalance)
            #expect(Set(transfers[0].postings.map(\.amount.amountMinor)) == [350, -350])
        }
    }

    @Test("a lookup reads committed data, also while every reader connection is taken", arguments: TestDatabase.all)
    func lookups(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            let line = try await Fixtures.seedLine(store, balance: 1200, clock: clock)
            // More callers than reader connections: some lookups find none idle and wait as reads do.
            let found = try await withThrowingTaskGroup(of: String?.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        if index.isMultiple(of: 2) { return try await store.lookup { try await $0.line(msisdn: line.msisdn)?.id } }
                        return try await store.read { try await $0.line(msisdn: line.msisdn)?.id }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(found == Array(repeating: line.id, count: 40))
            #expect(try await store.lookup { try await $0.line(msisdn: try MSISDN(parsing: "13900000000")) } == nil)
        }
    }

    @Test("guarded updates refuse stale writers", arguments: TestDatabase.all)
    func guardedUpdates(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            let line = try await Fixtures.seedLine(store, balance: 100, clock: clock)
            let stale = try await store.write { session in
                try await session.setBalance(lineID: line.id, to: Money(999, .cny), expected: Money(5, .cny), at: Fixtures.clock().now())
            }
            #expect(stale == false)
            let recharges = RechargeService(
                store: store, clock: clock, channelPolicies: ChannelPolicyService(repository: store, clock: clock))
            let (order, _) = try await recharges.createOrder(
                RechargeRequest(msisdn: "13800138000", amount: .major(10), channel: .online, paymentMethod: .sandbox),
                idempotencyKey: "key-00000001")
            var cancelled = order
            cancelled.status = .cancelled
            let changed = cancelled
            #expect(try await store.write { try await $0.updateOrder(changed, expected: .paid, at: Fixtures.clock().now()) } == false)
            #expect(
                try await store.write { try await $0.updateOrder(changed, expected: .pendingPayment, at: Fixtures.clock().now()) } == true)
            #expect(try await recharges.order(id: order.id).status == .cancelled)
        }
    }

    /// The in-memory store has no statement that could edit the ledger: its session only appends.
    @Test("the ledger is append-only in the database itself", arguments: TestDatabase.persistent)
    func appendOnly(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            try await Fixtures.seedLine(store, balance: 500, clock: clock)
            for statement in ["UPDATE ledger_postings SET amount = 1", "DELETE FROM ledger_postings", "DELETE FROM ledger_transfers"] {
                await #expect(throws: (any Error).self, "\(statement)") {
                    try await store.write { session in try await (session as! SQLSession).db.raw(SQLQueryString(statement)).run() }
                }
            }
            #expect(try await AdminService(store: store, clock: Fixtures.clock()).verify().ok)
        }
    }

    @Test("a failing write in a concurrent batch rolls back alone", arguments: TestDatabase.all)
    func isolatedFailures(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            try await AdminService(store: store, clock: Fixtures.clock()).addPlan(Fixtures.keepAlivePlan)
            let lines = LineService(store: store, clock: clock)
            let results = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        // Every fourth request names a plan that does not exist: its line insert must vanish.
                        let plan = index % 4 == 0 ? "NOPE" : "KEEP5"
                        let number = "1380013\(String(format: "%04d", index))"
                        return
                            (try? await lines.add(
                                NewLine(msisdn: number, planCode: plan, holderName: "n\(index)", openingBalance: Money(100, .cny)))) != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 30)
            let stored = try await lines.list(status: nil, after: nil, limit: 500)
            #expect(stored.count == 30)
            let report = try await AdminService(store: store, clock: Fixtures.clock()).verify()
            #expect(report.ok)
            #expect(report.transfersChecked == 30)
        }
    }

    @Test("verify finds a tampered balance and an unbalanced transfer", arguments: TestDatabase.all)
    func verifyFindsDifferences(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            let line = try await Fixtures.seedLine(store, balance: 500, clock: clock)
            if let memory = store as? InMemoryStore {
                // Transfers cannot be built unbalanced, so only the cached balance is tampered with here.
                memory.committed.value.lines[line.id]?.balance = Money(501, .cny)
                let report = try await AdminService(store: store, clock: Fixtures.clock()).verify()
                #expect(report.problems.map(\.kind) == ["balance_mismatch"])
                #expect(report.problems.first?.subject == line.id)
                return
            }
            try await store.write { session in
                let db = (session as! SQLSession).db
                try await db.raw("UPDATE lines SET balance = balance + 1 WHERE id = \(bind: line.id)").run()
                try await db.raw("INSERT INTO ledger_transfers (id, kind, created_at) VALUES ('tr_forged', 'recharge', 0)").run()
                try await db.raw(
                    "INSERT INTO ledger_postings (transfer_id, seq, account, amount, currency, created_at) VALUES ('tr_forged', 0, 'revenue:fees', 7, 'CNY', 0)"
                ).run()
            }
            let report = try await AdminService(store: store, clock: Fixtures.clock()).verify()
            #expect(!report.ok)
            let kinds = Set(report.problems.map(\.kind))
            #expect(kinds == ["balance_mismatch", "unbalanced_transfer", "ledger_not_zero"])
            #expect(report.problems.first { $0.kind == "balance_mismatch" }?.subject == line.id)
        }
    }

    @Test(
        "verify finds a balance with no postings behind it and postings to a line that does not exist",
        arguments: TestDatabase.persistent)
    func verifyFindsLineAccountDifferences(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            let funded = try await Fixtures.seedLine(store, balance: 500, clock: clock)
            let empty = try await Fixtures.seedLine(store, msisdn: "13800138001", balance: 0, clock: clock)
            #expect(try await AdminService(store: store, clock: Fixtures.clock()).verify().ok)
            try await store.write { session in
                let db = (session as! SQLSession).db
                try await db.raw("UPDATE lines SET balance = 300 WHERE id = \(bind: empty.id)").run()
                try await db.raw("INSERT INTO ledger_transfers (id, kind, created_at) VALUES ('tr_ghost', 'recharge', 0)").run()
                try await db.raw(
                    """
                    INSERT INTO ledger_postings (transfer_id, seq, account, amount, currency, created_at)
                    VALUES ('tr_ghost', 0, 'line:ln_ghost', 700, 'CNY', 0), ('tr_ghost', 1, 'clearing:sandbox', -700, 'CNY', 0)
                    """
                ).run()
            }
            let report = try await AdminService(store: store, clock: Fixtures.clock()).verify()
            #expect(!report.ok)
            let found = report.problems.filter { $0.kind == "balance_mismatch" || $0.kind == "unknown_account" }
            #expect(found.map(\.kind).sorted() == ["balance_mismatch", "unknown_account"])
            #expect(
                found.first { $0.kind == "balance_mismatch" }.map { "\($0.subject) \($0.detail)" } == "\(empty.id) cached 300, ledger 0")
            #expect(
                found.first { $0.kind == "unknown_account" }.map { "\($0.subject) \($0.detail)" }
                    == "line:ln_ghost no such line; ledger 700")
            #expect(!found.contains { $0.subject == funded.id })
        }
    }

    @Test(
        "verify finds a credited order without its transfer and receipt, a pending one with a transfer, and a receipt of another amount",
        arguments: TestDatabase.persistent)
    func verifyFindsOrderDifferences(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            let line = try await Fixtures.seedLine(store, balance: 0, clock: clock)
            try await store.write { session in
                let db = (session as! SQLSession).db
                for (id, status) in [("rc_a_no_books", "credited"), ("rc_b_pending", "pending_payment"), ("rc_c_receipt", "credited")] {
                    try await db.raw(
                        """
                        INSERT INTO recharge_orders (id, line_id, msisdn, channel, payment_method, amount, fee, total, currency, status,
                          created_at, expires_at, late_payment, updated_at)
                        VALUES (\(bind: id), \(bind: line.id), \(bind: line.msisdn.e164), 'online', 'sandbox', 1000, 0, 1000, 'CNY',
                          \(bind: status), 0, 1, 0, 0)
                        """
                    ).run()
                }
                // A transfer on the pending order that moves money between two other accounts (so the
                // line's balance and every transfer still balance), and a credit of the third order
                // whose receipt says 900.
                for (transfer, order, account) in [("tr_b", "rc_b_pending", "revenue:fees"), ("tr_c", "rc_c_receipt", "line:\(line.id)")] {
                    try await db.raw(
                        "INSERT INTO ledger_transfers (id, kind, order_id, created_at) VALUES (\(bind: transfer), 'recharge', \(bind: order), 0)"
                    ).run()
                    try await db.raw(
                        """
                        INSERT INTO ledger_postings (transfer_id, seq, account, amount, currency, created_at)
                        VALUES (\(bind: transfer), 0, 'clearing:sandbox', -1000, 'CNY', 0), (\(bind: transfer), 1, \(bind: account), 1000, 'CNY', 0)
                        """
                    ).run()
                }
                try await db.raw("UPDATE lines SET balance = 1000 WHERE id = \(bind: line.id)").run()
                try await db.raw(
                    """
                    INSERT INTO receipts (receipt_no, order_id, line_id, msisdn, operator, channel, payment_method, provider, provider_txn_id,
                      face_value, amount_paid, fee, bonus, balance_after, currency, paid_at, credited_at)
                    VALUES ('BH-TEST-C', 'rc_c_receipt', \(bind: line.id), \(bind: line.msisdn.e164), 'unknown', 'online', 'sandbox', 'sandbox',
                      'txn-c', 900, 1000, 0, 0, 1000, 'CNY', 0, 0)
                    """
                ).run()
            }
            let report = try await AdminService(store: store, clock: Fixtures.clock()).verify()
            #expect(report.problems.map(\.kind) == ["order_mismatch", "order_mismatch", "order_mismatch"], "\(report.problems)")
            #expect(
                report.problems.map { "\($0.subject): \($0.detail)" } == [
                    "rc_a_no_books: status credited, 0 transfer(s), 0 receipt(s) (0 matching), credited 0 of 1000",
                    "rc_b_pending: status pending_payment, 1 transfer(s), 0 receipt(s) (0 matching), credited 0 of 1000",
                    "rc_c_receipt: status credited, 1 transfer(s), 1 receipt(s) (0 matching), credited 1000 of 1000",
                ])
        }
    }

    @Test("unpaid orders expire in one set-based statement", arguments: TestDatabase.all)
    func expiry(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            try await Fixtures.seedLine(store, clock: clock)
            let recharges = RechargeService(
                store: store, clock: clock, channelPolicies: ChannelPolicyService(repository: store, clock: clock), orderTimeToLive: 600)
            for index in 0..<5 {
                _ = try await recharges.createOrder(
                    RechargeRequest(msisdn: "13800138000", amount: .major(10), channel: .online, paymentMethod: .sandbox),
                    idempotencyKey: "expire-\(index)-key")
            }
            #expect(try await recharges.expireDueOrders() == 0)
            clock.advance(by: 601)
            #expect(try await recharges.expireDueOrders(batchSize: 3) == 3)
            #expect(try await recharges.expireDueOrders() == 2)
            #expect(try await recharges.expireDueOrders() == 0)
        }
    }

    @Test("migrations run once and again harmlessly", arguments: TestDatabase.persistent)
    func migrationsAreIdempotent(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            try await Fixtures.seedLine(store, clock: clock)
            let applied: [Int]
            if let sqlite = store as? SQLiteStore {
                applied = try await sqlite.migrate()
            } else {
                applied = try await (store as! PostgresStore).migrate()
            }
            #expect(applied.isEmpty)
            #expect(try await AdminService(store: store, clock: Fixtures.clock()).plans().count == 1)
        }
    }

    @Test("batched payment writes: a body that throws leaves nothing, the others commit", arguments: TestDatabase.all)
    func batchedPaymentWrites(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            try await Fixtures.seedLine(store, clock: clock)
            let recharges = RechargeService(
                store: store, clock: clock, channelPolicies: ChannelPolicyService(repository: store, clock: clock))
            var orders: [RechargeOrder] = []
            for index in 0..<30 {
                orders.append(
                    try await recharges.createOrder(
                        RechargeRequest(msisdn: "13800138000", amount: .major(10), channel: .online, paymentMethod: .sandbox),
                        idempotencyKey: "batch-\(index)-key"
                    ).0)
            }
            let snapshot = orders
            let now = Fixtures.clock().now()
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for (index, order) in snapshot.enumerated() {
                    group.addTask {
                        let key = PaymentKey(orderID: order.id, provider: "sandbox", transactionID: "t-\(index)")
                        let result: Bool? = try? await store.credit(key) { rows in
                            #expect(rows.order?.id == order.id && rows.line?.id == order.lineID && rows.payment == nil)
                            var changes = CreditChanges(
                                at: now,
                                notification: NotificationRecord(
                                    id: "nt-\(index)", provider: "sandbox", eventID: "e-\(index)", orderID: order.id,
                                    providerTransactionID: "t-\(index)", outcome: .applied, reason: nil, receivedAt: now))
                            changes.payment = PaymentRecord(
                                provider: "sandbox", transactionID: "t-\(index)", orderID: order.id, amount: order.total,
                                paidAt: now, recordedAt: now, needsRefund: false)
                            var paid = order
                            paid.status = .paid
                            // Every third expects a status the order does not have: its payment is
                            // written first, then the order update conflicts, and all of it must vanish.
                            changes.order = .init(order: paid, expected: index % 3 == 0 ? .credited : .pendingPayment)
                            return (true, changes)
                        }
                        return result == true
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 20)
            for (index, order) in orders.enumerated() {
                let stored = try await recharges.order(id: order.id)
                let payment = try await store.read { try await $0.payment(provider: "sandbox", transactionID: "t-\(index)") }
                if index % 3 == 0 {
                    #expect(stored.status == .pendingPayment)
                    #expect(payment == nil)
                } else {
                    #expect(stored.status == .paid)
                    #expect(payment?.orderID == order.id)
                }
            }
        }
    }

    /// PostgreSQL applies a batch of payments with a versioned read and one checked write, no
    /// locks held. Another process credits the same line, and then pays the same order, between
    /// that read and write: each time the checked write keeps nothing, the batch runs again under
    /// row locks, and the books show both credits once and the repeated payment as a duplicate.
    @Test("PostgreSQL checked writes: a row changed after the read is never overwritten", .postgresTier)
    func checkedWriteConflicts() async throws {
        let test = try await TestDatabase.postgres.open()
        do {
            let store = test.store
            let other = try await test.openSecond()
            let line = try await Fixtures.seedLine(store, clock: clock)
            let recharges = RechargeService(
                store: store, clock: clock, channelPolicies: ChannelPolicyService(repository: store, clock: clock))
            let otherRecharges = RechargeService(
                store: other, clock: clock, channelPolicies: ChannelPolicyService(repository: other, clock: clock))
            func order(_ key: String, _ yuan: Int64) async throws -> RechargeOrder {
                try await recharges.createOrder(
                    RechargeRequest(msisdn: "13800138000", amount: .major(yuan), channel: .online, paymentMethod: .sandbox),
                    idempotencyKey: key
                ).0
            }
            func paid(_ order: RechargeOrder, _ txn: String) -> PaymentEvent {
                PaymentEvent(
                    provider: "sandbox", eventID: "ev-\(txn)-\(UUID().uuidString)", orderID: order.id, providerTransactionID: txn,
                    outcome: .succeeded, amount: order.total, occurredAt: clock.now())
            }
            let first = try await order("checked-first-key", 10)
            let second = try await order("checked-second-key", 20)
            let third = try await order("checked-third-key", 50)
            let queue = (store as! PostgresStore).queue
            let interleave = Interleave()

            // Another process credits the same line after this batch read it.
            let secondPaid = paid(second, "txn-second")
            await interleave.set { _ = try await otherRecharges.applyPayment(secondPaid) }
            await queue.setAfterCheckedRead { try await interleave.runOnce() }
            guard case .credited = try await recharges.applyPayment(paid(first, "txn-first")) else {
                Issue.record("first payment not credited")
                return
            }
            #expect(await queue.checkedConflicts == 1)

            // Another process applies this very payment after this batch read the order.
            let thirdPaid = paid(third, "txn-third")
            await interleave.set { _ = try await otherRecharges.applyPayment(thirdPaid) }
            guard case .duplicate = try await recharges.applyPayment(paid(third, "txn-third")) else {
                Issue.record("the repeated payment was not a duplicate")
                return
            }
            #expect(await queue.checkedConflicts == 2)

            // Without interference the checked write commits at once.
            await queue.setAfterCheckedRead(nil)
            let fourth = try await order("checked-fourth-key", 30)
            guard case .credited = try await recharges.applyPayment(paid(fourth, "txn-fourth")) else {
                Issue.record("fourth payment not credited")
                return
            }
            #expect(await queue.checkedConflicts == 2)

            let balance = try await store.read { try await $0.line(id: line.id, forUpdate: false) }?.balance
            #expect(balance == .major(110))
            let transfers = try await store.read { try await $0.transfers(account: .line(id: line.id), limit: 20) }
            #expect(transfers.filter { $0.kind == .recharge }.count == 4)
            let report = try await AdminService(store: store, clock: Fixtures.clock()).verify()
            #expect(report.ok)
            try await other.shutdown()
        } catch {
            await test.close()
            throw error
        }
        await test.close()
    }

    /// Opening migrates on a connection of its own first, so a server that cannot be reached fails
    /// the start at once with a message an operator can act on (the pool would retry forever).
    @Test("an unreachable PostgreSQL fails the start at once, saying where, never with the password")
    func unreachablePostgres() async throws {
        do {
            let store = try await PostgresStore.open(url: "postgres://baohao:s3cret@127.0.0.1:1/baohao", logger: Logger(label: "test"))
            try await store.shutdown()
            Issue.record("opened a store on port 1")
        } catch let error as DatabaseConnectionError {
            #expect(error.description.hasPrefix("cannot connect to PostgreSQL at 127.0.0.1:1: "))
            #expect(!error.description.contains("s3cret"))
        }
    }

    /// The checked write binds every column of a batch as one array; optional columns (a receipt's
    /// keep-alive text, a retention date) need arrays with NULL elements, encoded by Baohao itself.
    @Test("PostgreSQL arrays with NULL elements bind as one parameter; empty arrays stay empty", .postgresTier)
    func nullableArrays() async throws {
        let test = try await TestDatabase.postgres.open()
        do {
            let store = test.store as! PostgresStore
            let values = try await store.batchClient.withConnection { connection in
                var bindings = PostgresBindings()
                bindings.append(PostgresNullableArray<String>(["保号", nil, "c"]))
                bindings.append(PostgresNullableArray<Int64>([nil, -7, Int64.max]))
                bindings.append(PostgresNullableArray<String>([]))
                let query = PostgresQuery(
                    unsafeSQL: """
                        SELECT array_to_string($1::text[], ',', 'NULL'), array_to_string($2::int8[], ',', 'NULL'),
                          cardinality($3::text[]), (SELECT count(*) FROM unnest($1::text[]) AS t (v) WHERE v IS NULL)
                        """, binds: bindings)
                var values: [(String, String, Int64, Int64)] = []
                for try await row in try await connection.query(query, logger: Logger(label: "test")).decode(
                    (String, String, Int64, Int64).self)
                {
                    values.append(row)
                }
                return values
            }
            #expect(values.count == 1)
            #expect(values.first?.0 == "保号,NULL,c")
            #expect(values.first?.1 == "NULL,-7,9223372036854775807")
            #expect(values.first?.2 == 0)
            #expect(values.first?.3 == 1)
        } catch {
            await test.close()
            throw error
        }
        await test.close()
    }
}

/// Runs a piece of work once, at the moment a test chooses.
actor Interleave {
    private var work: (@Sendable () async throws -> Void)?

    func set(_ work: @escaping @Sendable () async throws -> Void) {
        self.work = work
    }

    func runOnce() async throws {
        let current = work
        work = nil
        try await current?()
    }
}

@Suite("Reconciliation and settlement storage")
struct ReconciliationStorageTests {
    @Test(
        "a claimed order is hidden from other reconcilers until its lease ends; a final answer ends the asking",
        arguments: TestDatabase.all)
    func claimsAndLeases(_ database: TestDatabase) async throws {
        let clock = Fixtures.clock()
        try await withTestStore(database) { store in
            _ = try await Fixtures.seedLine(store, balance: 0, clock: clock)
            let recharges = RechargeService(
                store: store, clock: clock, channelPolicies: ChannelPolicyService(repository: store, clock: clock))
            let (order, _) = try await recharges.createOrder(
                RechargeRequest(msisdn: "13800138000", amount: .major(10), channel: .online, paymentMethod: .alipay),
                idempotencyKey: "key-reconcile-1")
            let policy = ReconciliationPolicy(firstAskAfter: 60, lease: 120)
            let first = ReconciliationService(store: store, clock: clock, policy: policy)
            let second = ReconciliationService(store: store, clock: clock, policy: policy)
            #expect(try await first.claimDue(limit: 10).isEmpty)  // too young to ask about
            clock.advance(by: 61)
            let claimed = try await first.claimDue(limit: 10)
            #expect(claimed.map(\.order.id) == [order.id])
            #expect(claimed[0].attempts == 0)
            #expect(try await second.claimDue(limit: 10).isEmpty)  // leased to the first
            try await first.record(claimed[0], result: .pending)
            #expect(try await second.claimDue(limit: 10).isEmpty)  // backoff: 60 s
            clock.advance(by: 61)
            let again = try await second.claimDue(limit: 10)
            #expect(again.map(\.attempts) == [1])
            try await second.record(again[0], result: .closed)
            clock.advance(by: 86_400)
            #expect(try await first.claimDue(limit: 10).isEmpty)
        }
    }

    @Test("settlement finds matches, both kinds of missing, and amount mismatches", arguments: TestDatabase.all)
    func settlement(_ database: TestDatabase) async throws {
        let clock = Fixtures.clock()
        try await withTestStore(database) { store in
            _ = try await Fixtures.seedLine(store, balance: 0, clock: clock)
            let recharges = RechargeService(
                store: store, clock: clock, channelPolicies: ChannelPolicyService(repository: store, clock: clock))
            var orders: [RechargeOrder] = []
            for index in 0..<3 {
                let (order, _) = try await recharges.createOrder(
                    RechargeRequest(msisdn: "13800138000", amount: .major(10), channel: .online, paymentMethod: .alipay),
                    idempotencyKey: "key-settle-\(index)")
                let application = try await recharges.applyPayment(
                    PaymentEvent(
                        provider: "alipay", eventID: "e\(index)", orderID: order.id, providerTransactionID: "T\(index)",
                        outcome: .succeeded,
                        amount: .major(10), occurredAt: clock.now()))
                guard case .credited = application else { Issue.record("not credited"); return }
                orders.append(order)
            }
            let day = ChinaDay.of(clock.now())
            let csv = """
                provider_txn_id,order_id,amount,currency,paid_at
                T0,\(orders[0].id),1000,CNY,
                T1,\(orders[1].id),1001,CNY,
                T9,rc_other,500,CNY,
                """
            let report = try await SettlementService(store: store, clock: clock).settle(
                provider: "alipay", day: day, statement: try StatementCSV.parse(csv))
            #expect(report.matched == 1)
            #expect(report.matchedTotal == .major(10))
            #expect(report.amountMismatches.map(\.transactionID) == ["T1"])
            #expect(report.missingOurs.map(\.transactionID) == ["T9"])
            #expect(report.missingTheirs.map(\.transactionID) == ["T2"])
            #expect(!report.isClean)
        }
    }
}

/// The Beijing calendar day of a moment, as settlement names it.
enum ChinaDay {
    static func of(_ date: Date) -> String {
        String(Timestamp.format(date.addingTimeInterval(8 * 3600)).prefix(10))
    }
}
