import ArgumentParser
import BaohaoApp
import BaohaoDomain
import BaohaoHTTP
import BaohaoPayments
import Foundation
import Logging

/// `baohao payments`: reconciliation and daily settlement from the command line.
struct Payments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reconcile unpaid orders with the providers, and settle a day against a provider's statement.",
        subcommands: [Reconcile.self, Settle.self])

    struct Reconcile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask the enabled providers (BAOHAO_<PROVIDER>_* settings) about orders whose result never arrived.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Most orders asked about in this run (1–500).") var limit: Int = 100
        @Option(help: "Seconds after creation before an order is asked about.") var after: Int = 300
        @Option(help: "This server's public URL (UnionPay settings need it).") var publicURL: String = "http://127.0.0.1:8080"

        func validate() throws {
            guard (1...500).contains(limit) else { throw ValidationError("--limit must be 1–500") }
            guard (0...86_400).contains(after) else { throw ValidationError("--after must be 0–86400") }
        }

        func run() async throws {
            let clock = try ProcessClock.shared()
            let providers = try configuredProviders(
                environment: ProcessSettings.environment, publicBaseURL: publicURL, clock: clock)
            guard !providers.isEmpty else {
                throw ValidationError("no provider is enabled (set BAOHAO_<PROVIDER>_ENABLED=1 and its settings)")
            }
            let run = try await withStore(database) { store in
                let reconciler = Reconciler(
                    recharges: RechargeService(
                        store: store, clock: clock, channelPolicies: ChannelPolicyService(repository: store, clock: clock)),
                    reconciliation: ReconciliationService(
                        store: store, clock: clock, policy: ReconciliationPolicy(firstAskAfter: TimeInterval(after))),
                    gateways: PaymentGateways(providers), clock: clock, note: Reconciler.log(to: Logger(label: "baohao.reconciler")))
                return try await reconciler.runOnce(limit: limit)
            }
            print(
                "asked \(run.asked): credited \(run.credited), already applied \(run.alreadyApplied), closed \(run.closed), "
                    + "pending \(run.pending), unknown to provider \(run.notFound), errors \(run.errors)")
            if run.errors > 0 { throw ExitCode(3) }
        }
    }

    struct Settle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare a provider's statement for one day with the payments recorded.",
            discussion: "The statement is CSV with the header provider_txn_id,order_id,amount,currency,paid_at (amount in minor units).")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Provider name: alipay, wechatpay, unionpay, stripe, sandbox.") var provider: String
        @Option(help: "The statement's day, YYYY-MM-DD (Beijing time).") var day: String
        @Flag(help: "Print the report as JSON.") var json = false
        @Argument(help: "The statement file.") var file: String

        func run() async throws {
            let progress = ProgressReport(label: "payments settle", unit: "steps", total: 2)
            progress.begin(step: "reading the statement")
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            guard let text = String(data: data, encoding: .utf8) else { throw ValidationError("\(file) is not UTF-8") }
            let statement: [StatementLine]
            do {
                statement = try StatementCSV.parse(text)
                progress.begin(step: "comparing \(statement.count.grouped) statement line(s) with the payments recorded")
            } catch {
                for problem in error.problems { print("\(file):\(problem.line): \(problem.reason)") }
                throw ValidationError("statement rejected; nothing was compared")
            }
            let report: SettlementReport
            do {
                report = try await withStore(database) {
                    try await SettlementService(store: $0, clock: try ProcessClock.shared()).settle(
                        provider: provider, day: day, statement: statement)
                }
            } catch DomainError.validation(let error) {
                throw ValidationError("--\(error.field) is invalid")
            }
            progress.finish("\(statement.count.grouped) statement line(s) compared, \(report.matched) matched")
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(SettlementRepresentation(report)), as: UTF8.self))
            } else {
                print("\(report.provider) \(report.day): matched \(report.matched) (\(report.matchedTotal.formatted))")
                print("missing on our side: \(report.missingOurs.count)")
                for line in report.missingOurs {
                    print("  line \(line.lineNumber): \(line.transactionID) order \(line.orderID) \(line.amount.formatted)")
                }
                print("missing on theirs: \(report.missingTheirs.count)")
                for payment in report.missingTheirs {
                    print("  \(payment.transactionID) order \(payment.orderID) \(payment.amount.formatted)")
                }
                print("amount mismatches: \(report.amountMismatches.count)")
                for mismatch in report.amountMismatches {
                    print(
                        "  \(mismatch.transactionID) order \(mismatch.orderID): theirs \(mismatch.theirs.formatted), ours \(mismatch.ours.formatted)"
                    )
                }
            }
            if !report.isClean { throw ExitCode(4) }
        }
    }
}

/// The real providers the environment enables; a misconfigured one is a usage error naming its setting.
func configuredProviders(environment: [String: String], publicBaseURL: String, clock: any WallClock) throws -> [any PaymentProvider] {
    do {
        return try loadPaymentProviders(environment, publicBaseURL: publicBaseURL, clock: clock)
    } catch {
        throw ValidationError(error.description)
    }
}
