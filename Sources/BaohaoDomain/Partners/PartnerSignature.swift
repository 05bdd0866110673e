import Crypto
import Foundation

/// The partner API's request signatures and our callbacks' signatures.
///
/// A request carries `Authorization: Baohao-HMAC key=<key id>,t=<unix seconds>,sig=<hex>` where the
/// signature is HMAC-SHA256, keyed with the secret's UTF-8 bytes, over
/// `"<t>\n<METHOD>\n<path with query>\n<hex SHA-256 of the raw body>"`. A callback carries
/// `Baohao-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, with one `v1` per
/// valid key while a rotated-out key is in its grace period (newest first).
public enum PartnerSignature {
    /// How far a request's `t` may be from our clock: 300 seconds either way.
    public static let window: TimeInterval = 300

    /// A parsed `Authorization` header.
    public struct Authorization: Sendable, Hashable {
        public let keyID: String
        public let timestamp: Int64
        /// The signature's bytes.
        public let signature: [UInt8]
    }

    /// Parses `Baohao-HMAC key=…,t=…,sig=…`; `nil` for anything else.
    public static func parse(_ header: String) -> Authorization? {
        guard header.utf8.count <= 300, header.hasPrefix("Baohao-HMAC ") else { return nil }
        var fields: [String: String] = [:]
        for part in header.dropFirst(12).split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, fields[pair[0]] == nil else { return nil }
            fields[pair[0]] = pair[1]
        }
        guard fields.count == 3, let key = fields["key"], (1...64).contains(key.utf8.count), key.isAllVisibleASCII,
            let t = fields["t"], (1...12).contains(t.utf8.count), t.isAllASCIIDigits, let timestamp = Int64(t),
            let hex = fields["sig"], hex.utf8.count == 64, let signature = Hex.decode(hex)
        else { return nil }
        return Authorization(keyID: key, timestamp: timestamp, signature: signature)
    }

    /// The text a request's signature covers.
    public static func canonical(timestamp: Int64, method: String, pathWithQuery: String, body: some DataProtocol) -> String {
        "\(timestamp)\n\(method)\n\(pathWithQuery)\n\(Hex.encode(SHA256.hash(data: body)))"
    }

    /// A request's signature: hex HMAC-SHA256 of ``canonical(timestamp:method:pathWithQuery:body:)``.
    public static func sign(secret: String, timestamp: Int64, method: String, pathWithQuery: String, body: some DataProtocol) -> [UInt8] {
        let text = canonical(timestamp: timestamp, method: method, pathWithQuery: pathWithQuery, body: body)
        return Array(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(secret.utf8))))
    }

    /// Whether `authorization` signs this request with `secret` (compared in constant time).
    public static func verify(
        _ authorization: Authorization, secret: String, method: String, pathWithQuery: String, body: some DataProtocol
    ) -> Bool {
        ConstantTime.equal(
            sign(secret: secret, timestamp: authorization.timestamp, method: method, pathWithQuery: pathWithQuery, body: body),
            authorization.signature)
    }

    /// Whether `t` is within ``window`` of `now`.
    public static func isFresh(_ timestamp: Int64, now: Date) -> Bool {
        abs(Double(timestamp) - now.timeIntervalSince1970) <= window
    }

    /// The `Baohao-Signature` header of a callback body, signed with every secret given.
    public static func callbackHeader(secrets: [String], timestamp: Int64, body: some DataProtocol) -> String {
        let signatures = secrets.map { "v1=" + TimestampedSignature.hex(secret: $0, timestamp: timestamp, body: body) }
        return (["t=\(timestamp)"] + signatures).joined(separator: ",")
    }
}
