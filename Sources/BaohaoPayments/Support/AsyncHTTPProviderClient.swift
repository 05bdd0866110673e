import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Calls providers' APIs with AsyncHTTPClient: pooled keep-alive connections per provider host,
/// NIOSSL with the system's trust roots, a deadline per call, redirects never followed (an API
/// answers where it was asked), and at most ``maximumResponseBytes`` of an answer read.
public struct AsyncHTTPProviderClient: ProviderHTTPClient {
    /// Largest response body accepted.
    public static let maximumResponseBytes = 1 << 20
    let timeout: TimeAmount

    public init(timeoutSeconds: Int64 = 15) {
        self.timeout = .seconds(timeoutSeconds)
    }

    /// One client for the process's life, shared by every provider (AsyncHTTPClient's own shared
    /// client follows redirects).
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(30)))
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 32
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    public func send(_ request: ProviderHTTPRequest) async throws -> ProviderHTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if !request.body.isEmpty { outgoing.body = .bytes(ByteBuffer(bytes: request.body)) }
        let response: HTTPClientResponse
        do {
            response = try await Self.client.execute(outgoing, timeout: timeout)
        } catch {
            // The kind of failure only: a description could name the URL and its query.
            throw ProviderCallError.transport(Self.reason(error))
        }
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: Self.maximumResponseBytes)
        } catch is NIOTooManyBytesError {
            throw ProviderCallError.responseTooLarge
        } catch {
            throw ProviderCallError.transport(Self.reason(error))
        }
        var headers: [String: String] = [:]
        for field in response.headers { headers[field.name.lowercased()] = field.value }
        return ProviderHTTPResponse(status: Int(response.status.code), headers: headers, body: Array(buffer: body))
    }

    /// A short, URL-free name for a transport failure.
    static func reason(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timeout"
            case .remoteConnectionClosed: return "connection closed"
            default: return "http client error"
            }
        }
        return String(describing: type(of: error))
    }
}

/// Posts server-to-server notifications (the sandbox's) with the same pooled client.
public struct AsyncHTTPNotificationTransport: NotificationTransport {
    let timeout: TimeAmount

    public init(timeoutSeconds: Int64 = 10) {
        self.timeout = .seconds(timeoutSeconds)
    }

    public func post(url: String, body: [UInt8], headers: [String: String]) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await AsyncHTTPProviderClient.client.execute(request, timeout: timeout)
        _ = try? await response.body.collect(upTo: 64 * 1024)
        return Int(response.status.code)
    }
}
