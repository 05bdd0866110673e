/// Where password hashing runs. bcrypt at cost 12 takes about a quarter of a second of CPU; run
/// on the executors that serve requests, a flood of sign-ins stalls every other route. The
/// server runs it on a small thread pool of its own with a bounded queue.
public protocol HashingExecutor: Sendable {
    /// Runs `work`; throws ``DomainError/busy(retryAfter:)`` when too much is already waiting.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T
}

/// Hashing on the caller's own task (tests, the CLI).
public struct InlineHashing: HashingExecutor {
    public init() {}

    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T { try work() }
}
