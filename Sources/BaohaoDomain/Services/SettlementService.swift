import Foundation

/// Daily settlement: a provider's statement for one day compared with the payments Baohao recorded.
public struct SettlementService: Sendable {
    /// The ports this service uses, and no others.
    let store: Transactions<any PaymentRows>
    let clock: any WallClock
    let ids: IdentifierFactory
    /// Most of our payments for one provider and day that one report considers.
    public static let maximumPaymentsPerDay = 500_000

    public init(store: any RechargeStore, clock: any WallClock, ids: IdentifierFactory = IdentifierFactory()) {
        self.store = Transactions(store) { $0 }
        self.clock = clock
        self.ids = ids
    }

    /// Compares a statement (already parsed) for `day` (YYYY-MM-DD, Beijing time) and keeps the summary.
    public func settle(provider: String, day: String, statement: [StatementLine], currency: Currency = .cny) async throws
        -> SettlementReport
    {
        guard (1...32).contains(provider.count), provider.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw DomainError.validation(ValidationError(field: "provider", reason: .invalidFormat))
        }
        guard let start = Timestamp.parse("\(day)T00:00:00+08:00"), day.count == 10 else {
            throw DomainError.validation(ValidationError(field: "day", reason: .invalidFormat))
        }
        let end = start + 86_400
        let now = clock.now()
        let id = ids.make("st", at: now)
        let transactionIDs = statement.map(\.transactionID)
        let limit = Self.maximumPaymentsPerDay
        return try await store.write { session in
            let found = try await session.payments(provider: provider, transactionIDs: transactionIDs)
            let thatDay = try await session.payments(provider: provider, paidFrom: start, until: end, limit: limit)
            let report = SettlementReport.compare(
                id: id, provider: provider, day: day, statement: statement, found: found, recordedThatDay: thatDay, currency: currency,
                at: now)
            try await session.insertSettlementRun(report)
            return report
        }
    }
}
