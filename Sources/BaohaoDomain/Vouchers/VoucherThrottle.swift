import Foundation

/// Limits on failed redemptions, so that PINs cannot be guessed: per number, per client address,
/// and over the whole process. A key with too many failures in its window is locked out for the
/// lock-out time; a success does not clear a key's failures (a guesser holding one good card must
/// not reset the count). The lock-out is per key, so an attacker who locks a number out cannot
/// lock out other numbers or addresses; the global limit only slows every redemption when many
/// keys fail at once.
public struct VoucherThrottle: Sendable {
    public struct Limits: Sendable, Hashable {
        public var perNumber: Int
        public var perAddress: Int
        public var global: Int
        public var window: TimeInterval
        public var lockout: TimeInterval

        public init(perNumber: Int, perAddress: Int, global: Int, window: TimeInterval, lockout: TimeInterval) {
            self.perNumber = perNumber
            self.perAddress = perAddress
            self.global = global
            self.window = window
            self.lockout = lockout
        }

        /// 5 failures per number and 20 per address in 15 minutes lock that key for 30 minutes;
        /// 500 failures a minute across the process pause redemptions for a minute.
        public static let standard = Limits(perNumber: 5, perAddress: 20, global: 500, window: 15 * 60, lockout: 30 * 60)
    }

    /// Which limit refused.
    public enum Scope: String, Sendable {
        case number, address, global
    }

    let limits: Limits
    private var failures: [String: [Date]] = [:]
    private var lockedUntil: [String: Date] = [:]
    /// The process-wide limit counts failures in a minute and pauses redemptions for a minute.
    static let globalWindow: TimeInterval = 60
    /// Most keys remembered; the oldest are forgotten first beyond it.
    static let maximumKeys = 100_000

    public init(limits: Limits = .standard) {
        self.limits = limits
    }

    static func key(_ scope: Scope, _ value: String) -> String { "\(scope.rawValue):\(value)" }

    /// When the first of these keys locked out is free again, and which; `nil` if none is.
    public func lockedOut(number: String, address: String, at now: Date) -> (Scope, until: Date)? {
        for (scope, value) in [(Scope.number, number), (.address, address), (.global, "")] {
            if let until = lockedUntil[Self.key(scope, value)], until > now { return (scope, until) }
        }
        return nil
    }

    /// Counts a failed redemption against the number, the address and the process.
    public mutating func fail(number: String, address: String, at now: Date) {
        for (scope, value, limit, window, lockout) in [
            (Scope.number, number, limits.perNumber, limits.window, limits.lockout),
            (.address, address, limits.perAddress, limits.window, limits.lockout),
            (.global, "", limits.global, Self.globalWindow, Self.globalWindow),
        ] {
            let key = Self.key(scope, value)
            var recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
            recent.append(now)
            if recent.count >= limit {
                lockedUntil[key] = now + lockout
                recent.removeAll()
            }
            failures[key] = recent
        }
        if failures.count > Self.maximumKeys {
            failures = failures.filter { !$0.value.isEmpty && now.timeIntervalSince($0.value.last!) < limits.window }
            lockedUntil = lockedUntil.filter { $0.value > now }
        }
    }
}
