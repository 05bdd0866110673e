import Configuration
import Foundation
import SystemPackage

/// Resolves every ``Setting`` through one swift-configuration reader: flags first, then the
/// environment, then the configuration file; checks each value's form and reads each secret's
/// file, collecting every problem before refusing.
public enum SettingsLoader {
    /// Where a configuration file is named when no `--config` is given.
    public static let fileVariable = "BAOHAO_CONFIG"

    /// The resolved settings, or every problem found.
    /// - Parameters:
    ///   - flags: setting flags taken off the command line (``SettingsArguments``), by key.
    ///   - environment: the process environment.
    ///   - file: the configuration file; `nil`: `BAOHAO_CONFIG`, else none.
    public static func resolve(
        flags: [String: String], environment: [String: String], file: String?
    ) async throws(SettingsError) -> ResolvedSettings {
        var problems: [String] = []
        let filePath = file ?? environment[fileVariable].flatMap { $0.isEmpty ? nil : $0 }
        var providers: [any ConfigProvider] = [
            InMemoryProvider(
                name: "flag",
                values: Dictionary(
                    uniqueKeysWithValues: flags.map { key, value in
                        (AbsoluteConfigKey(ConfigKey(key)), ConfigValue(.string(value), isSecret: isSecretKey(key)))
                    })),
            EnvironmentVariablesProvider(
                environmentVariables: environment,
                secretsSpecifier: .specific(Set(SettingsCatalog.all.filter { $0.kind == .secret }.map(\.variable)))
            ).mapKeys { key in key.components.first == "log" ? key : key.prepending(["baohao"]) },
        ]
        if let filePath {
            do {
                providers.append(try await ConfigurationFile.provider(filePath))
                problems += try ConfigurationFile.unknownKeys(filePath).map { "\($0) in \(filePath): no such setting" }
            } catch {
                throw SettingsError(problems: ["\(fileVariable) / --config: \(filePath): \(error.description)"])
            }
        }
        let recorder = SettingsAccessRecorder()
        let reader = ConfigReader(providers: providers, accessReporter: recorder)

        var resolved = environment
        var origins: [String: String] = [:]
        for setting in SettingsCatalog.all {
            let direct = text(reader, recorder, setting.key, secret: setting.kind == .secret)
            if let failure = direct.failure {
                problems.append("\(shown(setting.key, setting.variable, setting.flag, from: direct.origin, file: filePath)): \(failure)")
                continue
            }
            var value = direct.value
            var origin = direct.origin
            if setting.kind == .secret {
                let path = text(reader, recorder, setting.fileKey, secret: false)
                if let pathValue = path.value {
                    let name = shown(setting.fileKey, setting.fileVariable, setting.fileFlag, from: path.origin, file: filePath)
                    if value != nil {
                        problems.append("set \(setting.variable) or \(setting.fileVariable), not both")
                        continue
                    }
                    switch readSecret(at: pathValue) {
                    case .success(let secret):
                        value = secret
                        origin = "\(path.origin ?? "environment"): \(pathValue)"
                    case .failure(let reason):
                        problems.append("\(name): \(reason)")
                        continue
                    }
                    resolved[setting.fileVariable] = nil
                }
            }
            guard var value else {
                // An empty variable reads as unset, as it always has.
                continue
            }
            let name = shown(setting.key, setting.variable, setting.flag, from: direct.origin, file: filePath)
            switch check(value, setting.kind) {
            case .success(let normal): value = normal
            case .failure(let reason):
                problems.append("\(name): \(reason)")
                continue
            }
            resolved[setting.variable] = value
            origins[setting.variable] = origin == "file" ? "file \(filePath ?? "")" : origin
        }
        guard problems.isEmpty else { throw SettingsError(problems: problems) }
        let known = Set(SettingsCatalog.all.flatMap { [$0.variable, $0.fileVariable] } + [fileVariable])
        let unknown = environment.keys.filter { $0.hasPrefix("BAOHAO_") && !known.contains($0) && !$0.hasPrefix("BAOHAO_TEST_") }
        return ResolvedSettings(environment: resolved, origins: origins, unknownVariables: unknown.sorted())
    }

    /// A setting named as it was given: its flag, its key in the file, or its variable.
    static func shown(_ key: String, _ variable: String, _ flag: String, from origin: String?, file: String?) -> String {
        switch origin {
        case "flag": flag
        case "file": "\(key) in \(file ?? "")"
        default: variable
        }
    }

    static func isSecretKey(_ key: String) -> Bool {
        SettingsCatalog.all.contains { $0.kind == .secret && $0.key == key }
    }

    /// A value as text whatever the source typed it as (a YAML or JSON number or boolean).
    static func text(
        _ reader: ConfigReader, _ recorder: SettingsAccessRecorder, _ key: String, secret: Bool
    ) -> (value: String?, origin: String?, failure: String?) {
        let configKey = ConfigKey(key)
        let value =
            reader.string(forKey: configKey, isSecret: secret)
            ?? reader.int(forKey: configKey, isSecret: secret).map(String.init)
            ?? reader.double(forKey: configKey, isSecret: secret).map { "\($0)" }
            ?? reader.bool(forKey: configKey, isSecret: secret).map { $0 ? "1" : "0" }
        let record = recorder.records.withLock { $0[key] }
        let origin = record?.provider.map(originName)
        guard let value else {
            return (nil, origin, record?.provider == nil ? nil : "must be text, a whole number or on/off")
        }
        // Values are used as given (a secret may end in a space); an empty one reads as unset.
        return (value.isEmpty ? nil : value, origin, nil)
    }

    static func originName(_ providerName: String) -> String {
        if providerName.contains("flag") { return "flag" }
        if providerName.contains("Environment") { return "environment" }
        return "file"
    }

    /// `value` in its normal form for `kind`, or why it is refused.
    static func check(_ value: String, _ kind: Setting.Kind) -> Result<String, SettingsProblem> {
        switch kind {
        case .text, .secret, .path:
            return .success(value)
        case .number:
            guard Int(value) != nil else { return .failure("must be a whole number") }
            return .success(value)
        case .onOff:
            switch value.lowercased() {
            case "1", "on", "true", "yes": return .success("1")
            case "0", "off", "false", "no": return .success("0")
            default: return .failure("must be on or off")
            }
        case .choice(let words):
            guard words.contains(value) else { return .failure(SettingsProblem("must be one of \(words.joined(separator: ", "))")) }
            return .success(value)
        }
    }

    /// The trimmed content of a secret's file.
    static func readSecret(at path: String) -> Result<String, SettingsProblem> {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            return .failure(SettingsProblem("cannot read \(path)"))
        }
        let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !secret.isEmpty else { return .failure(SettingsProblem("\(path) is empty")) }
        return .success(secret)
    }
}

/// Why one value is refused.
struct SettingsProblem: Error, ExpressibleByStringLiteral, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
    init(stringLiteral value: String) { self.description = value }
}
