import Foundation

/// A keep-alive plan (保号套餐): what a line pays each month to stay in service.
public struct Plan: Hashable, Sendable, Codable {
    /// Short stable code, e.g. `KEEP5`.
    public let code: String
    /// Name shown to people, e.g. `保号套餐 5元/月`.
    public let name: String
    /// Name shown in the English interface, e.g. `Keep-alive plan, ¥5/month`; when `nil`, the
    /// English interface names the plan by its code and fee rather than show Chinese.
    public let englishName: String?
    public let monthlyFee: Money
    /// The retention policy lines on this plan follow; `nil`: no lifecycle (the operator runs it by hand).
    public let policyCode: String?

    public init(code: String, name: String, englishName: String? = nil, monthlyFee: Money, policyCode: String? = nil)
        throws(ValidationError)
    {
        let trimmed = code.trimmingCharacters(in: .whitespaces)
        guard (1...32).contains(trimmed.count),
            trimmed.unicodeScalars.allSatisfy({
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-")
            })
        else { throw ValidationError(field: "code", reason: .invalidFormat) }
        guard (1...64).contains(name.count) else { throw ValidationError(field: "name", reason: .invalidFormat) }
        if let englishName,
            !(1...64).contains(englishName.count)
                || englishName.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        {
            throw ValidationError(field: "name_en", reason: .invalidFormat)
        }
        guard monthlyFee.amountMinor >= 0, monthlyFee.amountMinor <= 1_000_000 else {
            throw ValidationError(field: "monthly_fee", reason: .outOfRange)
        }
        self.code = trimmed
        self.name = name
        self.englishName = englishName
        self.monthlyFee = monthlyFee
        self.policyCode = policyCode
    }

    /// The name in `language`: the English name, or the code and monthly fee, in English.
    public func displayName(_ language: Language) -> String {
        switch language {
        case .zh: name
        case .en: englishName ?? "\(code), \(monthlyFee.formatted)/month"
        }
    }
}
