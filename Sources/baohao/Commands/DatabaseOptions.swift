import ArgumentParser
import BaohaoDomain
import BaohaoStorage
import Foundation
import Logging

/// Where the database is: `--database-url` / `BAOHAO_DATABASE_URL` for PostgreSQL, else SQLite in `--data-dir`.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "Folder for the embedded SQLite database.")
    var dataDir: String = "./data"

    @Option(help: "PostgreSQL URL (postgres://user:password@host:5432/db); overrides BAOHAO_DATABASE_URL.")
    var databaseURL: String?

    @Option(help: "Most PostgreSQL connections this process opens (1–200).")
    var dbConnections: Int = 20

    var resolvedURL: String? {
        databaseURL ?? ProcessSettings.environment["BAOHAO_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    var describe: String {
        if let url = resolvedURL, let components = URLComponents(string: url) {
            return "PostgreSQL \(components.host ?? "?"):\(components.port ?? 5432)\(components.path)"
        }
        return "SQLite \((dataDir as NSString).appendingPathComponent("baohao.sqlite"))"
    }

    func open(logger: Logger) async throws -> any BaohaoDatabase {
        guard (1...200).contains(dbConnections) else { throw ValidationError("--db-connections must be 1–200") }
        return try await StoreFactory.open(
            databaseURL: resolvedURL, dataDirectory: dataDir, maximumConnections: dbConnections, logger: logger)
    }
}

/// Runs `body` with an open store and always closes it.
func withStore<T>(_ options: DatabaseOptions, _ body: (any BaohaoDatabase) async throws -> T) async throws -> T {
    var logger = Logger(label: "baohao")
    logger.logLevel = .warning
    let store = try await options.open(logger: logger)
    do {
        let result = try await body(store)
        try await store.shutdown()
        return result
    } catch {
        try? await store.shutdown()
        throw error
    }
}

/// Prints a domain error the way an operator reads it, then exits non-zero.
func fail(_ error: any Error) -> ExitCode {
    let message: String
    switch error {
    case let error as DomainError:
        switch error {
        case .importRejected(let report):
            message = "import rejected, nothing imported (导入被拒绝，未导入任何数据):\n" + report.errors.map { "  \($0)" }.joined(separator: "\n")
        case .validation(let v): message = "invalid \(v.field): \(v.reason.rawValue)\(v.detail.map { " (\($0))" } ?? "")"
        case .invalidNumber(_, let reason): message = "invalid number (号码无效): \(reason)"
        case .lineNotFound: message = "no line in service with this number (号码不存在)"
        case .lineExists: message = "this number already has a line in service (号码已存在)"
        case .planNotFound(let code): message = "no such plan (套餐不存在): \(code)"
        case .planExists(let code): message = "plan exists (套餐已存在): \(code)"
        case .outletExists(let code): message = "outlet exists (营业厅已存在): \(code)"
        case .outletNotFound(let code): message = "no such outlet (营业厅不存在): \(code)"
        case .partnerExists(let code): message = "partner exists (合作方已存在): \(code)"
        case .partnerNotFound(let code): message = "no such partner (合作方不存在): \(code)"
        default: message = error.code
        }
    case let error as PartnerSecretError:
        message = error.description
    default:
        message = String(describing: error)
    }
    FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
    return ExitCode.failure
}
