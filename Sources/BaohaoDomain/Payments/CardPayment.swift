import Foundation

/// A bank card keyed in by the payer (card not present): held only for the charge, never stored,
/// logged or printed. `description` and reflection show only the last four digits.
public struct CardDetails: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The primary account number, digits only.
    public let number: String
    public let expiryMonth: Int
    /// Four digits (2029).
    public let expiryYear: Int
    /// CVV2 / CVC2.
    public let securityCode: String

    /// Checks keyed-in digits: 12–19 digits passing the Luhn check, an expiry `MMYY` with a real
    /// month, and a 3–4 digit security code. Names the first part that is wrong.
    public init(number: String, expiry: String, securityCode: String) throws(CardEntryError) {
        guard Self.isCardNumber(number) else { throw .number }
        guard let expiry = Self.expiry(expiry) else { throw .expiry }
        guard Self.isSecurityCode(securityCode) else { throw .securityCode }
        self.number = number
        self.expiryMonth = expiry.month
        self.expiryYear = expiry.year
        self.securityCode = securityCode
    }

    /// The last four digits, the only part that is kept.
    public var last4: String { String(number.suffix(4)) }

    public var description: String { "card ••••\(last4)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["last4": last4]) }

    /// 12–19 digits that pass the Luhn (mod 10) check.
    public static func isCardNumber(_ digits: String) -> Bool {
        guard (12...19).contains(digits.utf8.count), digits.isAllASCIIDigits else { return false }
        var sum = 0
        for (index, byte) in digits.utf8.reversed().enumerated() {
            var digit = Int(byte - 48)
            if index % 2 == 1 {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
        }
        return sum % 10 == 0
    }

    /// `MMYY` → month and four-digit year, or `nil`.
    public static func expiry(_ text: String) -> (month: Int, year: Int)? {
        guard text.utf8.count == 4, text.isAllASCIIDigits, let month = Int(text.prefix(2)),
            let year = Int(text.suffix(2)), (1...12).contains(month)
        else { return nil }
        return (month, 2000 + year)
    }

    public static func isSecurityCode(_ text: String) -> Bool {
        (3...4).contains(text.utf8.count) && text.isAllASCIIDigits
    }
}

/// Which part of a keyed-in card is wrong.
public enum CardEntryError: Error, Sendable, Hashable {
    case number
    case expiry
    case securityCode
}

/// A card-not-present charge for an order.
public struct CardChargeRequest: Sendable, CustomStringConvertible {
    public let orderID: String
    public let total: Money
    public let card: CardDetails
    public let description: String

    public init(orderID: String, total: Money, card: CardDetails, description: String) {
        self.orderID = orderID
        self.total = total
        self.card = card
        self.description = description
    }
}

/// What the card acquirer answered.
public enum CardChargeOutcome: Sendable, Hashable {
    /// Charged: the event to credit the order with, and the card's last four digits.
    case approved(PaymentEvent, cardLast4: String)
    /// Refused (a decline code such as `card_declined`, `insufficient_funds`, `expired_card`).
    case declined(reason: String)
    /// No answer (a timeout): ask the acquirer later, never assume either way.
    case unknown
}

/// The narrow port a keyed-in card is charged through (the IVR's card payment). One charge per
/// order: a repeated charge for the same order id is answered from the first and takes no money.
public protocol CardPayment: Sendable {
    /// The provider's name, as in ledger accounts and payment keys.
    var name: String { get }
    /// The order's payment method for charges through this port.
    var method: PaymentMethod { get }

    func charge(_ request: CardChargeRequest) async throws -> CardChargeOutcome
}
