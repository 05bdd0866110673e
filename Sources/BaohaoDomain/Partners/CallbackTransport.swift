import Foundation

/// Posts one callback to a partner: the narrow port the deliverer sends through (HTTP in the
/// server, a recorder in tests).
public protocol CallbackTransport: Sendable {
    /// Posts `body` with `headers` to `url`; the HTTP status, or an error when none came (refused,
    /// timed out, not a valid address).
    func post(url: String, headers: [(String, String)], body: Data) async -> CallbackAnswer
}

/// What a partner's callback URL answered.
public enum CallbackAnswer: Sendable, Hashable {
    case status(Int)
    case failed(String)
}
