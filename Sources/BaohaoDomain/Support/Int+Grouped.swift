extension Int {
    /// With thousands separators, as staff read counts: 49,914.
    public var grouped: String {
        let digits = String(magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (self < 0 ? "-" : "") + out
    }
}

extension Int64 {
    /// With thousands separators (see ``Int/grouped``).
    public var grouped: String { Int(clamping: self).grouped }
}
