import Logging
import ServiceLifecycle

/// Holds a resource open for the life of the service group and closes it on graceful shutdown
/// (or cancellation). Listed before the HTTP server, it is closed after the server has drained:
/// a service group shuts its services down in reverse order.
public struct CloseOnShutdown: Service {
    public let name: String
    public let close: @Sendable () async throws -> Void
    public let logger: Logger

    public init(_ name: String, logger: Logger, close: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.close = close
        self.logger = logger
    }

    public func run() async throws {
        try? await gracefulShutdown()
        do {
            try await close()
            logger.info("\(name) closed")
        } catch {
            logger.warning("\(name) did not close cleanly", metadata: ["error": "\(String(describing: type(of: error)))"])
        }
    }
}
