import BaohaoDomain
import Foundation
import Logging
import PostgresKit
import PostgresNIO
import SQLKit
import ServiceLifecycle

/// PostgreSQL, for several server processes sharing one database. Each write is its own
/// transaction (PostgreSQL groups concurrent commits itself); rows are locked with
/// `SELECT … FOR UPDATE`; transactions that lose to a deadlock or serialization failure are retried.
/// Payment applications are batched and written with checked writes (``GroupCommitQueue``).
public final class PostgresStore: RechargeStore {
    let client: PostgresClient
    /// Connections for checked batches of payment applications only. They plan their two prepared
    /// statements once, generically (`plan_cache_mode = force_generic_plan`): left to choose,
    /// PostgreSQL keeps re-planning them, because a plan for the bound arrays' real length always
    /// looks cheaper than the generic plan's guess of 100 rows per array.
    let batchClient: PostgresClient
    /// The clients' run loops when the store runs them itself (one-shot commands); empty when a
    /// service group runs them (``clientServices``).
    let runTasks: [Task<Void, Never>]
    let logger: Logger
    let queue: GroupCommitQueue
    /// Longest a read or write waits for a connection, and a ping for its answer.
    let deadline: Duration
    /// Writes that failed because the database could not take them (for `/readyz`).
    let failures = WriteFailures()
    /// Batches of payment applications in flight at once. One: each checked batch is only two
    /// round trips, and callers that arrive meanwhile gather into the next, larger batch; two or
    /// four in flight made smaller batches and were 15–40 % slower at 8 clients (BENCHMARKS.md). A
    /// batch stuck on a lost connection is given up after the batch timeout.
    static let batchesInFlight = 1
    /// Retries of a transaction that hit a deadlock or serialization failure.
    static let maximumRetries = 5

    /// Connects to `url` (`postgres://user:password@host:port/database`) and runs pending migrations.
    ///
    /// With `runsClients` (one-shot commands, tests) the store runs its connection pools itself
    /// until ``shutdown()``. Without it the pools are ``clientServices`` for a service group to run
    /// and to stop on graceful shutdown, after everything listed after them (`baohao serve`);
    /// nothing may use the store before the group runs.
    public static func open(
        url: String, maximumConnections: Int = 20, runsClients: Bool = true, deadline: Duration = StoreAvailability.defaultDeadline,
        logger: Logger
    ) async throws -> PostgresStore {
        let settings = try URLSettings(url: url)
        var configuration = configuration(settings)
        // Migrations run on a connection of their own, before the pools exist: a pool leased
        // before its `run()` task has started logs a warning at every start.
        try await withConnection(settings, logger: logger) { connection in
            _ = try await Migrator.run(on: connection.sql(), kind: .postgres)
        }
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = min(deadline, .seconds(5))
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        var batchConfiguration = configuration
        batchConfiguration.options.maximumConnections = batchesInFlight * 2 + 2
        batchConfiguration.options.additionalStartupParameters = [("plan_cache_mode", "force_generic_plan")]
        let batchClient = PostgresClient(configuration: batchConfiguration, backgroundLogger: logger)
        let runTasks = runsClients ? [await running(client), await running(batchClient)] : []
        return PostgresStore(client: client, batchClient: batchClient, runTasks: runTasks, deadline: deadline, logger: logger)
    }

    /// Starts `client.run()` and returns once its task has begun, so that a lease right after
    /// does not find the pool not yet running.
    static func running(_ client: PostgresClient) async -> Task<Void, Never> {
        let (started, signal) = AsyncStream<Void>.makeStream()
        let task = Task {
            signal.finish()
            await client.run()
        }
        for await _ in started {}
        return task
    }

