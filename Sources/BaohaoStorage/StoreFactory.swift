import BaohaoDomain
import Foundation
import Logging

/// Opens the store a configuration names: PostgreSQL for a `postgres://` URL, otherwise the
/// embedded SQLite file `baohao.sqlite` in the data folder.
public enum StoreFactory {
    /// `runsClients: false` leaves PostgreSQL's connection pools to a service group
    /// (``PostgresStore/clientServices``); SQLite has no pools to run.
    public static func open(
        databaseURL: String?, dataDirectory: String, maximumConnections: Int = 20, runsClients: Bool = true,
        deadline: Duration = StoreAvailability.defaultDeadline, logger: Logger
    ) async throws -> any BaohaoDatabase {
        if let databaseURL, !databaseURL.isEmpty {
            return try await PostgresStore.open(
                url: databaseURL, maximumConnections: maximumConnections, runsClients: runsClients, deadline: deadline, logger: logger)
        }
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        return try await SQLiteStore.open(path: (dataDirectory as NSString).appendingPathComponent("baohao.sqlite"), logger: logger)
    }
}
