import Foundation

/// Starting an order's payment at its provider, the use case behind the online API and the
/// portal: the request the provider is sent, and the payment kept so that every later look at the
/// order shows the same one.
public struct PaymentService: Sendable {
    /// The ports this service uses, and no others.
    let store: Transactions<any PaymentRows>
    let clock: any WallClock
    /// Where this server is reached: the provider's notify URL and the payer's return page.
    let publicBaseURL: String

    public init(store: any RechargeStore, clock: any WallClock, publicBaseURL: String) {
        self.store = Transactions(store) { $0 }
        self.clock = clock
        self.publicBaseURL = publicBaseURL
    }

    /// What a provider is told when an order's payment starts.
    public func paymentRequest(for order: RechargeOrder, gateway: any PaymentGateway, payer: PayerDevice? = nil) -> PaymentRequest {
        PaymentRequest(
            orderID: order.id, total: order.total, subject: "话费充值 \(order.msisdn.masked) \(order.amount.formatted)",
            notifyURL: "\(publicBaseURL)/v1/payments/\(gateway.name)/notify", returnURL: "\(publicBaseURL)/orders/\(order.id)?from=cashier",
            expiresAt: order.expiresAt, payer: payer)
    }

    /// The order's payment at `gateway`: started once, then the kept one. Throws
    /// ``DomainError/providerUnavailable(_:)`` if the provider cannot be reached or refuses.
    /// `payer` lets the provider choose how the payer pays (WeChat H5 on a phone, a QR code on a
    /// computer); it counts only for the first start.
    public func start(_ order: RechargeOrder, at gateway: any PaymentGateway, payer: PayerDevice? = nil) async throws -> PaymentLink {
        if let link = try await link(orderID: order.id), link.provider == gateway.name { return link }
        let session: PaymentSession
        do {
            session = try await gateway.createPayment(paymentRequest(for: order, gateway: gateway, payer: payer))
        } catch {
            throw DomainError.providerUnavailable(gateway.name)
        }
        return try await keep(
            PaymentLink(
                orderID: order.id, provider: session.provider, payURL: session.payURL, qrCode: session.qrCode,
                providerReference: session.providerReference, createdAt: clock.now()))
    }

    /// The payment kept for an order, if one was started.
    public func link(orderID: String) async throws -> PaymentLink? {
        try await store.read { try await $0.paymentLink(orderID: orderID) }
    }

    /// Keeps the payment a provider started for an order; if another request kept one first,
    /// that one is returned, so an order never shows two different payments.
    func keep(_ link: PaymentLink) async throws -> PaymentLink {
        try await store.write { session in
            if try await session.insertPaymentLink(link) { return link }
            guard let existing = try await session.paymentLink(orderID: link.orderID) else { throw StoreError.conflict }
            return existing
        }
    }
}
