import Foundation

/// A movement of a partner's float as a service asks for it: everything but its place in the
/// float's sequence and the float it leaves, which the store fills in when it moves the float
/// (``PartnerRows/moveFloat(_:)``).
public struct FloatMove: Sendable, Hashable {
    public let id: String
    public let partnerID: String
    public let kind: FloatMovementKind
    /// The deposit's reference, or the top-up's.
    public let reference: String
    public let topupID: String?
    public let transferID: String
    /// Signed changes to what is available and what is held, in the float's currency.
    public let availableChange: Money
    public let heldChange: Money
    public let at: Date

    public init(
        id: String, partnerID: String, kind: FloatMovementKind, reference: String, topupID: String?, transferID: String,
        availableChange: Money, heldChange: Money, at: Date
    ) {
        self.id = id
        self.partnerID = partnerID
        self.kind = kind
        self.reference = reference
        self.topupID = topupID
        self.transferID = transferID
        self.availableChange = availableChange
        self.heldChange = heldChange
        self.at = at
    }

    /// The movement as recorded: number `sequence` of the partner's float, leaving `after`.
    public func recorded(sequence: Int64, after: PartnerFloat) -> FloatMovement {
        FloatMovement(self, sequence: sequence, after: after)
    }
}
