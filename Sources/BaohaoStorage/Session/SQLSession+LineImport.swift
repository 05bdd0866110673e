import BaohaoDomain
import Foundation
import SQLKit

/// A line import's batch checks and writes: a query per few hundred numbers, not per row, and
/// multi-row inserts for the lines and their opening-balance transfers.
extension SQLSession {
    func numbersInService(_ numbers: [MSISDN]) async throws -> Set<MSISDN> {
        try await found(numbers, "SELECT msisdn FROM lines WHERE status <> 'reclaimed' AND msisdn IN (")
    }

    func numbersInQuarantine(_ numbers: [MSISDN], at: Date) async throws -> Set<MSISDN> {
        try await found(
            numbers, "SELECT msisdn FROM lines WHERE status = 'reclaimed' AND quarantine_until > \(at.millis) AND msisdn IN (")
    }

    private func found(_ numbers: [MSISDN], _ prefix: String) async throws -> Set<MSISDN> {
        var found: Set<MSISDN> = []
        for chunk in numbers.map(\.e164).chunked(BufferedCreditSession.rowsPerStatement) {
            var query = SQLQueryString(prefix)
            BufferedCreditSession.appendList(chunk, to: &query)
            for row in try await db.raw(query).all() {
                found.insert(try MSISDN(parsing: try row.decode(column: "msisdn", as: String.self)))
            }
        }
        return found
    }

    /// A statement per few hundred rows, so that no statement grows with the batch: the multi-row
    /// form would reach PostgreSQL's limit of 65,535 parameters a statement, and
    /// ``run(_:)-([RowsWrite])`` joins a call's statements into one.
    func insertLines(_ lines: [Line], transfers: [Transfer]) async throws {
        for chunk in lines.chunked(BufferedCreditSession.rowsPerStatement) {
            try await run([WrittenTables.newLines.insert(Array(chunk))])
        }
        for chunk in transfers.chunked(BufferedCreditSession.rowsPerStatement) {
            try await run(Self.transferWrites(Array(chunk)))
        }
    }
}
