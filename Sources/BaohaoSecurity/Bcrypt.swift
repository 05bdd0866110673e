import BaohaoDomain
import CCrypt
import Foundation

/// bcrypt (`$2b$`) through the system's libxcrypt, the library that hashes Linux login passwords.
///
/// Salts come from libxcrypt's own use of the kernel's random source. Verification recomputes the
/// hash with the stored salt and cost and compares in constant time.
public struct Bcrypt: PasswordHasher {
    /// The work factor for new hashes: 2^cost rounds of the key schedule.
    public let cost: Int

    /// `cost` is clamped to bcrypt's 4…31; 12 takes a few hundred milliseconds on a server core.
    public init(cost: Int = 12) {
        self.cost = min(max(cost, 4), 31)
    }

    public var decoyHash: String {
        String(format: "$2b$%02d$", cost) + "Ro0CUfOqk6cXEKf3dyaM7OhSCvnwM9s4wIX9JeLapehKK5YdLxKcm"
    }

    public func hash(password: String) throws -> String {
        guard password.utf8.count <= PasswordRules.maximumBytes, !password.utf8.contains(0) else { throw PasswordHashError.unusable }
        var salt = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        guard crypt_gensalt_rn("$2b$", UInt(cost), nil, 0, &salt, Int32(salt.count)) != nil else { throw PasswordHashError.unavailable }
        guard let hashed = Self.crypt(password, setting: salt), hashed.hasPrefix("$2b$") else { throw PasswordHashError.unavailable }
        return hashed
    }

    public func verify(password: String, against stored: String) -> Bool {
        guard stored.hasPrefix("$2b$") || stored.hasPrefix("$2y$") || stored.hasPrefix("$2a$"), stored.utf8.count == 60,
            password.utf8.count <= PasswordRules.maximumBytes, !password.utf8.contains(0),
            let computed = Self.crypt(password, setting: Array(stored.utf8CString))
        else { return false }
        return ConstantTime.equal(Array(computed.utf8), Array(stored.utf8))
    }

    static func crypt(_ password: String, setting: [CChar]) -> String? {
        let data = UnsafeMutablePointer<crypt_data>.allocate(capacity: 1)
        defer {
            memset(data, 0, MemoryLayout<crypt_data>.size)
            data.deallocate()
        }
        memset(data, 0, MemoryLayout<crypt_data>.size)
        guard let result = crypt_r(password, setting, data) else { return nil }
        let text = String(cString: result)
        // libxcrypt answers a failure with a string starting with "*".
        return text.hasPrefix("*") ? nil : text
    }
}
