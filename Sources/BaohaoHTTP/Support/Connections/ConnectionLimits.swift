import NIOCore

/// What one HTTP connection may take: how many may be open (in total and from one client
/// address) and how long it may stay silent or take to send a request.
///
/// Slow and idle connections cost a file descriptor each; without these bounds one client can
/// hold every descriptor the process has and nobody else gets an answer.
public struct ConnectionLimits: Sendable {
    /// Connections open at once (`BAOHAO_MAX_CONNECTIONS`); more are closed as soon as accepted.
    public var maximum: Int
    /// Connections open at once from one client address (`BAOHAO_MAX_CONNECTIONS_PER_ADDRESS`).
    /// Trusted reverse proxies are exempt: they carry many clients.
    public var perAddress: Int
    /// From a request's first byte to its complete header (`BAOHAO_HEADER_TIMEOUT_SECONDS`).
    public var headerTimeout: TimeAmount
    /// From a request's complete header to its complete body (`BAOHAO_BODY_TIMEOUT_SECONDS`).
    public var bodyTimeout: TimeAmount
    /// A connection with no request in progress, before its first byte or after an answer
    /// (`BAOHAO_IDLE_TIMEOUT_SECONDS`).
    public var idleTimeout: TimeAmount

    public static let defaultMaximum = 4_096
    public static let defaultPerAddress = 256

    public init(
        maximum: Int = Self.defaultMaximum, perAddress: Int = Self.defaultPerAddress, headerTimeout: TimeAmount = .seconds(10),
        bodyTimeout: TimeAmount = .seconds(30), idleTimeout: TimeAmount = .seconds(30)
    ) {
        self.maximum = maximum
        self.perAddress = perAddress
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
    }
}
