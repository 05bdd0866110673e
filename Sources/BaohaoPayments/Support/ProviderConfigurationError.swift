import Foundation

/// A payment provider is enabled but one of its settings is missing or wrong. The server refuses
/// to start and names the setting; the value itself is never printed.
public struct ProviderConfigurationError: Error, CustomStringConvertible, Sendable {
    public let setting: String
    public let reason: String

    public init(_ setting: String, _ reason: String) {
        self.setting = setting
        self.reason = reason
    }

    public var description: String { "\(setting): \(reason)" }
}

/// Reads provider settings from the environment; secrets and keys come from files.
public struct ProviderSettings: Sendable {
    let environment: [String: String]
    let prefix: String

    public init(environment: [String: String], prefix: String) {
        self.environment = environment
        self.prefix = prefix
    }

    func name(_ key: String) -> String { "\(prefix)_\(key)" }

    /// `BAOHAO_<PROVIDER>_ENABLED` is `1`/`true`.
    public var enabled: Bool {
        ["1", "true", "yes"].contains(environment[name("ENABLED")]?.lowercased() ?? "")
    }

    func string(_ key: String, default value: String? = nil, pattern: ((String) -> Bool)? = nil) throws -> String {
        guard let text = environment[name(key)].flatMap({ $0.isEmpty ? nil : $0 }) ?? value else {
            throw ProviderConfigurationError(name(key), "is required when \(name("ENABLED")) is set")
        }
        if let pattern, !pattern(text) { throw ProviderConfigurationError(name(key), "has an invalid format") }
        return text
    }

    func url(_ key: String, default value: String) throws -> String {
        let text = try string(key, default: value)
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw ProviderConfigurationError(name(key), "must be an http(s) URL")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    /// An on/off setting: `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off`; `value` when unset.
    func flag(_ key: String, default value: Bool) throws -> Bool {
        guard let text = environment[name(key)]?.lowercased(), !text.isEmpty else { return value }
        if ["1", "true", "yes", "on"].contains(text) { return true }
        if ["0", "false", "no", "off"].contains(text) { return false }
        throw ProviderConfigurationError(name(key), "must be on or off")
    }

    /// The content of the file a `…_FILE` setting names.
    func file(_ key: String) throws -> String {
        let path = try string(key)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ProviderConfigurationError(name(key), "file cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ProviderConfigurationError(name(key), "file is not UTF-8 text") }
        return text
    }

    func check<T>(_ key: String, _ reason: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw ProviderConfigurationError(name(key), reason) }
    }
}
