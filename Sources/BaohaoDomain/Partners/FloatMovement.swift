import Foundation

/// What moved a partner's float.
public enum FloatMovementKind: String, Sendable, Codable, CaseIterable {
    /// Money the partner prefunded.
    case deposit
    /// A top-up's cost held when it was accepted.
    case hold
    /// A held cost spent when its top-up was credited.
    case capture
    /// A held cost given back when its top-up failed.
    case release
}

/// One movement of a partner's float, with the float it left: the rows of the daily statement.
/// Each points at the ledger transfer that made it; `baohao verify` proves they agree.
public struct FloatMovement: Sendable, Hashable {
    public let id: String
    public let partnerID: String
    /// The movement's place in the partner's float: 1, 2, 3 … with no gaps (the partner row's
    /// counter, moved in the same update as the float), so the statement's order is the ledger's.
    public let sequence: Int64
    public let kind: FloatMovementKind
    /// The deposit's reference, or the top-up's.
    public let reference: String
    public let topupID: String?
    public let transferID: String
    /// Signed changes to what is available and what is held.
    public let availableChange: Money
    public let heldChange: Money
    /// The float after this movement.
    public let after: PartnerFloat
    public let at: Date

    public init(
        id: String, partnerID: String, sequence: Int64, kind: FloatMovementKind, reference: String, topupID: String?, transferID: String,
        availableChange: Money, heldChange: Money, after: PartnerFloat, at: Date
    ) {
        self.id = id
        self.partnerID = partnerID
        self.sequence = sequence
        self.kind = kind
        self.reference = reference
        self.topupID = topupID
        self.transferID = transferID
        self.availableChange = availableChange
        self.heldChange = heldChange
        self.after = after
        self.at = at
    }
}

/// A deposit into a partner's float, kept once per (partner, reference).
public struct PartnerDeposit: Sendable, Hashable {
    public let partnerID: String
    /// The bank slip or transfer reference the operator matched it with.
    public let reference: String
    public let amount: Money
    public let transferID: String
    /// Who recorded it (`admin-token` or `staff:<username>`).
    public let recordedBy: String
    public let at: Date

    public init(partnerID: String, reference: String, amount: Money, transferID: String, recordedBy: String, at: Date) {
        self.partnerID = partnerID
        self.reference = reference
        self.amount = amount
        self.transferID = transferID
        self.recordedBy = recordedBy
        self.at = at
    }
}
