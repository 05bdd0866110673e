import BaohaoDomain
import Foundation

/// What `baohao serve` is told: its address, its database, and the environment holding every
/// `BAOHAO_*` setting (providers, messaging, intervals, secrets).
public struct AppConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Base URL people and providers reach this server at; default `http://HOST:PORT`.
    public var publicURL: String?
    /// Minutes an unpaid order waits before it expires.
    public var orderTimeToLiveMinutes = 30
    /// Seed demo data and make missing secrets, announcing them once.
    public var demo = false
    /// PostgreSQL URL; `nil`: embedded SQLite in `dataDirectory`.
    public var databaseURL: String?
    public var dataDirectory = "./data"
    /// Most PostgreSQL connections this process opens.
    public var databaseConnections = 20
    /// How the start-up line names the database (no password).
    public var databaseDescription = "SQLite"
    public var environment: [String: String]
    /// Where FastAGI (Asterisk's IVR connection) listens; no port and no demo: FastAGI is off.
    public var fastAGIHost = "127.0.0.1"
    /// `--fastagi-port`; `--demo` without it listens on 4573.
    public var fastAGIPort: Int?
    /// Business time for everything the application does.
    public var clock: any WallClock

    public init(environment: [String: String], clock: any WallClock) {
        self.environment = environment
        self.clock = clock
    }

    /// Where this server is reached, for links, notify URLs and cookies.
    public var baseURL: String { publicURL ?? "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)" }

    /// A whole number of seconds from `name`, within `range`; `value` when unset.
    /// A whole number from the environment within `range`, `value` when unset.
    func count(_ name: String, default value: Int, range: ClosedRange<Int>) throws(AppConfigurationError) -> Int {
        guard let text = environment[name], !text.isEmpty else { return value }
        guard let parsed = Int(text), range.contains(parsed) else {
            throw AppConfigurationError("\(name) must be a whole number in \(range.lowerBound)–\(range.upperBound)")
        }
        return parsed
    }

    func seconds(_ name: String, default value: Int, range: ClosedRange<Int>) throws(AppConfigurationError) -> Int {
        guard let text = environment[name], !text.isEmpty else { return value }
        guard let parsed = Int(text), range.contains(parsed) else {
            throw AppConfigurationError("\(name) must be a whole number of seconds in \(range.lowerBound)–\(range.upperBound)")
        }
        return parsed
    }
}

/// A setting the application cannot start with; the message names it.
public struct AppConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) { self.description = description }
}
