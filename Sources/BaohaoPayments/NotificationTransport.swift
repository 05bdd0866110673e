import Foundation

/// Sends a server-to-server notification and reports the HTTP status it got.
public protocol NotificationTransport: Sendable {
    func post(url: String, body: [UInt8], headers: [String: String]) async throws -> Int
}
