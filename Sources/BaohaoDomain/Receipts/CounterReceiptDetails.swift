import Foundation

/// What a counter sale's receipt shows beyond an online one: where, who, how it was paid, and the
/// payer's ID as its last four characters only.
public struct CounterReceiptDetails: Sendable, Hashable {
    public let outletCode: String
    public let outletName: String
    public let outletAddress: String
    /// The clerk's display name (营业员), never the username.
    public let clerkName: String
    public let shiftID: String
    public let tender: Tender
    public let tendered: Money?
    public let change: Money?
    public let cardTerminalRef: String?
    public let idMasked: String?

    public init(
        outletCode: String, outletName: String, outletAddress: String, clerkName: String, shiftID: String, tender: Tender,
        tendered: Money?, change: Money?, cardTerminalRef: String?, idMasked: String?
    ) {
        self.outletCode = outletCode
        self.outletName = outletName
        self.outletAddress = outletAddress
        self.clerkName = clerkName
        self.shiftID = shiftID
        self.tender = tender
        self.tendered = tendered
        self.change = change
        self.cardTerminalRef = cardTerminalRef
        self.idMasked = idMasked
    }
}

/// One printing of a receipt on a thermal printer: the first is the original, every later one a
/// copy (副本) with its number.
public struct ReceiptPrint: Sendable, Hashable {
    public let receiptNumber: String
    /// 1 for the original, 2… for copies.
    public let copyNumber: Int
    public let format: String
    public let printedAt: Date
    /// The member of staff who printed it, when one was signed in.
    public let printedBy: String?

    public var isCopy: Bool { copyNumber > 1 }

    public init(receiptNumber: String, copyNumber: Int, format: String, printedAt: Date, printedBy: String?) {
        self.receiptNumber = receiptNumber
        self.copyNumber = copyNumber
        self.format = format
        self.printedAt = printedAt
        self.printedBy = printedBy
    }
}
