import Configuration
import Foundation
import Synchronization

/// The settings a command runs with, resolved once before it starts: from its flags, then the
/// environment, then the configuration file (`--config FILE` or `BAOHAO_CONFIG`), each secret's
/// `_file` form read. Everything that reads settings reads ``environment``, keyed by variable name.
public struct ResolvedSettings: Sendable {
    /// The process environment with every resolved setting written under its variable name
    /// (`BAOHAO_SMTP_PORT`); a secret given as a file appears as its value, its `_FILE` removed.
    public let environment: [String: String]
    /// Where each setting that has a value came from: `flag`, `environment` or `file <path>`.
    public let origins: [String: String]
    /// `BAOHAO_*` variables in the environment that name no setting: reported by
    /// `baohao config check`, not refused (a deployment may set variables for other tools).
    public let unknownVariables: [String]

    public init(environment: [String: String], origins: [String: String], unknownVariables: [String]) {
        self.environment = environment
        self.origins = origins
        self.unknownVariables = unknownVariables
    }

    /// The value of `setting`, if it has one.
    public func value(_ setting: Setting) -> String? { environment[setting.variable] }
}

/// Everything wrong with the settings, each naming the setting and where it came from, never a
/// secret's value.
public struct SettingsError: Error, CustomStringConvertible, Sendable {
    public let problems: [String]
    public var description: String { problems.joined(separator: "\n") }
}

/// Records which provider answered each key, and which answers could not be read as their kind.
final class SettingsAccessRecorder: AccessReporter, Sendable {
    struct Record: Sendable {
        var provider: String?
        var failure: String?
    }

    let records = Mutex<[String: Record]>([:])

    func report(_ event: AccessEvent) {
        let key = event.metadata.key.components.joined(separator: ".")
        var record = Record()
        record.provider =
            event.providerResults.first { result in
                if case .success(let lookup) = result.result { return lookup.value != nil }
                return true
            }?.providerName
        if case .failure(let error) = event.result { record.failure = "\(error)" }
        if let error = event.conversionError { record.failure = "\(error)" }
        records.withLock { $0[key] = record }
    }
}
