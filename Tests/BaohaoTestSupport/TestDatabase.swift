import BaohaoDomain
import BaohaoStorage
import Foundation
import Logging
import Testing

/// The databases every storage and HTTP test runs on: the in-memory store (the fast tier), SQLite
/// and PostgreSQL.
public enum TestDatabase: String, CaseIterable, Sendable {
    case memory
    case sqlite
    case postgres

    /// The tiers this run covers: the in-memory store and SQLite always; PostgreSQL when the test
    /// command started one (`BAOHAO_TEST_POSTGRES_URL`) or demands it (`BAOHAO_TEST_REQUIRE_POSTGRES=1`,
    /// set by scripts/test and CI, so that a missing server fails the run instead of shrinking it).
    /// Plain `swift test` on a machine without PostgreSQL runs the first two tiers.
    /// `BAOHAO_TEST_TIERS=memory` (a comma-separated list) runs only the named tiers, e.g. the fast
    /// tier alone while editing.
    public static var all: [TestDatabase] {
        let environment = ProcessInfo.processInfo.environment
        if let tiers = environment["BAOHAO_TEST_TIERS"], !tiers.isEmpty {
            return tiers.split(separator: ",").compactMap { TestDatabase(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
        }
        let required = environment["BAOHAO_TEST_REQUIRE_POSTGRES"] == "1"
        return postgresServerURL != nil || required ? [.memory, .sqlite, .postgres] : [.memory, .sqlite]
    }

    /// The tiers with a real database file or server: for tests of SQL itself, of a second process
    /// on the same database, or of a restart.
    public static var persistent: [TestDatabase] { all.filter { $0 != .memory } }

    /// The PostgreSQL server the test command started; its absence fails the PostgreSQL tests
    /// (they are never skipped).
    public static var postgresServerURL: String? {
        ProcessInfo.processInfo.environment["BAOHAO_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Opens a fresh, empty, migrated database of this kind.
    public func open() async throws -> TestStore {
        var logger = Logger(label: "baohao-test")
        logger.logLevel = .warning
        switch self {
        case .memory:
            let store = InMemoryStore()
            return TestStore(store: store, location: "memory:", cleanup: {}, second: { store.sharingTables() })
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baohao-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let store = try await SQLiteStore.open(path: folder.appendingPathComponent("baohao.sqlite").path, logger: logger)
            return TestStore(
                store: store, location: folder.appendingPathComponent("baohao.sqlite").path,
                cleanup: { try? FileManager.default.removeItem(at: folder) })
        case .postgres:
            guard let server = Self.postgresServerURL else { throw TestDatabaseError.postgresNotConfigured }
            let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try await PostgresTemplate.shared.create(name, serverURL: server, logger: logger)
            let url = try PostgresDatabaseAdmin.url(server, database: name)
            let store = try await PostgresStore.open(url: url, logger: logger)
            let quiet = logger
            return TestStore(
                store: store, location: url,
                cleanup: { try? await PostgresDatabaseAdmin.drop(serverURL: server, name: name, logger: quiet) })
        }
    }
}

/// Why a database for a test could not be had.
public enum TestDatabaseError: Error, CustomStringConvertible {
    case postgresNotConfigured

    public var description: String {
        "BAOHAO_TEST_POSTGRES_URL is not set: run the tests with scripts/test, which starts PostgreSQL"
    }
}

/// A store for one test, removed afterwards.
public final class TestStore: Sendable {
    public let store: any BaohaoDatabase
    /// The SQLite file or PostgreSQL URL, to open a second store on the same data (a second process).
    public let location: String
    let cleanup: @Sendable () async -> Void
    let second: (@Sendable () -> any BaohaoDatabase)?

    init(
        store: any BaohaoDatabase, location: String, cleanup: @escaping @Sendable () async -> Void,
        second: (@Sendable () -> any BaohaoDatabase)? = nil
    ) {
        self.store = store
        self.location = location
        self.cleanup = cleanup
        self.second = second
    }

    /// Closes the store and deletes its data.
    public func close() async {
        try? await store.shutdown()
        await cleanup()
    }
}

/// Runs `body` with a fresh store of `kind`, always cleaning up.
public func withTestStore<T>(_ kind: TestDatabase, _ body: (any BaohaoDatabase) async throws -> T) async throws -> T {
    let test = try await kind.open()
    do {
        let result = try await body(test.store)
        await test.close()
        return result
    } catch {
        await test.close()
        throw error
    }
}

extension TestStore {
    /// Another store on the same database, as a second server process would open it.
    public func openSecond() async throws -> any BaohaoDatabase {
        var logger = Logger(label: "baohao-test-2")
        logger.logLevel = .warning
        if let second { return second() }
        if location.hasPrefix("postgres") { return try await PostgresStore.open(url: location, logger: logger) }
        return try await SQLiteStore.open(path: location, logger: logger)
    }
}

/// Copies of one migrated template database, made one at a time (PostgreSQL refuses to copy a
/// database another session is copying or using).
actor PostgresTemplate {
    static let shared = PostgresTemplate()
    private var template: Task<String, any Error>?

    func create(_ name: String, serverURL: String, logger: Logger) async throws {
        if template == nil {
            template = Task { try await PostgresDatabaseAdmin.migratedTemplate(serverURL: serverURL, logger: logger) }
        }
        let source = try await template!.value
        try await PostgresDatabaseAdmin.create(serverURL: serverURL, name: name, template: source, logger: logger)
    }
}

extension Trait where Self == ConditionTrait {
    /// For tests of PostgreSQL alone: they run whenever the PostgreSQL tier does (always under
    /// scripts/test and CI) and are reported as skipped, with this reason, by a plain `swift test`.
    public static var postgresTier: Self {
        .enabled(if: TestDatabase.all.contains(.postgres), "the PostgreSQL tier is off: scripts/test starts PostgreSQL")
    }
}
