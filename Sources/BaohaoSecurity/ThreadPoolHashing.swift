import BaohaoDomain
import Foundation
import NIOPosix

/// Password hashing on a thread pool of its own, so that bcrypt never runs on the executors that
/// answer requests; at most `queueLimit` hashes wait, and more are refused at once with
/// ``DomainError/busy(retryAfter:)`` instead of piling up behind a flood.
public final class ThreadPoolHashing: HashingExecutor, @unchecked Sendable {
    private let pool: NIOThreadPool
    private let lock = NSLock()
    private var pending = 0
    let queueLimit: Int

    /// - Parameters:
    ///   - threads: threads that hash (default: half the cores, at least one).
    ///   - queueLimit: hashes waiting or running at most.
    public init(threads: Int = max(1, ProcessInfo.processInfo.activeProcessorCount / 2), queueLimit: Int = 64) {
        self.pool = NIOThreadPool(numberOfThreads: threads)
        self.queueLimit = queueLimit
        pool.start()
    }

    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let admitted = lock.withLock {
            guard pending < queueLimit else { return false }
            pending += 1
            return true
        }
        guard admitted else { throw DomainError.busy(retryAfter: 2) }
        defer { lock.withLock { pending -= 1 } }
        return try await pool.runIfActive(work)
    }

    public func shutdown() async throws {
        try await pool.shutdownGracefully()
    }
}
