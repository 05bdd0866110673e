import BaohaoDomain
import Foundation

/// A server key kept in a file: the file named by an environment variable, or else a file in the
/// data directory, made with 256 random bits (mode 0600) the first time it is needed. Every
/// process that uses the key must read the same file: on PostgreSQL across machines, set the
/// variable everywhere to one file.
public enum ServerKeyFile {
    /// The key's bytes (the file's text, trimmed), and the path of the file when it was created now.
    public static func load(
        variable: String, defaultFile: String, environment: [String: String], dataDirectory: String
    ) throws -> (Data, created: String?) {
        func trimmed(_ data: Data) -> Data {
            Data(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        }
        if let path = environment[variable], !path.isEmpty {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw AppConfigurationError("\(variable): cannot read \(path)")
            }
            return (trimmed(data), nil)
        }
        let path = (dataDirectory as NSString).appendingPathComponent(defaultFile)
        if let data = FileManager.default.contents(atPath: path) { return (trimmed(data), nil) }
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        var generator = SystemRandomNumberGenerator()
        let text = Hex.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        guard FileManager.default.createFile(atPath: path, contents: Data((text + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else { throw AppConfigurationError("cannot write the key file \(path)") }
        return (Data(text.utf8), path)
    }
}

/// The key recharge cards' PINs are hashed with (HMAC-SHA256): `BAOHAO_VOUCHER_KEY_FILE`, or else
/// `voucher.key` in the data directory. `baohao vouchers issue` and every server that redeems
/// must share it; losing it makes every card unredeemable.
public enum VoucherKey {
    public static let variable = "BAOHAO_VOUCHER_KEY_FILE"
    public static let defaultFile = "voucher.key"

    public static func load(environment: [String: String], dataDirectory: String) throws -> (Data, created: String?) {
        let (key, created) = try ServerKeyFile.load(
            variable: variable, defaultFile: defaultFile, environment: environment, dataDirectory: dataDirectory)
        guard key.count >= 32 else { throw AppConfigurationError("the voucher key is shorter than 32 bytes") }
        return (key, created)
    }
}

extension ServerKeyFile {
    /// A sealing box (``PartnerSecretBox``) for `purpose` over the key file `variable` names, or
    /// `defaultFile` in the data directory; and the path of the file when it was created now.
    static func sealingBox(
        variable: String, defaultFile: String, purpose: String, name: String, environment: [String: String], dataDirectory: String
    ) throws -> (PartnerSecretBox, created: String?) {
        let (key, created) = try load(variable: variable, defaultFile: defaultFile, environment: environment, dataDirectory: dataDirectory)
        do { return (try PartnerSecretBox(keyMaterial: key, purpose: purpose), created) } catch {
            throw AppConfigurationError("\(name) is shorter than 32 bytes")
        }
    }
}
