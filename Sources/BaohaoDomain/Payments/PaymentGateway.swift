import Foundation

/// The port a payment provider is reached through for what the domain asks of it: start a
/// payment, ask what became of one, give money back.
///
/// What the providers Baohao speaks to have in common:
/// - starting a payment returns what the payer's device needs next (a page to open, a QR code
///   payload), never a synchronous "paid";
/// - a lost notification is recovered by asking the provider's order API (the ``Reconciler``);
/// - a refund is keyed by our id, so repeating the request cannot refund twice.
///
/// Notifications are not part of this port: their bytes are verified by the HTTP layer, which
/// hands the domain a trusted ``PaymentEvent``.
public protocol PaymentGateway: Sendable {
    /// Stable provider name used in ledger accounts and the payments key, e.g. `sandbox`, `alipay`.
    var name: String { get }
    /// The payment methods this provider serves.
    var methods: [PaymentMethod] { get }

    /// Starts a payment for an order.
    func createPayment(_ request: PaymentRequest) async throws -> PaymentSession

    /// Asks the provider what became of an order's payment (for the reconciler).
    func queryPayment(_ query: PaymentQuery) async throws -> PaymentQueryResult

    /// Asks the provider to return money for a payment. Keyed by `refundID`, so repeating the
    /// request cannot refund twice.
    func refund(_ request: RefundRequest) async throws -> RefundResult

    /// Asks what became of a refund asked for before, when the earlier ask may or may not have
    /// arrived (a timeout) or was still under way. `providerRefundID` is the provider's id for it,
    /// if an answer gave one.
    func queryRefund(_ request: RefundRequest, providerRefundID: String?) async throws -> RefundQueryResult
}

extension PaymentGateway {
    /// For a provider whose refund request is itself the query (the same id answers the same
    /// refund with its state): the request again. A refusal of a repeat says nothing about the
    /// first, so it is `unknown`.
    public func queryRefund(_ request: RefundRequest, providerRefundID: String?) async throws -> RefundQueryResult {
        try await queryByRepeating(request)
    }

    /// The refund request again, read as a query: what the default ``queryRefund(_:providerRefundID:)``
    /// does, and what a provider's own query falls back to before the provider has named the refund.
    public func queryByRepeating(_ request: RefundRequest) async throws -> RefundQueryResult {
        switch try await refund(request) {
        case .succeeded(let id): return .succeeded(providerRefundID: id)
        case .processing(let id): return .processing(providerRefundID: id)
        case .refused(let code): return .unknown(code: code)
        }
    }
}

/// The enabled gateways, looked up by payment method or by name.
public struct PaymentGateways: Sendable {
    public let all: [any PaymentGateway]

    public init(_ gateways: [any PaymentGateway]) {
        all = gateways
    }

    /// The methods a payer may choose, in a stable order.
    public var enabledMethods: [PaymentMethod] {
        PaymentMethod.allCases.filter { method in all.contains { $0.methods.contains(method) } }
    }

    public func gateway(for method: PaymentMethod) -> (any PaymentGateway)? {
        all.first { $0.methods.contains(method) }
    }

    public func gateway(named name: String) -> (any PaymentGateway)? {
        all.first { $0.name == name }
    }
}
