import BaohaoDomain
import BaohaoPayments
import Foundation

extension AppServices {
    /// The order's payment at its provider: started once, then shown again from what was kept.
    func paymentSession(for order: RechargeOrder, provider: any PaymentProvider) async throws -> OrderRepresentation.Payment {
        if let link = try await recharges.paymentLink(orderID: order.id), link.provider == provider.name {
            return .init(provider: link.provider, payURL: link.payURL, qrCode: link.qrCode)
        }
        let session: PaymentSession
        do {
            session = try await provider.createPayment(paymentRequest(for: order, provider: provider))
        } catch {
            throw Problem(.badGateway, "provider-unavailable", detail: provider.name)
        }
        let link = try await recharges.keepPaymentLink(
            PaymentLink(
                orderID: order.id, provider: session.provider, payURL: session.payURL, qrCode: session.qrCode,
                providerReference: session.providerReference, createdAt: clock.now()))
        return .init(provider: link.provider, payURL: link.payURL, qrCode: link.qrCode)
    }
}
