import BaohaoDomain
import Crypto
import Foundation
import X509
import _CryptoExtras

/// ACP 5.1.0 signatures (`signMethod=01`): SHA256withRSA over the lower-case SHA-256 hex of the
/// sorted `k=v&…` string; UnionPay's messages carry their signing certificate in `signPubKeyCert`,
/// which must chain to the configured middle and root certificates and name UnionPay.
enum UnionPaySignature {
    static func sign(_ fields: [String: String], with key: _RSA.Signing.PrivateKey) throws -> String {
        try RSAKeys.sign(Array(digestHex(fields).utf8), with: key)
    }

    static func digestHex(_ fields: [String: String]) -> String {
        Hex.encode(SHA256.hash(data: Array(FormEncoding.signingString(fields).utf8)))
    }

    /// The reason the message is not proven to come from UnionPay, or `nil`.
    static func verify(_ fields: [String: String], configuration: UnionPayConfiguration, now: Date) -> String? {
        var unsigned = fields
        guard let signature = unsigned.removeValue(forKey: "signature"), let pem = fields["signPubKeyCert"] else {
            return "missing_signature"
        }
        guard fields["signMethod"] == "01", fields["version"] == "5.1.0" else { return "bad_signature_type" }
        guard pem.utf8.count <= 8192, let leaf = try? Certificate(pemEncoded: pem) else { return "bad_certificate" }
        let middle = configuration.middleCertificate
        guard leaf.issuer == middle.subject, middle.publicKey.isValidSignature(leaf.signature, for: leaf) else {
            return "untrusted_certificate"
        }
        guard leaf.notValidBefore <= now, now <= leaf.notValidAfter, middle.notValidBefore <= now, now <= middle.notValidAfter else {
            return "expired_certificate"
        }
        guard commonNames(leaf).contains(where: { $0.split(separator: "@").contains { $0 == configuration.signerName } }) else {
            return "untrusted_certificate"
        }
        guard let key = _RSA.Signing.PublicKey(leaf.publicKey) else { return "bad_certificate" }
        guard RSAKeys.verify(base64Signature: signature, message: Array(digestHex(unsigned).utf8), with: key) else {
            return "bad_signature"
        }
        return nil
    }

    static func commonNames(_ certificate: Certificate) -> [String] {
        var names: [String] = []
        for rdn in certificate.subject {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                names.append(String(describing: attribute.value))
            }
        }
        return names
    }
}
