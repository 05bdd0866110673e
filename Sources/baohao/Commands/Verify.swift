import ArgumentParser
import BaohaoDomain

/// `baohao verify`: proves the books balance, or exits non-zero with every difference.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute every balance from the ledger and check every transfer and credited order.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let progress = ProgressReport(label: "verify", unit: "checks", total: 10)
        let report = try await withStore(database) {
            try await AdminService(store: $0, clock: try ProcessClock.shared()).verify { name in
                progress.begin(step: name)
            }
        }
        progress.finish("\(report.transfersChecked.grouped) transfers, \(report.linesChecked.grouped) lines checked")
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
