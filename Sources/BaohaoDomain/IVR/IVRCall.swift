import Foundation

/// The telephony front end a call came through.
public enum IVRFrontEnd: String, Sendable, Hashable, Codable, CaseIterable {
    /// Asterisk's FastAGI.
    case fastAGI = "fastagi"
    /// Twilio Programmable Voice (TwiML webhooks).
    case twilio
}

/// The record of one hotline call, kept for the operator (staff console) and, for stateless
/// front ends, holding the dialog between requests. The caller's number is kept masked only;
/// of a card, at most the last four digits.
public struct IVRCall: Sendable, Hashable {
    /// `agi:<agi_uniqueid>` or `twilio:<CallSid>`.
    public let id: String
    public let frontEnd: IVRFrontEnd
    /// The calling number masked (`138****8000`), or `withheld`.
    public let callerMasked: String
    public var dialog: IVRDialog
    /// How many inputs the call has taken; a stateless request names the turn it answers.
    public var turn: Int
    /// What the hotline said and asked last, to answer a retried request the same way.
    public var lastTurn: IVRTurn?
    /// The order whose charge is under way, while it is.
    public var chargingOrderID: String?
    /// The order this call paid for: at most one a call.
    public var chargedOrderID: String?
    public var cardLast4: String?
    public let startedAt: Date
    public var updatedAt: Date
    public var endedAt: Date?

    public init(
        id: String, frontEnd: IVRFrontEnd, callerMasked: String, dialog: IVRDialog, turn: Int = 0, lastTurn: IVRTurn? = nil,
        chargingOrderID: String? = nil, chargedOrderID: String? = nil, cardLast4: String? = nil, startedAt: Date, updatedAt: Date,
        endedAt: Date? = nil
    ) {
        self.id = id
        self.frontEnd = frontEnd
        self.callerMasked = callerMasked
        self.dialog = dialog
        self.turn = turn
        self.lastTurn = lastTurn
        self.chargingOrderID = chargingOrderID
        self.chargedOrderID = chargedOrderID
        self.cardLast4 = cardLast4
        self.startedAt = startedAt
        self.updatedAt = updatedAt
        self.endedAt = endedAt
    }

    /// A call id from a front end's own id: printable ASCII, at most 100 characters.
    public static func id(_ frontEnd: IVRFrontEnd, _ raw: String) -> String? {
        guard (1...100).contains(raw.utf8.count), raw.isAllVisibleASCII else { return nil }
        return "\(frontEnd == .fastAGI ? "agi" : "twilio"):\(raw)"
    }

    /// How a calling number is kept: the national significant number with its middle masked.
    public static func mask(caller: String?) -> String {
        guard let caller, !caller.isEmpty else { return "withheld" }
        if let msisdn = try? MSISDN(parsing: caller) { return msisdn.masked }
        let digits = caller.filter(\.isNumber)
        guard digits.count >= 7 else { return "****" }
        return "\(digits.prefix(3))****\(digits.suffix(4))"
    }
}
