import BaohaoDomain
import Foundation

/// The sandbox's notification signature, shaped like Stripe's:
/// `Baohao-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 over "<t>.<raw body>">`.
public enum SandboxSignature {
    /// How far a signature's timestamp may be from now, either way.
    public static let toleranceSeconds: Int64 = 300
    /// Longest header accepted.
    static let maximumHeaderLength = 1_024

    /// The header value for `body` signed at `timestamp`.
    public static func header(body: [UInt8], secret: String, timestamp: Int64) -> String {
        "t=\(timestamp),v1=\(hexHMAC(body: body, secret: secret, timestamp: timestamp))"
    }

    /// Checks a header against the raw body; any `v1` may match (secret rotation).
    public static func verify(header: String?, body: [UInt8], secret: String, now: Date) throws(NotificationRejection) {
        guard let header, !header.isEmpty else { throw NotificationRejection("missing_signature") }
        guard header.utf8.count <= maximumHeaderLength else { throw NotificationRejection("malformed_signature") }
        var timestamp: Int64?
        var candidates: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map(\.trimmingHeaderWhitespace)
            guard pair.count == 2 else { throw NotificationRejection("malformed_signature") }
            switch pair[0] {
            case "t": timestamp = Int64(pair[1])
            case "v1": candidates.append(pair[1].lowercased())
            default: continue
            }
        }
        guard let timestamp, !candidates.isEmpty else { throw NotificationRejection("malformed_signature") }
        let expected = Array(hexHMAC(body: body, secret: secret, timestamp: timestamp).utf8)
        guard candidates.contains(where: { ConstantTime.equal(Array($0.utf8), expected) }) else {
            throw NotificationRejection("bad_signature")
        }
        let skew = Int64(now.timeIntervalSince1970) - timestamp
        guard abs(skew) <= toleranceSeconds else { throw NotificationRejection("stale_timestamp") }
    }

    static func hexHMAC(body: [UInt8], secret: String, timestamp: Int64) -> String {
        TimestampedSignature.hex(secret: secret, timestamp: timestamp, body: body)
    }
}
