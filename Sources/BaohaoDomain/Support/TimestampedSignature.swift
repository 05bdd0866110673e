import Crypto
import Foundation

/// The one HMAC scheme Baohao signs its own webhooks with, shaped like Stripe's: hex
/// HMAC-SHA256, keyed with the secret's UTF-8 bytes, over `"<t>.<raw body>"`. The sandbox
/// provider's notifications, reminder webhooks and partner callbacks all carry it as
/// `Baohao-Signature: t=<unix seconds>,v1=<hex>`.
public enum TimestampedSignature {
    /// The hex signature of `body` at `timestamp`.
    public static func hex(secret: String, timestamp: Int64, body: some Sequence<UInt8>) -> String {
        var message = Array("\(timestamp).".utf8)
        message.append(contentsOf: body)
        return Hex.encode(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(secret.utf8))))
    }
}

extension Duration {
    /// Whole milliseconds, for logs and attempt records.
    public var wholeMilliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }

    /// The duration in seconds, with its fraction, for rates and reports.
    public var totalSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
