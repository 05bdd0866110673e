import Foundation

/// One row of a provider's settlement statement, in Baohao's statement CSV:
/// `provider_txn_id,order_id,amount,currency,paid_at` (amount in minor units; a header row).
public struct StatementLine: Sendable, Hashable {
    public let transactionID: String
    public let orderID: String
    public let amount: Money
    public let paidAt: Date?
    /// 1-based line number in the file, for the report.
    public let lineNumber: Int

    public init(transactionID: String, orderID: String, amount: Money, paidAt: Date?, lineNumber: Int) {
        self.transactionID = transactionID
        self.orderID = orderID
        self.amount = amount
        self.paidAt = paidAt
        self.lineNumber = lineNumber
    }
}

/// Reads a statement file; every bad line is reported with its number, and none is half-read.
public enum StatementCSV {
    /// Largest statement accepted.
    public static let maximumLines = 200_000
    static let header = ["provider_txn_id", "order_id", "amount", "currency", "paid_at"]

    public static func parse(_ text: String) throws(StatementError) -> [StatementLine] {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { String($0) }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let first = lines.first else { throw StatementError(problems: [.init(line: 1, reason: "empty file")]) }
        guard first.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) == header else {
            throw StatementError(problems: [.init(line: 1, reason: "header must be \(header.joined(separator: ","))")])
        }
        guard lines.count - 1 <= maximumLines else {
            throw StatementError(problems: [.init(line: maximumLines + 2, reason: "more than \(maximumLines) lines")])
        }
        var result: [StatementLine] = []
        var problems: [StatementError.Problem] = []
        var seen = Set<String>()
        for (offset, line) in lines.enumerated().dropFirst() {
            let number = offset + 1
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 5 else { problems.append(.init(line: number, reason: "expected 5 columns")); continue }
            guard (1...128).contains(cells[0].count) else { problems.append(.init(line: number, reason: "provider_txn_id")); continue }
            guard seen.insert(cells[0]).inserted else { problems.append(.init(line: number, reason: "repeated provider_txn_id")); continue }
            guard (1...64).contains(cells[1].count) else { problems.append(.init(line: number, reason: "order_id")); continue }
            guard let minor = Int64(cells[2]), minor > 0, minor <= 100_000_000_000 else {
                problems.append(.init(line: number, reason: "amount must be positive minor units"))
                continue
            }
            guard let currency = Currency(code: cells[3].uppercased()) else {
                problems.append(.init(line: number, reason: "currency")); continue
            }
            var paidAt: Date? = nil
            if !cells[4].isEmpty {
                guard let parsed = Timestamp.parse(cells[4]) else {
                    problems.append(.init(line: number, reason: "paid_at must be RFC 3339")); continue
                }
                paidAt = parsed
            }
            result.append(
                StatementLine(
                    transactionID: cells[0], orderID: cells[1], amount: Money(minor, currency), paidAt: paidAt, lineNumber: number))
        }
        if !problems.isEmpty { throw StatementError(problems: Array(problems.prefix(100))) }
        return result
    }
}

/// Why a statement file was refused.
public struct StatementError: Error, Sendable, Equatable {
    public struct Problem: Sendable, Equatable, Codable {
        public let line: Int
        public let reason: String
    }
    public let problems: [Problem]
}
