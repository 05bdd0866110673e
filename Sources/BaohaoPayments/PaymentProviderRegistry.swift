import BaohaoDomain

/// The enabled providers, looked up by payment method or by name.
public struct PaymentProviderRegistry: Sendable {
    public let providers: [any PaymentProvider]

    public init(_ providers: [any PaymentProvider]) {
        self.providers = providers
    }

    /// The methods a payer may choose, in a stable order.
    public var enabledMethods: [PaymentMethod] {
        PaymentMethod.allCases.filter { method in providers.contains { $0.methods.contains(method) } }
    }

    public func provider(for method: PaymentMethod) -> (any PaymentProvider)? {
        providers.first { $0.methods.contains(method) }
    }

    public func provider(named name: String) -> (any PaymentProvider)? {
        providers.first { $0.name == name }
    }
}
