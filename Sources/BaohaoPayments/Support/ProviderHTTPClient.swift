import Foundation

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
