import Crypto
import Foundation

/// Serials and PINs of recharge cards, and the keyed hash that is all Baohao keeps of a PIN.
///
/// Mainland operators print a 17-digit serial and an 18-digit PIN; both lengths are settings. A
/// serial is a batch prefix and a running number (so ranges can be activated and frozen); a PIN is
/// uniform random digits from the system's CSPRNG, drawn without modulo bias.
public enum VoucherCodes {
    public static let defaultSerialDigits = 17
    public static let defaultPINDigits = 18

    /// `count` random decimal digits, each uniform over 0–9 (rejection sampling on bytes).
    public static func digits(_ count: Int, random: any RandomSource = SystemRandomSource()) -> String {
        var out = ""
        out.reserveCapacity(count)
        var word: UInt64 = 0
        var left = 0
        while out.count < count {
            if left == 0 {
                word = random.next()
                left = 8
            }
            let byte = UInt8(truncatingIfNeeded: word)
            word >>= 8
            left -= 1
            // 250 = 25 × 10: bytes 250–255 would favour 0–5, so they are drawn again.
            guard byte < 250 else { continue }
            out.append(Character(UnicodeScalar(UInt8(48) + byte % 10)))
        }
        return out
    }

    /// The keyed hash stored for a PIN: HMAC-SHA256 under the server's voucher key, hex.
    public static func pinHash(_ pin: String, key: SymmetricKey) -> String {
        Hex.encode(HMAC<SHA256>.authenticationCode(for: Array(pin.utf8), using: key))
    }

    /// A PIN as a payer types it: digits only, spaces and dashes dropped; `nil` when it cannot be one.
    public static func normalizedPIN(_ input: String, digits: ClosedRange<Int> = 10...24) -> String? {
        let kept = input.filter { $0 != " " && $0 != "-" }
        guard digits.contains(kept.count), kept.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return kept
    }

    /// The serials of a batch: a random prefix that fills the serial up to a running number of
    /// `counterDigits`, numbered from 1.
    public static func serials(count: Int, serialDigits: Int, random: any RandomSource = SystemRandomSource()) -> [String] {
        let counterDigits = max(String(count).count, 6)
        let prefix = digits(max(serialDigits - counterDigits, 1), random: random)
        return (1...count).map { number in
            let running = String(number)
            return prefix + String(repeating: "0", count: counterDigits - running.count) + running
        }
    }
}
