import BaohaoDomain
import Foundation

/// Keyed-in cards in the sandbox, for demos and tests, with Stripe's test numbers:
/// - every number is Luhn-checked (`invalid_number` otherwise) and any expiry from this month on is
///   taken (`expired_card` before it);
/// - `4000000000000002` is declined (`card_declined`), `4000000000009995` has `insufficient_funds`;
/// - any other valid number is approved (`4242424242424242`, `5555555555554444`…).
///
/// A charge for an order that was approved before is approved again with the same transaction id,
/// so a retried charge credits nothing twice. Nothing of the card is kept but its last 4 digits.
public struct SandboxCardPayments: CardPayment {
    public let name = "sandbox"
    public let method = PaymentMethod.sandbox
    let clock: any WallClock

    public init(clock: any WallClock) {
        self.clock = clock
    }

    public static let declinedCard = "4000000000000002"
    public static let insufficientFundsCard = "4000000000009995"

    public func charge(_ request: CardChargeRequest) async throws -> CardChargeOutcome {
        let card = request.card
        guard CardDetails.isCardNumber(card.number) else { return .declined(reason: "invalid_number") }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let today = calendar.dateComponents([.year, .month], from: clock.now())
        guard let year = today.year, let month = today.month, (card.expiryYear, card.expiryMonth) >= (year, month) else {
            return .declined(reason: "expired_card")
        }
        switch card.number {
        case Self.declinedCard: return .declined(reason: "card_declined")
        case Self.insufficientFundsCard: return .declined(reason: "insufficient_funds")
        default:
            return .approved(
                PaymentEvent(
                    provider: name, eventID: "sandbox-card:\(request.orderID)", orderID: request.orderID,
                    providerTransactionID: "card-\(request.orderID)", outcome: .succeeded, amount: request.total,
                    occurredAt: clock.now()), cardLast4: card.last4)
        }
    }
}
