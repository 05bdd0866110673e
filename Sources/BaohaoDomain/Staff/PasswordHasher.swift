/// Hashes and checks staff passwords (bcrypt in production; see `BaohaoSecurity.Bcrypt`).
public protocol PasswordHasher: Sendable {
    /// A new salted hash of `password`.
    func hash(password: String) throws -> String
    /// Whether `password` matches `stored`, compared in constant time.
    func verify(password: String, against stored: String) -> Bool
    /// A well-formed hash of no password, checked when the username is unknown so that the answer
    /// takes as long as for a real account.
    var decoyHash: String { get }
}

/// Why a password could not be hashed.
public enum PasswordHashError: Error, Sendable {
    /// Too long for bcrypt or holding a NUL byte.
    case unusable
    /// The system's hashing library refused.
    case unavailable
}

/// What a staff password must be.
public enum PasswordRules {
    /// bcrypt reads at most 72 bytes; longer passwords are refused rather than silently cut.
    public static let maximumBytes = 72
    public static let minimumCharacters = 12

    /// `nil` if `password` is acceptable, else what is wrong with it (English; the CLI prints it).
    public static func problem(_ password: String) -> String? {
        if password.count < minimumCharacters { return "at least \(minimumCharacters) characters" }
        if password.utf8.count > maximumBytes { return "at most \(maximumBytes) bytes (UTF-8)" }
        if password.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return "no control characters" }
        return nil
    }
}
