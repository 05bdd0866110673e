import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// An HTTP exchange with a provider's API (order creation, query, refund).
public struct ProviderHTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: String, url: String, headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

public struct ProviderHTTPResponse: Sendable {
    public let status: Int
    /// Header names lower-cased.
    public let headers: [String: String]
    public let body: [UInt8]

    public init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Sends requests to payment providers. Replaceable so tests can point adapters at fake providers.
public protocol ProviderHTTPClient: Sendable {
    func send(_ request: ProviderHTTPRequest) async throws -> ProviderHTTPResponse
}

/// Why a call to a provider's API gave no usable answer. The request may or may not have reached
/// the provider; every call Baohao makes is safe to repeat (queries, or requests keyed by order id).
public enum ProviderCallError: Error, Sendable, Equatable {
    case transport(String)
    case httpStatus(Int, code: String?)
    case badSignature
    case malformed(String)
    case responseTooLarge
}

/// URLSession with a bounded timeout and response size.
public struct URLSessionProviderHTTPClient: ProviderHTTPClient {
    let timeoutSeconds: TimeInterval
    /// Largest response body accepted.
    public static let maximumResponseBytes = 1 << 20

    public init(timeoutSeconds: TimeInterval = 15) {
        self.timeoutSeconds = timeoutSeconds
    }

    public func send(_ request: ProviderHTTPRequest) async throws -> ProviderHTTPResponse {
        guard let url = URL(string: request.url) else { throw ProviderCallError.transport("bad url") }
        var urlRequest = URLRequest(url: url, timeoutInterval: timeoutSeconds)
        urlRequest.httpMethod = request.method
        if !request.body.isEmpty { urlRequest.httpBody = Data(request.body) }
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: urlRequest)
        } catch {
            throw ProviderCallError.transport((error as? URLError)?.code.rawValue.description ?? "network error")
        }
        guard data.count <= Self.maximumResponseBytes else { throw ProviderCallError.responseTooLarge }
        guard let http = response as? HTTPURLResponse else { throw ProviderCallError.transport("not http") }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return ProviderHTTPResponse(status: http.statusCode, headers: headers, body: Array(data))
    }
}
