import ArgumentParser
import BaohaoDomain
import Foundation

/// `baohao plans list|add`.
struct Plans: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Keep-alive plans.", subcommands: [List.self, Add.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List plans.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let plans = try await withStore(database) { try await AdminService(store: $0, clock: try ProcessClock.shared()).plans() }
            for plan in plans { print("\(plan.code)\t\(plan.monthlyFee.formatted)/month\t\(plan.name)\t\(plan.englishName ?? "")") }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a plan.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Plan code, e.g. KEEP5.") var code: String
        @Option(help: "Name shown to people, in Chinese, e.g. 保号套餐 5元/月.") var name: String
        @Option(help: "Name shown in the English interface, e.g. \"Keep-alive plan, ¥5/month\".") var nameEn: String?
        @Option(help: "Monthly fee in yuan, e.g. 5.00.") var monthlyFee: String
        @Option(help: "Retention policy code (baohao policies list), e.g. cn-keep5.") var policy: String?

        func run() async throws {
            guard let fee = LineImportCSV.parseMajorAmount(monthlyFee, currency: .cny) else {
                throw ValidationError("--monthly-fee must be an amount like 5.00")
            }
            do {
                let plan = try Plan(code: code, name: name, englishName: nameEn, monthlyFee: fee, policyCode: policy)
                let book = try policyBook(ProcessSettings.environment)
                try await withStore(database) {
                    try await AdminService(store: $0, clock: try ProcessClock.shared(), retention: book).addPlan(plan)
                }
                print("added plan \(plan.code) (\(plan.monthlyFee.formatted)/month)")
            } catch let error as BaohaoDomain.ValidationError {
                throw fail(DomainError.validation(error))
            } catch {
                throw fail(error)
            }
        }
    }
}
