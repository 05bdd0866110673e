import BaohaoDomain
import Foundation

/// The server key that seals partners' API secrets (see ``PartnerSecretBox``): the file named by
/// `BAOHAO_PARTNER_SECRETS_KEY_FILE`, or else `partner-secrets.key` in the data directory, made
/// with 256 random bits (mode 0600) the first time it is needed. Every process that serves the
/// partner API or adds partners must read the same key: on PostgreSQL across machines, set the
/// variable everywhere to one file.
public enum PartnerSecretsKey {
    public static let variable = "BAOHAO_PARTNER_SECRETS_KEY_FILE"
    public static let defaultFile = "partner-secrets.key"

    /// The box, and the path of the key file when one was created now.
    public static func load(environment: [String: String], dataDirectory: String) throws -> (PartnerSecretBox, created: String?) {
        if let path = environment[variable], !path.isEmpty {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw AppConfigurationError("\(variable): cannot read \(path)")
            }
            return (try box(data, path), nil)
        }
        let path = (dataDirectory as NSString).appendingPathComponent(defaultFile)
        if let data = FileManager.default.contents(atPath: path) { return (try box(data, path), nil) }
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        var generator = SystemRandomNumberGenerator()
        let text = Hex.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }) + "\n"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw AppConfigurationError("cannot write the partner secrets key to \(path)")
        }
        return (try box(Data(text.utf8), path), path)
    }

    static func box(_ data: Data, _ path: String) throws -> PartnerSecretBox {
        let trimmed = Data(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        do { return try PartnerSecretBox(keyMaterial: trimmed) } catch {
            throw AppConfigurationError("the partner secrets key in \(path) is shorter than 32 bytes")
        }
    }
}
