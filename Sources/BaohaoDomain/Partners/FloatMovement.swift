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
/// Each points at the ledger transfer that made it; `baohao verify` proves they agree. The move's
/// own fields (`id`, `kind`, `reference`, `availableChange` …) read through it.
@dynamicMemberLookup
public struct FloatMovement: Sendable, Hashable {
    /// What moved, as the service asked for it.
    public let move: FloatMove
    /// The movement's place in the partner's float: 1, 2, 3 … with no gaps (the partner row's
    /// counter, moved in the same update as the float), so the statement's order is the ledger's.
    public let sequence: Int64
    /// The float after this movement.
    public let after: PartnerFloat

    public init(_ move: FloatMove, sequence: Int64, after: PartnerFloat) {
        self.move = move
        self.sequence = sequence
        self.after = after
    }

    public subscript<T>(dynamicMember field: KeyPath<FloatMove, T>) -> T { move[keyPath: field] }
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
