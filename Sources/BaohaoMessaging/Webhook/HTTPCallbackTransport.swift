import AsyncHTTPClient
import BaohaoDomain
import Foundation
import NIOCore

/// Posts partners' callbacks with AsyncHTTPClient: 10 s to connect and answer, no redirects
/// followed (a callback goes to the URL the operator set, nowhere else), at most 16 connections
/// per partner host, and only the first 1 KiB of an answer read.
public final class HTTPCallbackTransport: CallbackTransport {
    let client: HTTPClient
    public static let timeout = TimeAmount.seconds(10)

    public init() {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(5), read: Self.timeout))
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 16
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func post(url: String, headers: [(String, String)], body: Data) async -> CallbackAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.headers.replaceOrAdd(name: "User-Agent", value: "Baohao-Callbacks/1")
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: Self.timeout)
            _ = try? await response.body.collect(upTo: 1024)
            return .status(Int(response.status.code))
        } catch let error as HTTPClientError {
            return .failed(String(describing: error).prefix(200).description)
        } catch {
            return .failed(String(describing: type(of: error)))
        }
    }

    /// Closes the client's connections; no post may follow.
    public func shutdown() async {
        try? await client.shutdown()
    }
}
