import Foundation

/// Where a recharge card (充值卡) stands. `expired` is not stored: a card not used by the end of
/// its last day (Beijing time) is expired whatever its stored state (``Voucher/state(at:)``).
public enum VoucherState: String, Sendable, Codable, CaseIterable {
    /// Printed, not sold: cannot be redeemed.
    case issued
    /// Sold (activated by batch or serial range): redeemable once.
    case active
    /// Redeemed onto a line.
    case used
    /// Held back (a stolen shipment): cannot be redeemed until unfrozen.
    case frozen
    /// Past its last day, never used.
    case expired
}

/// A recharge card: its serial (printed in clear), a keyed hash of its PIN (the PIN itself is
/// never stored), its face value and last day.
public struct Voucher: Sendable, Hashable {
    public let serial: String
    public let batchID: String
    /// HMAC-SHA256 of the PIN under the server's voucher key, hex (``VoucherCodes/pinHash(_:key:)``).
    public let pinHash: String
    public let face: Money
    /// The last Beijing day it can be redeemed on.
    public let expiresOn: LocalDate
    public var stored: VoucherState
    /// When it was sold (activated); its face value is owed from then until it is used.
    public var activatedAt: Date?
    public var usedAt: Date?
    public var usedOrderID: String?
    /// The number it was redeemed onto, masked.
    public var usedOnMasked: String?
    public var frozenReason: String?

    public init(
        serial: String, batchID: String, pinHash: String, face: Money, expiresOn: LocalDate, stored: VoucherState, activatedAt: Date? = nil, usedAt: Date? = nil,
        usedOrderID: String? = nil, usedOnMasked: String? = nil, frozenReason: String? = nil
    ) {
        self.serial = serial
        self.batchID = batchID
        self.pinHash = pinHash
        self.face = face
        self.expiresOn = expiresOn
        self.stored = stored
        self.activatedAt = activatedAt
        self.usedAt = usedAt
        self.usedOrderID = usedOrderID
        self.usedOnMasked = usedOnMasked
        self.frozenReason = frozenReason
    }

    /// The first instant it is expired: the Beijing midnight after its last day.
    public var expiresAt: Date { expiresOn.adding(days: 1).startOfDay(in: Deadline.mainlandTimeZone) }

    /// Its state at `now`: expired once past its last day unless it was used.
    public func state(at now: Date) -> VoucherState {
        stored != .used && now >= expiresAt ? .expired : stored
    }
}

/// A batch of cards issued together: one face value, one last day, serials in one run.
public struct VoucherBatch: Sendable, Hashable {
    public let id: String
    public let face: Money
    public let count: Int
    public let expiresOn: LocalDate
    /// The first and last serial of the batch's run.
    public let firstSerial: String
    public let lastSerial: String
    public let createdBy: String
    public let createdAt: Date

    public init(
        id: String, face: Money, count: Int, expiresOn: LocalDate, firstSerial: String, lastSerial: String, createdBy: String,
        createdAt: Date
    ) {
        self.id = id
        self.face = face
        self.count = count
        self.expiresOn = expiresOn
        self.firstSerial = firstSerial
        self.lastSerial = lastSerial
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

/// One change to cards, for the audit trail: who did what to which serials, when and why.
public struct VoucherEvent: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case issued, activated, frozen, unfrozen, redeemed
    }

    public let id: String
    public let kind: Kind
    public let batchID: String?
    public let fromSerial: String
    public let toSerial: String
    /// Cards the change moved.
    public let count: Int
    public let by: String
    public let reason: String?
    public let at: Date

    public init(
        id: String, kind: Kind, batchID: String?, fromSerial: String, toSerial: String, count: Int, by: String, reason: String?, at: Date
    ) {
        self.id = id
        self.kind = kind
        self.batchID = batchID
        self.fromSerial = fromSerial
        self.toSerial = toSerial
        self.count = count
        self.by = by
        self.reason = reason
        self.at = at
    }
}
