import BaohaoDomain
import Crypto
import Foundation

/// Stripe's webhook signature: `Stripe-Signature: t=…,v1=…[,v1=…]`, HMAC-SHA256 (hex) with the
/// endpoint secret over `t.body`; any `v1` may match; the timestamp within the tolerance.
enum StripeSignature {
    /// The reason a header does not prove the body, or `nil` when it does.
    static func verify(header: String?, body: [UInt8], secret: String, tolerance: Int, now: Date) -> String? {
        guard let header, header.utf8.count <= 2048 else { return "missing_signature" }
        var timestamp: Int64? = nil
        var candidates: [String] = []
        for item in header.split(separator: ",") {
            let pair = item.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let key = pair[0].trimmingHeaderWhitespace
            if key == "t" { timestamp = Int64(pair[1]) }
            if key == "v1" { candidates.append(String(pair[1])) }
        }
        guard let timestamp, !candidates.isEmpty else { return "missing_signature" }
        let expected = Array(Hex.encode(mac(body: body, timestamp: timestamp, secret: secret)).utf8)
        guard candidates.contains(where: { ConstantTime.equal(Array($0.utf8), expected) }) else { return "bad_signature" }
        guard abs(now.timeIntervalSince1970 - TimeInterval(timestamp)) <= TimeInterval(tolerance) else { return "stale_timestamp" }
        return nil
    }

    static func mac(body: [UInt8], timestamp: Int64, secret: String) -> HMAC<SHA256>.MAC {
        HMAC<SHA256>.authenticationCode(for: Array("\(timestamp).".utf8) + body, using: SymmetricKey(data: Array(secret.utf8)))
    }
}
