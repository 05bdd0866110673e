import Logging
import ServiceLifecycle

/// One background job run every `interval` as a `Service` (the order sweeper, the reconciler,
/// the retention runner, sign-in housekeeping): a failed run is logged and the next one comes on
/// time; the wait between runs ends at once on graceful shutdown, and a run in progress finishes.
public struct PeriodicJob: Service {
    public let name: String
    public let interval: Duration
    /// One run; returns what to log about it (`nil`: nothing worth a line).
    public let work: @Sendable () async throws -> Logger.Metadata?
    public let logger: Logger

    public init(name: String, every interval: Duration, logger: Logger, _ work: @escaping @Sendable () async throws -> Logger.Metadata?) {
        precondition(interval > .zero)
        self.name = name
        self.interval = interval
        self.work = work
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                if let metadata = try await work() { logger.info("\(name) run", metadata: metadata) }
            } catch {
                logger.warning("\(name) run failed", metadata: ["error": "\(String(describing: type(of: error)))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
