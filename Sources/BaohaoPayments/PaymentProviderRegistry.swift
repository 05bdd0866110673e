import BaohaoDomain

/// The enabled providers, looked up by payment method or by name; seen by the domain as
/// ``PaymentGateways``.
public struct PaymentProviderRegistry: Sendable {
    public let providers: [any PaymentProvider]

    public init(_ providers: [any PaymentProvider]) {
        self.providers = providers
    }

    /// The same providers as the domain's gateways.
    public var gateways: PaymentGateways { PaymentGateways(providers) }

    /// The methods a payer may choose, in a stable order.
    public var enabledMethods: [PaymentMethod] { gateways.enabledMethods }

    public func provider(for method: PaymentMethod) -> (any PaymentProvider)? {
        providers.first { $0.methods.contains(method) }
    }

    public func provider(named name: String) -> (any PaymentProvider)? {
        providers.first { $0.name == name }
    }

    /// The payment methods a payer may choose on a channel: enabled here and allowed by its policy.
    public func methods(allowedBy policy: ChannelPolicy) -> [PaymentMethod] {
        enabledMethods.filter(policy.paymentMethods.contains)
    }
}