    /// Runs `body` on a connection to `url` of its own, closed afterwards (work before or without
    /// the pools).
    static func withConnection<T>(_ settings: URLSettings, logger: Logger, _ body: (PostgresConnection) async throws -> T) async throws -> T
    {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: try connectionConfiguration(settings), id: 0, logger: logger)
        } catch let error as PSQLError {
            let reason = error.serverInfo?[.message] ?? error.underlying.map { String(describing: $0) } ?? String(describing: error.code)
            throw DatabaseConnectionError(description: "cannot connect to PostgreSQL at \(settings.host):\(settings.port): \(reason)")
        }
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private init(client: PostgresClient, batchClient: PostgresClient, runTasks: [Task<Void, Never>], deadline: Duration, logger: Logger) {
        self.deadline = deadline
        self.client = client
        self.batchClient = batchClient
        self.logger = logger
        self.runTasks = runTasks
        self.queue = GroupCommitQueue(
            kind: .postgres, maximumInFlight: Self.batchesInFlight, batchTimeout: .seconds(20), clock: ContinuousClock(), logger: logger,
            isRetryable: { ($0 as? PSQLError).map(PostgresStore.isRetryable) ?? false },
            isCheckedConflict: { error in
                guard let error = error as? PSQLError else { return false }
                return PostgresStore.isRetryable(error) || error.serverInfo?[.sqlState] == "23505"
            },
            checkedConnect: { body in try await batchClient.withConnection { connection in try await body(connection) } },
            connect: { body in try await client.withConnection { connection in try await body(connection.sql()) } })
    }

    public func credit<T: Sendable>(
        _ key: PaymentKey, _ decide: @escaping @Sendable (CreditSnapshot) throws -> (T, CreditChanges)
    ) async throws -> T {
        do { return try await queue.submitCredit(key, decide) } catch { throw failures.classified(error) }
    }

    /// What a `postgres://` or `postgresql://` URL names; `sslmode=require` asks for TLS.
    struct URLSettings {
        var host: String
        var port: Int
        var username: String
        var password: String?
        var database: String?
        var sslMode: SSLMode

        /// `sslmode=`: `disable` (the default), `prefer`, or `require` (also read from
        /// `verify-full`: the certificate is always verified).
        enum SSLMode: String {
            case disable, prefer, require
        }

        init(url: String) throws {
            guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
                let host = components.host, !host.isEmpty
            else { throw StorageConfigurationError.invalidDatabaseURL }
            let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
            let sslName = components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "disable"
            guard let sslMode = SSLMode(rawValue: sslName == "verify-full" ? "require" : sslName) else {
                throw StorageConfigurationError.invalidDatabaseURL
            }
            self.host = host
            self.port = components.port ?? 5432
            self.username = components.user ?? "postgres"
            self.password = components.password
            self.database = database.isEmpty ? nil : database
            self.sslMode = sslMode
        }
    }

    /// The pools' configuration.
    static func configuration(_ settings: URLSettings) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch settings.sslMode {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
        return PostgresClient.Configuration(
            host: settings.host, port: settings.port, username: settings.username, password: settings.password,
            database: settings.database, tls: tls)
    }

    /// A single connection's configuration.
    static func connectionConfiguration(_ settings: URLSettings) throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS =
            switch settings.sslMode {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        return PostgresConnection.Configuration(
            host: settings.host, port: settings.port, username: settings.username, password: settings.password,
            database: settings.database, tls: tls)
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) async throws -> T) async throws -> T {
        let client = self.client
        return try await StoreAvailability.leased(deadline) { lease in
            try await client.withConnection { connection in
                lease.take()
                return try await SQLTransaction.run(
                    on: connection.sql(), kind: .postgres, begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
            }
        }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) async throws -> T) async throws -> T {
        var attempt = 0
        let client = self.client
        while true {
            do {
                return try await StoreAvailability.leased(deadline) { lease in
                    try await client.withConnection { connection in
                        lease.take()
                        return try await SQLTransaction.run(on: connection.sql(), kind: .postgres, begin: "BEGIN", body)
                    }
                }
            } catch let error as PSQLError where attempt < Self.maximumRetries && Self.isRetryable(error) {
                attempt += 1
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...(10 * attempt))))
            } catch {
                throw failures.classified(error)
            }
        }
    }

    static func isRetryable(_ error: PSQLError) -> Bool {
        guard let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40001" || state == "40P01"
    }

    /// Applies pending migrations; returns the versions applied (none when up to date).
    public func migrate() async throws -> [Int] {
        try await client.withConnection { connection in try await Migrator.run(on: connection.sql(), kind: .postgres) }
    }

    public func ping() async throws {
        let client = self.client
        try await StoreAvailability.bounded(deadline) {
            try await client.withConnection { connection in
                _ = try await connection.sql().raw("SELECT 1 AS one").all()
            }
        }
    }

    public func probeWrite(at now: Date) async throws {
        let client = self.client
        try await StoreAvailability.bounded(deadline) {
            try await client.withConnection { connection in
                try await connection.sql().raw(HealthProbe.statement(now)).run()
            }
        }
        try failures.checkRecent()
    }

    /// The connection pools as services, when the store was opened without `runsClients`: a
    /// service group runs them, and stops them on graceful shutdown.
    public var clientServices: [any Service] { runTasks.isEmpty ? [client, batchClient] : [] }

    /// Stops the pools the store runs itself; pools run by a service group stop with the group.
    public func shutdown() async throws {
        for task in runTasks { task.cancel() }
        for task in runTasks { await task.value }
    }
}

/// PostgreSQL could not be reached, or refused the connection; the message says where and why
/// (never the password).
public struct DatabaseConnectionError: Error, CustomStringConvertible {
    public let description: String
}

/// A database setting that cannot be used; the message names it.
public enum StorageConfigurationError: Error, CustomStringConvertible {
    case invalidDatabaseURL

    public var description: String {
        "BAOHAO_DATABASE_URL / --database-url must look like postgres://user:password@host:5432/database"
    }
}
