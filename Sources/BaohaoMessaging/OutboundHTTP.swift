import AsyncHTTPClient
import NIOCore
import NIOPosix

/// The AsyncHTTPClient that reminders and SMS go out with (Kannel's sendsms, the operator's
/// webhook): pooled connections, redirects never followed, for the process's life.
enum OutboundHTTP {
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(15)))
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 16
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// A short name for a transport failure that never repeats the URL (Kannel's carries the
    /// password in its query).
    static func reason(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timed out"
            case .remoteConnectionClosed: return "connection lost"
            default: return "transport error"
            }
        }
        if error is NIOConnectionError || error is IOError { return "connection refused" }
        return "transport error"
    }
}
