@preconcurrency import Crypto
import Foundation

/// Seals partners' API secrets with a server key (AES-256-GCM): a copy of the database alone —
/// a backup, a dump, a stolen disk — does not let anyone sign as a partner. The key comes from
/// `BAOHAO_PARTNER_SECRETS_KEY_FILE` (or a file the server creates in its data directory).
///
/// Sealed text: `v1.<key fingerprint>.<base64 of nonce, ciphertext and tag>`; the fingerprint (the
/// first 8 hex digits of the key's SHA-256) says which key sealed it, so a wrong key is named.
public struct PartnerSecretBox: Sendable {
    let key: SymmetricKey
    /// Which key this is, as sealed texts name it.
    public let fingerprint: String

    /// A box for key material of at least 32 bytes (it is run through HKDF-SHA256 with `purpose`,
    /// so one key file never serves two purposes with the same key).
    public init(keyMaterial: Data, purpose: String = "baohao partner secrets v1") throws(ValidationError) {
        guard keyMaterial.count >= 32 else {
            throw ValidationError(field: "secrets key", reason: .outOfRange, detail: "at least 32 bytes")
        }
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: keyMaterial), info: Data(purpose.utf8), outputByteCount: 32)
        fingerprint = String(Hex.encode(SHA256.hash(data: key.withUnsafeBytes { Data($0) })).prefix(8))
    }

    public func seal(_ secret: String) throws -> String {
        let box = try AES.GCM.seal(Data(secret.utf8), using: key)
        guard let combined = box.combined else { throw StoreError.corrupt("AES-GCM gave no combined form") }
        return "v1.\(fingerprint).\(combined.base64EncodedString())"
    }

    /// The secret; throws ``PartnerSecretError`` if another key sealed it or it was altered.
    public func open(_ sealed: String) throws(PartnerSecretError) -> String {
        let parts = sealed.split(separator: ".", maxSplits: 2).map(String.init)
        guard parts.count == 3, parts[0] == "v1", let data = Data(base64Encoded: parts[2]) else { throw .malformed }
        guard parts[1] == fingerprint else { throw .otherKey(parts[1]) }
        do {
            let plain = try AES.GCM.open(try AES.GCM.SealedBox(combined: data), using: key)
            guard let text = String(data: plain, encoding: .utf8) else { throw PartnerSecretError.malformed }
            return text
        } catch {
            throw .malformed
        }
    }
}

/// Why a sealed partner secret could not be opened.
public enum PartnerSecretError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Sealed by the key with this fingerprint, not the server's.
    case otherKey(String)
    case malformed

    public var description: String {
        switch self {
        case .otherKey(let fingerprint):
            return "a partner secret was sealed with another key (fingerprint \(fingerprint)); set BAOHAO_PARTNER_SECRETS_KEY_FILE to it"
        case .malformed: return "a sealed partner secret is damaged"
        }
    }
}
