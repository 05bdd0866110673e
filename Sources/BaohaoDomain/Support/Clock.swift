import Foundation

/// Tells the time. Every business time (order expiry, deadlines, fees, reminders, sessions,
/// signature windows) is read from one of these, never from `Date()`, so that tests can pin it.
public protocol WallClock: Sendable {
    func now() -> Date
}

/// The real time.
public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// The real time shifted by a fixed number of seconds: a clock that starts at a chosen instant
/// and then runs at the real rate. Tests start server and CLI processes on it (`BAOHAO_TEST_NOW`),
/// so that timeouts, retries and backoff still behave as they do in production.
public struct OffsetWallClock: WallClock {
    /// Seconds added to the real time.
    public let offsetSeconds: TimeInterval

    /// A clock that reads `instant` at the real time `realTime`.
    public init(reading instant: Date, atRealTime realTime: Date) {
        offsetSeconds = instant.timeIntervalSince(realTime)
    }

    public func now() -> Date { Date(timeIntervalSinceNow: offsetSeconds) }
}

/// A clock tests set and advance.
public final class ManualWallClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date) { current = start }

    public func now() -> Date { lock.withLock { current } }

    public func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }

    public func set(_ date: Date) { lock.withLock { current = date } }
}
