import Foundation

/// Limits on staff sign-ins, kept so that an attacker can neither guess passwords quickly nor
/// lock a real member of staff out:
///
/// - **per client** (an address): at most ``Limits/perClientPerMinute`` attempts a minute, any username;
/// - **per client and username**: after ``Limits/failuresBeforeBackOff`` wrong passwords in a row
///   that client waits, 30 s doubling to 15 min, until it gets the password right. Another client
///   (the real admin at their desk) is not affected;
/// - **per username**: ``Limits/failuresPerUsername`` wrong passwords in 15 minutes from all
///   clients together pause the username for 15 minutes, except for clients that have signed in
///   as it before (in this process), so a botnet cannot shut its owner out.
///
/// Kept in each server process's memory: with several processes, each applies the limits.
public struct SignInThrottle: Sendable {
    public struct Limits: Sendable, Hashable {
        public var perClientPerMinute: Int
        public var failuresBeforeBackOff: Int
        public var firstBackOff: TimeInterval
        public var longestBackOff: TimeInterval
        public var failuresPerUsername: Int
        public var usernameWindow: TimeInterval

        public init(
            perClientPerMinute: Int = 20, failuresBeforeBackOff: Int = 5, firstBackOff: TimeInterval = 30,
            longestBackOff: TimeInterval = 15 * 60, failuresPerUsername: Int = 50, usernameWindow: TimeInterval = 15 * 60
        ) {
            self.perClientPerMinute = perClientPerMinute
            self.failuresBeforeBackOff = failuresBeforeBackOff
            self.firstBackOff = firstBackOff
            self.longestBackOff = longestBackOff
            self.failuresPerUsername = failuresPerUsername
            self.usernameWindow = usernameWindow
        }
    }

    private struct Pair: Hashable {
        let client: String
        let username: String
    }

    let limits: Limits
    private var attempts: [String: [Date]] = [:]
    private var consecutiveFailures: [Pair: Int] = [:]
    private var waitUntil: [Pair: Date] = [:]
    private var usernameFailures: [String: [Date]] = [:]
    private var usernamePausedUntil: [String: Date] = [:]
    private var known: Set<Pair> = []
    /// Most keys remembered; stale ones are forgotten beyond it.
    static let maximumKeys = 100_000

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Counts an attempt by `client` at `username`; the time to wait instead, if it must.
    public mutating func attempt(client: String, username: String, at now: Date) -> Date? {
        let pair = Pair(client: client, username: username)
        if let until = waitUntil[pair], until > now { return until }
        if !known.contains(pair), let until = usernamePausedUntil[username], until > now { return until }
        var recent = (attempts[client] ?? []).filter { now.timeIntervalSince($0) < 60 }
        if recent.count >= limits.perClientPerMinute, let oldest = recent.first { return oldest + 60 }
        recent.append(now)
        attempts[client] = recent
        forgetStale(now)
        return nil
    }

    /// A wrong password (or an unknown username) from `client`.
    public mutating func failed(client: String, username: String, at now: Date) {
        let pair = Pair(client: client, username: username)
        let failures = consecutiveFailures[pair, default: 0] + 1
        consecutiveFailures[pair] = failures
        if failures >= limits.failuresBeforeBackOff {
            let doublings = Double(min(failures - limits.failuresBeforeBackOff, 16))
            waitUntil[pair] = now + min(limits.firstBackOff * pow(2, doublings), limits.longestBackOff)
        }
        var recent = (usernameFailures[username] ?? []).filter { now.timeIntervalSince($0) < limits.usernameWindow }
        recent.append(now)
        if recent.count >= limits.failuresPerUsername {
            usernamePausedUntil[username] = now + limits.usernameWindow
            recent.removeAll()
        }
        usernameFailures[username] = recent
    }

    /// The right password from `client`: its back-off ends and it is known for `username`.
    public mutating func succeeded(client: String, username: String) {
        let pair = Pair(client: client, username: username)
        consecutiveFailures[pair] = nil
        waitUntil[pair] = nil
        known.insert(pair)
    }

    private mutating func forgetStale(_ now: Date) {
        guard attempts.count + consecutiveFailures.count + usernameFailures.count + known.count > Self.maximumKeys else { return }
        attempts = attempts.filter { now.timeIntervalSince($0.value.last ?? .distantPast) < 60 }
        waitUntil = waitUntil.filter { $0.value > now }
        consecutiveFailures = consecutiveFailures.filter { waitUntil[$0.key] != nil }
        usernameFailures = usernameFailures.filter { now.timeIntervalSince($0.value.last ?? .distantPast) < limits.usernameWindow }
        usernamePausedUntil = usernamePausedUntil.filter { $0.value > now }
        if known.count > Self.maximumKeys / 2 { known.removeAll() }
    }
}
