/// An amount of money: an integer count of minor units (分 for CNY) and its currency.
///
/// Arithmetic is checked: overflow and mixing currencies throw instead of wrapping or guessing.
public struct Money: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Signed count of minor units.
    public let amountMinor: Int64
    public let currency: Currency

    public init(_ amountMinor: Int64, _ currency: Currency) {
        self.amountMinor = amountMinor
        self.currency = currency
    }

    /// Zero in the given currency.
    public static func zero(_ currency: Currency) -> Money { Money(0, currency) }

    /// Yuan (or other major units) as a convenience for configuration and tests.
    public static func major(_ units: Int64, _ currency: Currency = .cny) -> Money {
        var factor: Int64 = 1
        for _ in 0..<currency.minorUnitExponent { factor *= 10 }
        return Money(units * factor, currency)
    }

    public var isPositive: Bool { amountMinor > 0 }
    public var isNegative: Bool { amountMinor < 0 }

    /// `self + other`, throwing on overflow or currency mismatch.
    public func adding(_ other: Money) throws(MoneyError) -> Money {
        guard currency == other.currency else { throw .currencyMismatch(currency.code, other.currency.code) }
        let (sum, overflow) = amountMinor.addingReportingOverflow(other.amountMinor)
        if overflow { throw .overflow }
        return Money(sum, currency)
    }

    /// `self - other`, throwing on overflow or currency mismatch.
    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        try adding(other.negated())
    }

    /// `-self`, throwing for the one value that cannot be negated.
    public func negated() throws(MoneyError) -> Money {
        guard amountMinor != Int64.min else { throw .overflow }
        return Money(-amountMinor, currency)
    }

    /// `self * factor`, throwing on overflow.
    public func multiplied(by factor: Int64) throws(MoneyError) -> Money {
        let (product, overflow) = amountMinor.multipliedReportingOverflow(by: factor)
        if overflow { throw .overflow }
        return Money(product, currency)
    }

    /// The amount as a decimal string in major units, e.g. `50.00` (no symbol).
    public var decimalString: String {
        let exponent = currency.minorUnitExponent
        let negative = amountMinor < 0
        let magnitude = amountMinor.magnitude
        guard exponent > 0 else { return (negative ? "-" : "") + String(magnitude) }
        var divisor: UInt64 = 1
        for _ in 0..<exponent { divisor *= 10 }
        let whole = magnitude / divisor
        var fraction = String(magnitude % divisor)
        while fraction.count < exponent { fraction = "0" + fraction }
        return (negative ? "-" : "") + "\(whole).\(fraction)"
    }

    /// The amount as people read it, e.g. `¥50.00`.
    public var formatted: String {
        amountMinor < 0 ? "-" + currency.symbol + String(decimalString.dropFirst()) : currency.symbol + decimalString
    }

    public var description: String { "\(decimalString) \(currency.code)" }

    enum CodingKeys: String, CodingKey {
        case amount
        case currency
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.amountMinor = try container.decode(Int64.self, forKey: .amount)
        self.currency = try container.decode(Currency.self, forKey: .currency)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(amountMinor, forKey: .amount)
        try container.encode(currency, forKey: .currency)
    }
}

/// Why a money operation was refused.
public enum MoneyError: Error, Equatable, Sendable {
    case overflow
    case currencyMismatch(String, String)
}
