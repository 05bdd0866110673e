import Foundation

/// What the operator sees and does beyond a single line: plans, a line's ledger and orders,
/// notifications, verification.
public struct AdminService: Sendable {
    /// The ports this service uses, and no others.
    let store: Transactions<any PlanRows & OrderRows & PaymentRows & LedgerRows>
    let clock: any WallClock
    let retention: PolicyBook

    public init(store: any RechargeStore, clock: any WallClock, retention: PolicyBook = .shippedBook) {
        self.store = Transactions(store) { $0 }
        self.clock = clock
        self.retention = retention
    }

    public func plans() async throws -> [Plan] {
        try await store.read { try await $0.plans() }
    }

    /// Adds a plan; refuses a code already in use.
    public func addPlan(_ plan: Plan) async throws {
        let now = clock.now()
        if let code = plan.policyCode {
            guard let policy = retention.policy(code: code, at: now) else { throw DomainError.policyNotFound(code) }
            guard policy.currency == plan.monthlyFee.currency else {
                throw DomainError.policyMismatch(
                    "policy \(code) is in \(policy.currency.code), the plan in \(plan.monthlyFee.currency.code)")
            }
            if let rule = policy.monthlyFee, rule.fee != plan.monthlyFee {
                throw DomainError.policyMismatch(
                    "policy \(code) charges \(rule.fee.decimalString) a month, the plan \(plan.monthlyFee.decimalString)")
            }
        }
        guard try await store.write({ try await $0.insertPlan(plan, at: now) }) else { throw DomainError.planExists(plan.code) }
    }

    public func plan(code: String) async throws -> Plan? {
        try await store.read { try await $0.plan(code: code) }
    }

    /// Where each line stands now, in the order given: under its plan's policy, or by its plan's
    /// fee when the plan follows none (``PolicyBook/assess(_:plan:at:)``).
    public func assessments(of lines: [Line]) async throws -> [RetentionAssessment] {
        let now = clock.now()
        let plans = Dictionary(uniqueKeysWithValues: try await plans().map { ($0.code, $0) })
        return lines.map { retention.assess($0, plan: plans[$0.planCode], at: now) }
    }

    /// Where one line stands now (see ``assessments(of:)``).
    public func assessment(of line: Line) async throws -> RetentionAssessment {
        try await assessments(of: [line])[0]
    }

    /// The transfers that touched a line, newest first.
    public func ledger(lineID: String, limit: Int = 100) async throws -> [Transfer] {
        let bounded = min(max(limit, 1), 1_000)
        return try await store.read { try await $0.transfers(account: .line(id: lineID), limit: bounded) }
    }

    /// A page of a line's orders, newest first: those before `before`, without never-paid ones
    /// unless `includeUnpaid`.
    public func orders(lineID: String, before: OrderCursor?, includeUnpaid: Bool, limit: Int) async throws -> [RechargeOrder] {
        let bounded = min(max(limit, 1), 1_000)
        return try await store.read {
            try await $0.orders(lineID: lineID, before: before, includeUnpaid: includeUnpaid, limit: bounded)
        }
    }

    /// A line's orders, newest first.
    public func orders(lineID: String, limit: Int = 100) async throws -> [RechargeOrder] {
        let bounded = min(max(limit, 1), 1_000)
        return try await store.read { try await $0.orders(lineID: lineID, limit: bounded) }
    }

    public func notifications(outcome: NotificationOutcome?, limit: Int = 100) async throws -> [NotificationRecord] {
        let bounded = min(max(limit, 1), 1_000)
        return try await store.read { try await $0.notifications(outcome: outcome, limit: bounded) }
    }

    /// Recomputes every balance from the ledger and checks every transfer and credited order.
    /// `step` hears the name of each check as it starts (transfers, line balances …), for progress.
    /// The checks (``LedgerCheck``) run a few at a time, each in its own read; problems are listed
    /// in the checks' order.
    public func verify(step: @escaping @Sendable (String) -> Void = { _ in }) async throws -> VerificationReport {
        let checks = LedgerCheck.allCases
        let parts = try await withThrowingTaskGroup(of: (Int, VerificationReport).self) { group in
            var next = 0
            func start() {
                let index = next
                next += 1
                step(checks[index].rawValue)
                group.addTask { (index, try await self.store.read { try await $0.verify(checks[index]) }) }
            }
            while next < min(Self.checksAtOnce, checks.count) { start() }
            var parts: [VerificationReport?] = Array(repeating: nil, count: checks.count)
            while let (index, part) = try await group.next() {
                parts[index] = part
                if next < checks.count { start() }
            }
            return parts.compactMap { $0 }
        }
        return VerificationReport(
            transfersChecked: parts.reduce(0) { $0 + $1.transfersChecked },
            linesChecked: parts.reduce(0) { $0 + $1.linesChecked },
            creditedOrdersChecked: parts.reduce(0) { $0 + $1.creditedOrdersChecked },
            problems: parts.flatMap(\.problems))
    }

    /// Checks run at once, each in its own read: SQLite has three readers; two cores.
    static let checksAtOnce = 3
}
