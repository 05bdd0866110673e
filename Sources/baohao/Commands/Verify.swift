import ArgumentParser
import BaohaoDomain
import Foundation

/// `baohao verify`: proves the books balance, or exits non-zero with every difference.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute every balance from the ledger and check every transfer and credited order.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let progress = ProgressReport(label: "verify", unit: "checks", total: 10)
        let steps = StepCounter()
        let report = try await withStore(database) {
            try await AdminService(store: $0, clock: try ProcessClock.shared()).verify { name in
                progress.update(done: steps.next(), step: name)
            }
        }
        progress.finish(
            "\(ProgressReport.grouped(report.transfersChecked)) transfers, \(ProgressReport.grouped(report.linesChecked)) lines checked")
        print("checked \(report.transfersChecked) transfers, \(report.linesChecked) lines, \(report.creditedOrdersChecked) credited orders")
        if report.ok {
            print("OK: the books balance (账平)")
        } else {
            print("FAILED: \(report.problems.count) problem(s)")
            for problem in report.problems { print("  \(problem)") }
            throw ExitCode(2)
        }
    }
}

/// Counts the checks `verify` has started.
final class StepCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func next() -> Int {
        lock.withLock {
            count += 1
            return count - 1
        }
    }
}
