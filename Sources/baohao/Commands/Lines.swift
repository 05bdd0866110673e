import ArgumentParser
import BaohaoDomain
import Foundation

/// `baohao lines add|import|show|list|set-status`.
struct Lines: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage lines.", subcommands: [Add.self, Import.self, Show.self, List.self, SetStatus.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a line.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The number, in any usual form.") var msisdn: String
        @Option(help: "Plan code.") var plan: String
        @Option(help: "Holder's name.") var holderName: String
        @Option(help: "Opening balance in yuan, e.g. 12.50.") var openingBalance: String = "0"

        func run() async throws {
            guard let balance = LineImportCSV.parseMajorAmount(openingBalance, currency: .cny) else {
                throw ValidationError("--opening-balance must be an amount like 12.50")
            }
            do {
                let line = try await withStore(database) {
                    try await LineService(store: $0, clock: try ProcessClock.shared()).add(
                        NewLine(msisdn: msisdn, planCode: plan, holderName: holderName, openingBalance: balance))
                }
                print(
                    "added \(line.msisdn.e164) (\(line.mobileOperator.displayName(.zh))) on \(line.planCode), balance \(line.balance.formatted)"
                )
            } catch { throw fail(error) }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import lines from CSV (msisdn,plan,holder_name,opening_balance); all rows or none.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The CSV file.") var file: String

        func run() async throws {
            guard let handle = FileHandle(forReadingAtPath: file) else { throw ValidationError("cannot read \(file)") }
            defer { try? handle.close() }
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0
            let progress = ProgressReport(label: "lines import", unit: "bytes", total: size)
            let bytesRead = ByteCount()
            // The file is read a MiB at a time and imported in batches of 10,000 rows, all in one transaction.
            let reader = LineImportCSVReader(batchSize: 10_000) {
                guard let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty else { return nil }
                bytesRead.add(chunk.count)
                return Array(chunk)
            }
            do {
                let report = try await withStore(database) {
                    try await LineService(store: $0, clock: try ProcessClock.shared()).importLines(from: reader) { rows in
                        progress.update(done: bytesRead.value, step: "\(rows.grouped) rows read")
                    }
                }
                progress.finish("\(report.imported.grouped) line(s) imported")
                print("imported \(report.imported) line(s)")
            } catch {
                progress.finish("nothing imported")
                throw fail(error)
            }
        }
    }

    /// Bytes read so far, shared with the progress report.
    final class ByteCount: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var value: Int { lock.withLock { count } }
        func add(_ bytes: Int) { lock.withLock { count += bytes } }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a line with its balance, deadline and recent orders.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The number.") var msisdn: String

        func run() async throws {
            do {
                try await withStore(database) { store in
                    let line = try await LineService(store: store, clock: try ProcessClock.shared()).line(msisdn: msisdn)
                    let admin = AdminService(
                        store: store, clock: try ProcessClock.shared(), retention: try policyBook(ProcessSettings.environment))
                    let plan = try await admin.plan(code: line.planCode)
                    let assessment = try await admin.assessment(of: line)
                    print("number     \(line.msisdn.e164)")
                    print("operator   \(line.mobileOperator.displayName(.zh)) / \(line.mobileOperator.displayName(.en))")
                    print("plan       \(line.planCode)\(plan.map { " (\($0.name), \($0.monthlyFee.formatted)/month)" } ?? "")")
                    print("holder     \(line.holderName)")
                    print("status     \(line.status.rawValue) (\(line.status.displayName(.zh)))")
                    print("balance    \(line.balance.formatted)")
                    print("deadline   \(assessment.deadline?.iso ?? "none")")
                    print("to keep it \(assessment.action.text(.en))")
                    for order in try await admin.orders(lineID: line.id, limit: 10) {
                        print(
                            "order      \(order.id) \(order.status.rawValue) \(order.amount.formatted)\(order.receiptNumber.map { " receipt \($0)" } ?? "")"
                        )
                    }
                }
            } catch { throw fail(error) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List lines, optionally by status.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "active, suspended, barred or reclaimed.") var status: String?
        @Option(help: "Most lines to print (1–500).") var limit: Int = 100
        @Option(help: "Start after this number (E.164), for paging.") var after: String?

        func run() async throws {
            var filter: LineStatus? = nil
            if let status {
                guard let parsed = LineStatus(rawValue: status) else { throw ValidationError("unknown status \(status)") }
                filter = parsed
            }
            let lines = try await withStore(database) {
                try await LineService(store: $0, clock: try ProcessClock.shared()).list(status: filter, after: after, limit: limit)
            }
            for line in lines {
                print(
                    "\(line.msisdn.e164)\t\(line.status.rawValue)\t\(line.planCode)\t\(line.balance.formatted)\t\(SpreadsheetText.safe(line.holderName))"
                )
            }
        }
    }

    struct SetStatus: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-status", abstract: "Suspend, bar, restore or reclaim a line by hand.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The number.") var msisdn: String
        @Argument(help: "active, suspended, barred or reclaimed.") var status: String

        func run() async throws {
            guard let target = LineStatus(rawValue: status) else { throw ValidationError("unknown status \(status)") }
            do {
                let line = try await withStore(database) {
                    try await LineService(store: $0, clock: try ProcessClock.shared()).changeStatus(msisdn: msisdn, to: target)
                }
                print("\(line.msisdn.e164) is now \(line.status.rawValue)")
            } catch { throw fail(error) }
        }
    }
}
