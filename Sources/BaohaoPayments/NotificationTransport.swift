import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends a server-to-server notification and reports the HTTP status it got.
public protocol NotificationTransport: Sendable {
    func post(url: String, body: [UInt8], headers: [String: String]) async throws -> Int
}

/// Sends over real HTTP with URLSession, with a bounded timeout.
public struct URLSessionNotificationTransport: NotificationTransport {
    let timeoutSeconds: TimeInterval

    public init(timeoutSeconds: TimeInterval = 10) {
        self.timeoutSeconds = timeoutSeconds
    }

    public func post(url: String, body: [UInt8], headers: [String: String]) async throws -> Int {
        guard let target = URL(string: url) else { throw URLError(.badURL) }
        var request = URLRequest(url: target, timeoutInterval: timeoutSeconds)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}
