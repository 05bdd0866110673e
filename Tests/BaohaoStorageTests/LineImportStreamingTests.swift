import BaohaoDomain
import BaohaoTestSupport
import Foundation
import Testing

/// `baohao lines import` on a file larger than the old 10,000-row cap: streamed in batches, all
/// rows in one transaction, or none when any row is bad (here the very last). SQLite takes more
/// rows than the old cap; the in-memory tier (copy-on-write tables, slow for many rows) and
/// PostgreSQL take fewer, which runs the same batch-by-batch path.
@Suite("Streamed line import")
struct LineImportStreamingTests {
    static func csv(rows: Int, lastBad: Bool) -> [UInt8] {
        var text = "msisdn,plan,holder_name,opening_balance\n"
        for index in 0..<rows {
            let bad = lastBad && index == rows - 1
            text += "1380\(String(format: "%07d", index)),KEEP5,用户\(index),\(bad ? "x" : index % 3 == 0 ? "2.50" : "")\n"
        }
        return Array(text.utf8)
    }

    /// Rows and batch size for `database`.
    static func size(_ database: TestDatabase) -> (rows: Int, batch: Int) {
        switch database {
        case .sqlite: (12_000, 5_000)
        // 4,000 lines of 18 columns are 72,000 values: over PostgreSQL's 65,535 parameters for one
        // statement, had a batch's rows been written in one.
        case .postgres: (9_000, 4_000)
        case .memory: (1_200, 500)
        }
    }

    static func reader(_ bytes: [UInt8], batch: Int) -> LineImportCSVReader {
        var offset = 0
        return LineImportCSVReader(batchSize: batch) {
            guard offset < bytes.count else { return nil }
            defer { offset += 65_536 }
            return Array(bytes[offset..<min(offset + 65_536, bytes.count)])
        }
    }

    @Test("rows import batch by batch in one go, each opening balance a transfer", arguments: TestDatabase.all)
    func large(_ database: TestDatabase) async throws {
        let (rows, batch) = Self.size(database)
        try await withTestStore(database) { store in
            try await AdminService(store: store, clock: Fixtures.clock()).addPlan(Fixtures.keepAlivePlan)
            let lines = LineService(store: store, clock: Fixtures.clock())
            let heard = Heard()
            let report = try await lines.importLines(from: Self.reader(Self.csv(rows: rows, lastBad: false), batch: batch)) {
                heard.add($0)
            }
            #expect(report.imported == rows && report.rowsRead == rows)
            #expect(heard.values == [batch, 2 * batch, rows])
            let last = try await lines.line(msisdn: "1380\(String(format: "%07d", rows - 1))")
            #expect(last.holderName == "用户\(rows - 1)" && last.balance == .zero(.cny))
            #expect(try await lines.line(msisdn: "1380\(String(format: "%07d", rows - 3))").balance.amountMinor == 250)
            #expect(try await AdminService(store: store, clock: Fixtures.clock()).verify().ok)
        }
    }

    @Test("a bad last row writes nothing and is named by its line number", arguments: TestDatabase.all)
    func allOrNothing(_ database: TestDatabase) async throws {
        let (rows, batch) = Self.size(database)
        try await withTestStore(database) { store in
            try await AdminService(store: store, clock: Fixtures.clock()).addPlan(Fixtures.keepAlivePlan)
            let lines = LineService(store: store, clock: Fixtures.clock())
            await #expect {
                try await lines.importLines(from: Self.reader(Self.csv(rows: rows, lastBad: true), batch: batch))
            } throws: { error in
                guard case DomainError.importRejected(let report) = error else { return false }
                return report.imported == 0 && report.errors.map(\.row) == [rows + 1] && report.errors[0].field == "opening_balance"
            }
            await #expect(throws: DomainError.self) { try await lines.line(msisdn: "13800000000") }
            #expect(try await AdminService(store: store, clock: Fixtures.clock()).verify().ok)
        }
    }
}

/// What a progress callback heard.
final class Heard: @unchecked Sendable {
    private let lock = NSLock()
    private var heard: [Int] = []
    var values: [Int] { lock.withLock { heard } }
    func add(_ value: Int) { lock.withLock { heard.append(value) } }
}
