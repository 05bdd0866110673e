import Foundation
import Logging
import PostgresKit
import PostgresNIO

/// Creates and drops whole databases on a PostgreSQL server (tests, and first-time setup).
public enum PostgresDatabaseAdmin {
    /// Creates database `name` on the server `serverURL` points at, empty or as a copy of
    /// `template`. Names must be plain identifiers.
    public static func create(serverURL: String, name: String, template: String? = nil, logger: Logger) async throws {
        let copy = try template.map { " TEMPLATE \(try identifier($0))" } ?? ""
        try await run(serverURL: serverURL, sql: "CREATE DATABASE \(try identifier(name))\(copy)", logger: logger)
    }

    /// The name of a database on this server migrated by exactly this build's migrations, made
    /// once (migrated under another name, then renamed, so a half-made one is never used) and
    /// kept for later runs: tests copy it instead of migrating a database each.
    public static func migratedTemplate(serverURL: String, logger: Logger) async throws -> String {
        let name = "baohao_tpl_" + Migrator.fingerprint(.postgres)
        let settings = try PostgresStore.URLSettings(url: serverURL)
        func exists() async throws -> Bool {
            try await PostgresStore.withConnection(settings, logger: logger) { connection in
                try await connection.sql().raw("SELECT 1 AS one FROM pg_database WHERE datname = \(bind: name)").first() != nil
            }
        }
        if try await exists() { return name }
        let building = name + "_" + String(UInt32.random(in: .min ... .max), radix: 16)
        try await create(serverURL: serverURL, name: building, logger: logger)
        do {
            try await PostgresStore.withConnection(try PostgresStore.URLSettings(url: url(serverURL, database: building)), logger: logger) {
                _ = try await Migrator.run(on: $0.sql(), kind: .postgres)
            }
            try await run(serverURL: serverURL, sql: "ALTER DATABASE \(building) RENAME TO \(name)", logger: logger)
        } catch {
            // Another process may have made it first; either way this copy is not needed.
            try? await drop(serverURL: serverURL, name: building, logger: logger)
            guard try await exists() else { throw error }
        }
        return name
    }

    /// Drops database `name`, closing any connections still open to it.
    public static func drop(serverURL: String, name: String, logger: Logger) async throws {
        try await run(serverURL: serverURL, sql: "DROP DATABASE IF EXISTS \(try identifier(name)) WITH (FORCE)", logger: logger)
    }

    /// `serverURL` with its database replaced by `name`.
    public static func url(_ serverURL: String, database name: String) throws -> String {
        guard var components = URLComponents(string: serverURL) else { throw StorageConfigurationError.invalidDatabaseURL }
        components.path = "/" + name
        guard let url = components.string else { throw StorageConfigurationError.invalidDatabaseURL }
        return url
    }

    static func identifier(_ name: String) throws -> String {
        guard !name.isEmpty, name.count <= 63,
            name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isLowercase || ("0"..."9").contains($0) || $0 == "_") })
        else {
            throw StorageConfigurationError.invalidDatabaseURL
        }
        return name
    }

    static func run(serverURL: String, sql: String, logger: Logger) async throws {
        try await PostgresStore.withConnection(try PostgresStore.URLSettings(url: serverURL), logger: logger) { connection in
            _ = try await connection.sql().raw(SQLQueryString(sql)).all()
        }
    }
}
