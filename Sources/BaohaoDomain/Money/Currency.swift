/// An ISO 4217 currency with the number of minor units it uses.
public struct Currency: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The three-letter ISO 4217 code, e.g. `CNY`.
    public let code: String
    /// Minor units per major unit as a power of ten (CNY: 2, JPY: 0).
    public let minorUnitExponent: Int

    /// The currencies Baohao accepts. Unknown codes are rejected rather than guessed.
    public static let known: [String: Currency] = [
        "CNY": Currency(code: "CNY", minorUnitExponent: 2),
        "HKD": Currency(code: "HKD", minorUnitExponent: 2),
        "USD": Currency(code: "USD", minorUnitExponent: 2),
        "EUR": Currency(code: "EUR", minorUnitExponent: 2),
        "GBP": Currency(code: "GBP", minorUnitExponent: 2),
        "IDR": Currency(code: "IDR", minorUnitExponent: 2),
        "INR": Currency(code: "INR", minorUnitExponent: 2),
        "JPY": Currency(code: "JPY", minorUnitExponent: 0),
    ]

    public static let cny = known["CNY"]!

    /// Looks a currency up by its ISO code; `nil` for codes Baohao does not accept.
    public init?(code: String) {
        guard let currency = Currency.known[code] else { return nil }
        self = currency
    }

    private init(code: String, minorUnitExponent: Int) {
        self.code = code
        self.minorUnitExponent = minorUnitExponent
    }

    public var description: String { code }

    /// The symbol shown to people before an amount.
    public var symbol: String {
        switch code {
        case "CNY", "JPY": return "¥"
        case "HKD": return "HK$"
        case "USD": return "$"
        case "EUR": return "€"
        case "GBP": return "£"
        case "IDR": return "Rp"
        case "INR": return "₹"
        default: return code + " "
        }
    }

    public init(from decoder: any Decoder) throws {
        let code = try decoder.singleValueContainer().decode(String.self)
        guard let currency = Currency(code: code) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown currency \(code)"))
        }
        self = currency
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
