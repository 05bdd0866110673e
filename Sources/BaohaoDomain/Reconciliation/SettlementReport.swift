import Foundation

/// The comparison of a provider's statement for one day with the payments Baohao recorded.
public struct SettlementReport: Sendable, Hashable {
    public struct Mismatch: Sendable, Hashable {
        public let transactionID: String
        public let orderID: String
        public let theirs: Money
        public let ours: Money
    }

    public let id: String
    public let provider: String
    /// The statement's day (YYYY-MM-DD, Beijing time).
    public let day: String
    /// In both, same amount.
    public let matched: Int
    public let matchedTotal: Money
    /// On the statement, no payment recorded by Baohao (a lost notification the reconciler has not
    /// recovered yet, or a payment for something else).
    public let missingOurs: [StatementLine]
    /// Recorded by Baohao for that day, not on the statement.
    public let missingTheirs: [PaymentRecord]
    /// In both with different amounts or currencies.
    public let amountMismatches: [Mismatch]
    public let createdAt: Date

    public var isClean: Bool { missingOurs.isEmpty && missingTheirs.isEmpty && amountMismatches.isEmpty }

    /// Matches on the provider transaction id. `found` are our payments with the statement's
    /// transaction ids (whatever their day); `recordedThatDay` are ours paid on the statement's day.
    public static func compare(
        id: String, provider: String, day: String, statement: [StatementLine], found: [PaymentRecord], recordedThatDay: [PaymentRecord],
        currency: Currency, at now: Date
    ) -> SettlementReport {
        let byTransaction = Dictionary((found + recordedThatDay).map { ($0.transactionID, $0) }, uniquingKeysWith: { first, _ in first })
        var matched = 0
        var matchedTotal: Int64 = 0
        var missingOurs: [StatementLine] = []
        var mismatches: [Mismatch] = []
        var seen = Set<String>()
        for line in statement {
            guard let payment = byTransaction[line.transactionID] else {
                missingOurs.append(line)
                continue
            }
            seen.insert(line.transactionID)
            if payment.amount == line.amount && payment.orderID == line.orderID {
                matched += 1
                if line.amount.currency == currency { matchedTotal += line.amount.amountMinor }
            } else {
                mismatches.append(
                    Mismatch(transactionID: line.transactionID, orderID: line.orderID, theirs: line.amount, ours: payment.amount))
            }
        }
        let missingTheirs = recordedThatDay.filter { !seen.contains($0.transactionID) }
        return SettlementReport(
            id: id, provider: provider, day: day, matched: matched, matchedTotal: Money(matchedTotal, currency), missingOurs: missingOurs,
            missingTheirs: missingTheirs, amountMismatches: mismatches, createdAt: now)
    }
}
