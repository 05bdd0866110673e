import Crypto
import Foundation
import _CryptoExtras

/// SHA256withRSA (PKCS#1 v1.5), the signature Alipay (RSA2), WeChat Pay v3 and UnionPay ACP 5.1 use.
public enum RSAKeys {
    /// Reads a private key from PEM (PKCS#1 or PKCS#8), or from the bare base64 PKCS#8 text that
    /// Alipay's key tool writes.
    public static func privateKey(_ text: String) throws -> _RSA.Signing.PrivateKey {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("-----BEGIN") { return try _RSA.Signing.PrivateKey(pemRepresentation: trimmed) }
        guard let der = Data(base64Encoded: trimmed.filter { !$0.isWhitespace }) else { throw KeyError.notBase64 }
        return try _RSA.Signing.PrivateKey(derRepresentation: der)
    }

    /// Reads a public key from PEM (SubjectPublicKeyInfo or PKCS#1), or from the bare base64
    /// SubjectPublicKeyInfo that Alipay's console shows.
    public static func publicKey(_ text: String) throws -> _RSA.Signing.PublicKey {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("-----BEGIN") { return try _RSA.Signing.PublicKey(pemRepresentation: trimmed) }
        guard let der = Data(base64Encoded: trimmed.filter { !$0.isWhitespace }) else { throw KeyError.notBase64 }
        return try _RSA.Signing.PublicKey(derRepresentation: der)
    }

    /// Base64 SHA256withRSA signature of `message`.
    public static func sign(_ message: some DataProtocol, with key: _RSA.Signing.PrivateKey) throws -> String {
        try key.signature(for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5).rawRepresentation.base64EncodedString()
    }

    /// Checks a base64 SHA256withRSA signature; `false` for anything malformed.
    public static func verify(base64Signature: String, message: some DataProtocol, with key: _RSA.Signing.PublicKey) -> Bool {
        guard base64Signature.utf8.count <= 2048, let raw = Data(base64Encoded: base64Signature) else { return false }
        return key.isValidSignature(
            _RSA.Signing.RSASignature(rawRepresentation: raw), for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5)
    }

    public enum KeyError: Error {
        case notBase64
    }
}
