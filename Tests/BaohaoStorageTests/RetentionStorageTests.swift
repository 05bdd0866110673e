import BaohaoDomain
import BaohaoTestSupport
import Foundation
import Testing

/// The retention runner against real databases: fees through the ledger exactly once, stage
/// history, reminders once per line and key, and two runners sharing the work.
@Suite("Retention runner")
struct RetentionStorageTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let plan = try! Plan(code: "CN5", name: "保号套餐 5元/月", monthlyFee: .major(5), policyCode: "cn-keep5")

    static func at(_ iso: String, hour: Double = 9) -> Date {
        LocalDate(iso: iso)!.startOfDay(in: zone).addingTimeInterval(hour * 3600)
    }

    static func seed(_ store: any RechargeStore, clock: ManualWallClock, count: Int, balance: Int64) async throws -> [Line] {
        try await AdminService(store: store, clock: clock).addPlan(plan)
        let lines = LineService(store: store, clock: clock)
        let rows = (0..<count).map { i in
            (
                row: i + 2,
                line: NewLine(
                    msisdn: String(format: "1380000%04d", i), planCode: "CN5", holderName: "用户\(i)", openingBalance: Money(balance, .cny))
            )
        }
        _ = try await lines.importLines(rows, parseErrors: [])
        return try await lines.list(status: nil, after: nil, limit: 500)
    }

    final class RecordingSender: ReminderSender, @unchecked Sendable {
        let channel: ReminderChannel
        let reportsDelivery = false
        private let lock = NSLock()
        private var messages: [ReminderMessage] = []
        init(_ channel: ReminderChannel) { self.channel = channel }
        func send(_ message: ReminderMessage) async throws(ReminderSendError) -> String? {
            lock.withLock { messages.append(message) }
            return nil
        }
        var sent: [ReminderMessage] { lock.withLock { messages } }
    }

    @Test(
        "monthly fees are ledger transfers, once per line and month; arrears suspend, a recharge restores", arguments: TestDatabase.all
    )
    func feesStagesAndRestore(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            let clock = ManualWallClock(Self.at("2026-01-10", hour: 10))
            let lines = try await Self.seed(store, clock: clock, count: 3, balance: 1200)
            let retention = RetentionService(store: store, clock: clock)
            _ = try await retention.runReviews()

            clock.set(Self.at("2026-02-01"))
            let february = try await retention.runReviews()
            #expect(february.charges == 3)
            #expect(february.charged == ["CNY": 1500])
            // The same run again, and a run later the same day, find nothing due: the duplicate is harmless.
            #expect(try await retention.runReviews().charges == 0)
            clock.set(Self.at("2026-02-01", hour: 20))
            #expect(try await retention.runReviews().charges == 0)

            clock.set(Self.at("2026-04-02"))
            let april = try await retention.runReviews()
            #expect(april.charges == 6)
            #expect(april.stageChanges == 3)
            let view = try await retention.view(msisdn: lines[0].msisdn.e164)
            #expect(view.line.status == .suspended)
            #expect(view.line.balance == Money(-300, .cny))
            #expect(view.history.first?.to == .suspended)
            #expect(view.history.first?.effectiveOn == LocalDate(iso: "2026-04-01"))
            #expect(view.history.first?.policy == "cn-keep5@1")
            // Suspended, the action says what restores it and when it is barred.
            #expect(view.assessment.action == .restore(atLeast: Money(300, .cny), before: LocalDate(iso: "2026-05-01")!, then: .barred))
            let ledger = try await AdminService(store: store, clock: Fixtures.clock()).ledger(lineID: lines[0].id)
            #expect(
                ledger.filter { $0.kind == .monthlyFee }.map(\.id).sorted()
                    == ["2026-02", "2026-03", "2026-04"].map { "fee:\(lines[0].id):\($0)" })
            // A fee transfer cannot be written twice: its id is the line and the month.
            let again = try Transfer(
                id: "fee:\(lines[0].id):2026-04", kind: .monthlyFee, orderID: nil,
                postings: [Posting(.line(id: lines[0].id), Money(-500, .cny)), Posting(.serviceRevenue, Money(500, .cny))],
                createdAt: clock.now())
            await #expect(throws: (any Error).self) { try await store.write { try await $0.appendTransfer(again) } }

            // Paying the arrears restores service in the same transaction as the credit.
            let recharges = RechargeService(
                store: store, clock: clock, channelPolicies: ChannelPolicyService(repository: store, clock: clock))
            let (order, _) = try await recharges.createOrder(
                RechargeRequest(msisdn: lines[0].msisdn.e164, amount: .major(10), channel: .online, paymentMethod: .sandbox),
                idempotencyKey: "restore-0000001")
            let applied = try await recharges.applyPayment(
                PaymentEvent(
                    provider: "sandbox", eventID: "ev1", orderID: order.id, providerTransactionID: "txn-restore-1", outcome: .succeeded,
                    amount: order.total, occurredAt: clock.now()))
            guard case .credited(_, let receipt) = applied else { Issue.record("not credited: \(applied)"); return }
            #expect(receipt.keepAliveZh == "请在 2026-06-01 前充值至少 ¥3.00")
            let restored = try await retention.view(msisdn: lines[0].msisdn.e164)
            #expect(restored.line.status == .active)
            #expect(restored.history.first.map { "\($0.from.rawValue)→\($0.to.rawValue) \($0.reason)" } == "suspended→active recharge")
            // The runner announces the restoration once.
            _ = try await retention.runReviews()
            _ = try await retention.runReviews()
            let keys = try await store.read { try await $0.reminders(lineID: lines[0].id, limit: 100) }.map(\.key)
            #expect(keys.filter { $0 == "stage:active:2026-04-02" }.count == 1)
            #expect(keys.contains("stage:suspended:2026-04-01"))
            #expect(try await AdminService(store: store, clock: Fixtures.clock()).verify().ok)
        }
    }

    @Test("two runners share one database without a double charge or a duplicate reminder", arguments: TestDatabase.all)
    func twoRunners(_ database: TestDatabase) async throws {
        let test = try await database.open()
        let second = try await test.openSecond()
        do {
            let clock = ManualWallClock(Self.at("2026-01-10", hour: 10))
            let lines = try await Self.seed(test.store, clock: clock, count: 400, balance: 700)
            #expect(lines.count == 400)
            clock.set(Self.at("2026-03-02"))
            let a = RetentionService(store: test.store, clock: clock)
            let b = RetentionService(store: second, clock: clock)
            async let first = a.runReviews(batchSize: 37)
            async let other = b.runReviews(batchSize: 41)
            let (x, y) = try await (first, other)
            #expect(x.reviewed + y.reviewed == 400)
            #expect(x.charges + y.charges == 800)
            #expect((x.charged["CNY"] ?? 0) + (y.charged["CNY"] ?? 0) == 400_000)
            #expect(try await a.runReviews().charges == 0)

            let smsA = RecordingSender(.sms)
            let smsB = RecordingSender(.sms)
            let senderA = ReminderService(store: test.store, clock: clock, senders: [smsA])
            let senderB = ReminderService(store: second, clock: clock, senders: [smsB])
            for _ in 0..<6 {
                async let p = senderA.dispatch(limit: 150)
                async let q = senderB.dispatch(limit: 150)
                _ = try await (p, q)
            }
            let sent = smsA.sent + smsB.sent
            // Each line: suspended on 1 Mar (stage change) and a deadline reminder for barred on 31 Mar.
            #expect(sent.count == 800)
            #expect(Set(sent.map(\.reminderID)).count == sent.count)
            #expect(sent.first(where: { $0.kind == .stageChange })?.text.hasPrefix("【保号通知】您的号码 138****") == true)
            #expect(try await AdminService(store: test.store, clock: Fixtures.clock()).verify().ok)
        } catch {
            try? await second.shutdown()
            await test.close()
            throw error
        }
        try? await second.shutdown()
        await test.close()
    }

    @Test("one runner with three batches in flight charges every line once, and stops at its batch limit", arguments: TestDatabase.all)
    func batchesInFlight(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            let clock = ManualWallClock(Self.at("2026-01-10", hour: 10))
            let lines = try await Self.seed(store, clock: clock, count: 400, balance: 700)
            #expect(lines.count == 400)
            clock.set(Self.at("2026-03-02"))
            let retention = RetentionService(store: store, clock: clock)
            let limited = try await retention.runReviews(batchSize: 37, maximumBatches: 2, workers: 3)
            #expect(limited.batches == 2)
            #expect(limited.reviewed <= 74)
            let rest = try await retention.runReviews(batchSize: 37, workers: 3)
            #expect(limited.reviewed + rest.reviewed == 400)
            #expect(limited.charges + rest.charges == 800)
            // A repeated run finds nothing due: no fee is charged twice.
            #expect(try await retention.runReviews(workers: 3).charges == 0)
            // Each line: one stage-change reminder (suspended on 1 Mar) and one deadline reminder.
            let reminders = try await store.read { session in
                var counts: [Int] = []
                for line in lines { counts.append(try await session.reminders(lineID: line.id, limit: 100).count) }
                return counts
            }
            #expect(reminders.count == 400 && reminders.allSatisfy { $0 == 2 })
            #expect(try await AdminService(store: store, clock: Fixtures.clock()).verify().ok)
        }
    }

    @Test("quiet hours defer, failures retry with backoff, opt-out stops, delivery reports are kept", arguments: [TestDatabase.memory])
    func reminderDelivery(_ database: TestDatabase) async throws {
        try await withTestStore(database) { store in
            let clock = ManualWallClock(Self.at("2026-01-10", hour: 10))
            let lines = try await Self.seed(store, clock: clock, count: 2, balance: 500)
            let retention = RetentionService(store: store, clock: clock)
            _ = try await retention.setContact(msisdn: lines[0].msisdn.e164) {
                ContactPreferences(lineID: $0, channels: [.sms], quietStart: 22, quietEnd: 8)
            }
            _ = try await retention.setContact(msisdn: lines[1].msisdn.e164) {
                ContactPreferences(lineID: $0, channels: [.sms], optedOut: true)
            }
            clock.set(Self.at("2026-01-10", hour: 23))
            _ = try await retention.runReviews()
            let sms = RecordingSender(.sms)
            let service = ReminderService(store: store, clock: clock, senders: [sms])
            let first = try await service.dispatch()
            #expect(first.deferred == 1)
            #expect(sms.sent.isEmpty)
            clock.set(Self.at("2026-01-11", hour: 8.5))
            #expect(try await service.dispatch().sent == 1)
            let reminder = try #require(try await store.read { try await $0.reminders(lineID: lines[0].id, limit: 10) }.first)
            // ¥5 pays February's fee; March's makes arrears: deadline 1 March, balance under the ¥10 warning line.
            #expect(reminder.key == "low_balance:2026-03-01")
            #expect(reminder.status == .sent)
            clock.advance(by: 2)
            _ = try await service.recordDeliveryReport(reminderID: reminder.id, code: 8)
            clock.advance(by: 3)
            let delivered = try await service.recordDeliveryReport(reminderID: reminder.id, code: 1)
            #expect(delivered?.status == .delivered)
            let outcomes = try await store.read { try await $0.reminderAttempts(reminderIDs: [reminder.id]) }.map(\.outcome)
            #expect(outcomes == ["deferred", "sent", "dlr:8", "dlr:1"])
            #expect(try await store.read { try await $0.reminders(lineID: lines[1].id, limit: 10) }.isEmpty)
            #expect(ReminderService.backoff(afterAttempts: 1) == 60)
            #expect(ReminderService.backoff(afterAttempts: 3) == 240)
            #expect(ReminderService.backoff(afterAttempts: 20) == 3600)
        }
    }
}
