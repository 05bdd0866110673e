import Foundation

/// A clerk's shift (班次) at one outlet's counter: opened with a cash float, closed with the cash
/// counted, when its Z report is numbered and frozen.
public struct Shift: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case open
        case closed
    }

    public let id: String
    public let outletCode: String
    public let clerkID: String
    public var status: Status
    public let openedAt: Date
    /// The cash in the drawer at the start.
    public let openingFloat: Money
    public var closedAt: Date?
    /// The closed shift's Z report, numbered in sequence per outlet with no gaps; never changes.
    public var zReport: ShiftReport?

    public init(
        id: String, outletCode: String, clerkID: String, status: Status, openedAt: Date, openingFloat: Money, closedAt: Date? = nil,
        zReport: ShiftReport? = nil
    ) {
        self.id = id
        self.outletCode = outletCode
        self.clerkID = clerkID
        self.status = status
        self.openedAt = openedAt
        self.openingFloat = openingFloat
        self.closedAt = closedAt
        self.zReport = zReport
    }
}

/// What one tender took in a shift.
public struct TenderTotal: Sendable, Hashable, Codable {
    public let tender: String
    public let count: Int
    public let total: Money

    public init(tender: String, count: Int, total: Money) {
        self.tender = tender
        self.count = count
        self.total = total
    }
}

/// A shift's figures: the X report at any time (it resets nothing), frozen as the Z report at
/// close with the counted cash and the difference.
public struct ShiftReport: Sendable, Hashable, Codable {
    /// The Z number; `nil` in an X report.
    public var number: Int?
    public let shiftID: String
    public let outletCode: String
    public let openingFloat: Money
    /// Sales taken (voided ones included): how many, what the payers paid (face value + fees),
    /// and the fees in it.
    public let salesCount: Int
    public let salesTotal: Money
    public let fees: Money
    /// The same by tender, in the order of ``Tender``, tenders without sales left out.
    public var byTender: [TenderTotal] = []
    /// Voided sales and what they gave back.
    public let voidsCount: Int
    public let voidsTotal: Money
    /// Refunds of earlier sales paid back in this shift (退款支出), all tenders; `nil` in reports
    /// frozen before refunds were paid at counters.
    public var refundsCount: Int?
    public var refundsTotal: Money?
    /// Opening float + cash sales − cash voids − cash refunds paid out.
    public var expectedCash: Money
    /// Set in the Z report.
    public var countedCash: Money?
    /// Counted − expected: positive is over, negative short.
    public var overShort: Money?
    public var note: String?
    public let at: Date

    enum CodingKeys: String, CodingKey {
        case number
        case shiftID = "shift_id"
        case outletCode = "outlet"
        case openingFloat = "opening_float"
        case salesCount = "sales_count"
        case salesTotal = "sales_total"
        case fees
        case byTender = "by_tender"
        case voidsCount = "voids_count"
        case voidsTotal = "voids_total"
        case refundsCount = "refunds_count"
        case refundsTotal = "refunds_total"
        case expectedCash = "expected_cash"
        case countedCash = "counted_cash"
        case overShort = "over_short"
        case note, at
    }

    public init(
        shiftID: String, outletCode: String, openingFloat: Money, salesCount: Int, salesTotal: Money, fees: Money, voidsCount: Int,
        voidsTotal: Money, expectedCash: Money, at: Date
    ) {
        self.shiftID = shiftID
        self.outletCode = outletCode
        self.openingFloat = openingFloat
        self.salesCount = salesCount
        self.salesTotal = salesTotal
        self.fees = fees
        self.voidsCount = voidsCount
        self.voidsTotal = voidsTotal
        self.expectedCash = expectedCash
        self.at = at
    }
}
