import Foundation
import Logging
import PostgresKit
import PostgresNIO

/// Creates and drops whole databases on a PostgreSQL server (tests, and first-time setup).
public enum PostgresDatabaseAdmin {
    /// Creates database `name` on the server `serverURL` points at. `name` must be a plain identifier.
    public static func create(serverURL: String, name: String, logger: Logger) async throws {
        try await run(serverURL: serverURL, sql: "CREATE DATABASE \(try identifier(name))", logger: logger)
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
