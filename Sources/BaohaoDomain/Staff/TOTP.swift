import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238 over RFC 4226): HMAC-SHA1 of the 30-second step
/// number, dynamically truncated to 6 digits — what every authenticator app computes.
public enum TOTP {
    public static let period: Int64 = 30
    public static let digits = 6
    /// Steps either side of now that are accepted, for clocks a little apart.
    public static let window: Int64 = 1

    /// 20 random bytes (160 bits, RFC 4226's recommendation).
    public static func newSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    public static func step(at date: Date) -> Int64 { Int64(floor(date.timeIntervalSince1970)) / period }

    /// The code for `step`, zero-padded.
    public static func code(secret: [UInt8], step: Int64) -> String {
        var counter = UInt64(bitPattern: step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let value =
            (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        let text = String(value % 1_000_000)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// The step `code` belongs to, within ``window`` of `date` and after `lastUsed` (a code is
    /// good once); `nil` if none.
    public static func match(_ code: String, secret: [UInt8], at date: Date, after lastUsed: Int64) -> Int64? {
        let given = code.filter { !$0.isWhitespace }
        guard given.count == digits, given.allSatisfy(\.isASCII), given.allSatisfy(\.isNumber) else { return nil }
        let now = step(at: date)
        for candidate in (now - window)...(now + window) where candidate > lastUsed {
            if ConstantTime.equal(Array(Self.code(secret: secret, step: candidate).utf8), Array(given.utf8)) { return candidate }
        }
        return nil
    }

    /// The `otpauth://` link an authenticator app reads (from the QR code).
    public static func provisioningURI(secret: [UInt8], account: String, issuer: String = "Baohao") -> String {
        let label =
            "\(issuer):\(account)".addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: ":.-_")))
            ?? account
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(issuer)"
    }
}
