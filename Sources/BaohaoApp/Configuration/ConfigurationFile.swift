import Configuration
import Foundation
import SystemPackage
import Yams

/// The optional configuration file: YAML (`.yaml`, `.yml`) or JSON (`.json`), keys as in
/// ``SettingsCatalog`` — nested (`smtp: {port: 587}`) or dotted (`smtp.port: 587`).
enum ConfigurationFile {
    /// Larger than any real configuration; a bigger file is a mistake.
    static let maximumBytes = 1 << 20

    /// The provider reading `path`; throws a readable reason.
    static func provider(_ path: String) async throws(SettingsProblem) -> any ConfigProvider {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        guard let size else { throw "cannot read the file" }
        guard size <= maximumBytes else { throw "larger than 1 MiB" }
        do {
            switch (path as NSString).pathExtension.lowercased() {
            case "yaml", "yml": return try await FileProvider<YAMLSnapshot>(filePath: FilePath(path))
            case "json": return try await FileProvider<JSONSnapshot>(filePath: FilePath(path))
            default: throw SettingsProblem("must end in .yaml, .yml or .json")
            }
        } catch let problem as SettingsProblem {
            throw problem
        } catch {
            throw SettingsProblem("cannot be parsed: \(error)")
        }
    }

    /// The dotted keys in the file that name no setting (nor a secret's `_file` form).
    static func unknownKeys(_ path: String) throws(SettingsProblem) -> [String] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw "is not UTF-8 text"
        }
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch { throw SettingsProblem("cannot be parsed: \(error)") }
        guard let root = root as? [String: Any] else { throw "must hold a mapping of settings at its top" }
        let known = Set(SettingsCatalog.all.flatMap { $0.kind == .secret ? [$0.key, $0.fileKey] : [$0.key] })
        return leaves(root, prefix: "").filter { !known.contains($0) }.sorted()
    }

    static func leaves(_ mapping: [String: Any], prefix: String) -> [String] {
        mapping.flatMap { key, value -> [String] in
            let path = prefix.isEmpty ? key : prefix + "." + key
            if let nested = value as? [String: Any] { return leaves(nested, prefix: path) }
            return [path]
        }
    }
}
