import BaohaoDomain
import Foundation

/// The sandbox's notification body:
/// `{"event_id", "order_id", "provider_txn_id", "status": "succeeded"|"failed", "amount": {money}, "paid_at"}`.
public struct SandboxNotification: Codable, Sendable, Hashable {
    public let eventID: String
    public let orderID: String
    public let providerTransactionID: String
    public let status: String
    public let amount: Money
    /// ISO 8601 time the payer approved or declined.
    public let paidAt: String

    enum CodingKeys: String, CodingKey {
        case eventID = "event_id"
        case orderID = "order_id"
        case providerTransactionID = "provider_txn_id"
        case status
        case amount
        case paidAt = "paid_at"
    }

    public init(eventID: String, orderID: String, providerTransactionID: String, status: String, amount: Money, paidAt: String) {
        self.eventID = eventID
        self.orderID = orderID
        self.providerTransactionID = providerTransactionID
        self.status = status
        self.amount = amount
        self.paidAt = paidAt
    }

    /// The body's bytes, as the sandbox sends and signs them.
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try! encoder.encode(self))
    }
}
