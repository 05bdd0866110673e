import Foundation

/// A clock for durations whose sleepers wake only when the test says so: a timeout or a backoff
/// under test happens exactly when ``wakeAll()`` is called, never because real time passed.
public final class ManualSleepClock: Clock, @unchecked Sendable {
    public typealias Duration = Swift.Duration

    public struct Instant: InstantProtocol {
        let offset: Swift.Duration

        public func advanced(by duration: Swift.Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Swift.Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let lock = NSLock()
    private var elapsed = Swift.Duration.zero
    private var sleepers: [UUID: CheckedContinuation<Void, any Error>] = [:]

    public init() {}

    public var now: Instant { lock.withLock { Instant(offset: elapsed) } }
    public var minimumResolution: Swift.Duration { .zero }

    /// How many tasks are asleep on this clock.
    public var sleeping: Int { lock.withLock { sleepers.count } }

    /// Waits (yielding, not sleeping) until `count` tasks sleep on this clock.
    public func waitForSleepers(_ count: Int) async {
        while sleeping < count { await Task.yield() }
    }

    /// Wakes every sleeper, as if each one's deadline had come.
    public func wakeAll() {
        let woken = lock.withLock {
            defer { sleepers = [:] }
            return Array(sleepers.values)
        }
        for sleeper in woken { sleeper.resume() }
    }

    public func sleep(until deadline: Instant, tolerance: Swift.Duration?) async throws {
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let cancelled = lock.withLock {
                    if Task.isCancelled { return true }
                    sleepers[id] = continuation
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let sleeper = lock.withLock { sleepers.removeValue(forKey: id) }
            sleeper?.resume(throwing: CancellationError())
        }
    }
}
