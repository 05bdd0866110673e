import BaohaoDomain

/// Amounts written as decimal strings in major units (Alipay's `total_amount` "50.00").
public enum DecimalAmount {
    /// "50", "50.0", "50.00" → 5000 for a two-decimal currency; `nil` for signs, exponents, more
    /// decimals than the currency has, or anything above a sane bound.
    public static func minorUnits(_ text: String, decimals: Int = 2) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, (1...12).contains(whole.count), whole.allSatisfy(\.isASCIIDigit) else { return nil }
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        guard parts.count == 1 || (1...decimals).contains(fraction.count), fraction.allSatisfy(\.isASCIIDigit) else { return nil }
        fraction += String(repeating: "0", count: decimals - fraction.count)
        guard let major = Int64(whole), let minor = Int64(fraction.isEmpty ? "0" : fraction) else { return nil }
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let (product, overflow) = major.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        return product + minor
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
