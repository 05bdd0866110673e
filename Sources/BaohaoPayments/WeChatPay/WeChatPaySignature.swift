import Crypto
import Foundation

/// The signatures of WeChat Pay API v3 (WECHATPAY2-SHA256-RSA2048) and the AES-256-GCM
/// encryption of notification resources.
enum WeChatPaySignature {
    /// Largest clock difference accepted on a signed message, in seconds.
    static let window: TimeInterval = 300

    /// `Authorization` for a request: SHA256withRSA over `METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n`.
    static func authorization(
        method: String, pathAndQuery: String, body: [UInt8], timestamp: Int64, nonce: String, configuration: WeChatPayConfiguration
    ) throws -> String {
        let message = Array("\(method)\n\(pathAndQuery)\n\(timestamp)\n\(nonce)\n".utf8) + body + Array("\n".utf8)
        let signature = try RSAKeys.sign(message, with: configuration.privateKey)
        return
            #"WECHATPAY2-SHA256-RSA2048 mchid="\#(configuration.merchantID)",nonce_str="\#(nonce)",signature="\#(signature)",timestamp="\#(timestamp)",serial_no="\#(configuration.merchantSerial)""#
    }

    /// Checks a response's or notification's `Wechatpay-*` headers over the raw body; the reason if not.
    static func verify(headers: [String: String], body: [UInt8], now: Date, configuration: WeChatPayConfiguration) -> String? {
        guard let timestampText = headers["wechatpay-timestamp"], let nonce = headers["wechatpay-nonce"],
            let signature = headers["wechatpay-signature"], let serial = headers["wechatpay-serial"]
        else { return "missing_signature" }
        if let type = headers["wechatpay-signature-type"], type != "WECHATPAY2-SHA256-RSA2048" { return "bad_signature_type" }
        guard serial == configuration.platformKeyID else { return "unknown_platform_key" }
        guard timestampText.count <= 12, let timestamp = Int64(timestampText), nonce.utf8.count <= 64 else { return "malformed_signature" }
        let message = Array("\(timestampText)\n\(nonce)\n".utf8) + body + Array("\n".utf8)
        guard RSAKeys.verify(base64Signature: signature, message: message, with: configuration.platformPublicKey) else {
            return "bad_signature"
        }
        guard abs(now.timeIntervalSince1970 - TimeInterval(timestamp)) <= window else { return "stale_timestamp" }
        return nil
    }

    /// Opens an `AEAD_AES_256_GCM` resource: base64(ciphertext ‖ 16-byte tag) under the APIv3 key.
    static func decrypt(ciphertext: String, nonce: String, associatedData: String, key: [UInt8]) -> [UInt8]? {
        guard let combined = Data(base64Encoded: ciphertext), combined.count > 16, nonce.utf8.count == 12,
            let gcmNonce = try? AES.GCM.Nonce(data: Array(nonce.utf8))
        else { return nil }
        guard
            let box = try? AES.GCM.SealedBox(
                nonce: gcmNonce, ciphertext: combined.prefix(combined.count - 16), tag: combined.suffix(16)),
            let plain = try? AES.GCM.open(box, using: SymmetricKey(data: key), authenticating: Array(associatedData.utf8))
        else { return nil }
        return Array(plain)
    }

    /// 32 random characters for `nonce_str`.
    static func nonce() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }
}
