import Foundation

/// A partner's wholesale price: a discount in basis points off the face value, by default and per
/// face value. The partner pays the face value less the discount, rounded up to the fen; a new
/// partner pays face value until an operator sets its pricing.
public struct PartnerPricing: Sendable, Hashable, Codable {
    /// The discount for face values not listed in ``byAmount``, in basis points (200 = 2 %).
    public let discountBasisPoints: Int64
    /// Discounts for particular face values: minor units → basis points.
    public let byAmount: [Int64: Int64]

    public init(discountBasisPoints: Int64, byAmount: [Int64: Int64] = [:]) {
        self.discountBasisPoints = discountBasisPoints
        self.byAmount = byAmount
    }

    /// No discount: the partner pays face value.
    public static let faceValue = PartnerPricing(discountBasisPoints: 0)

    /// The largest discount an operator may give: 30 %.
    public static let maximumBasisPoints: Int64 = 3_000
    /// Most face values with their own discount.
    public static let maximumEntries = 50

    /// Checks pricing an operator sent, naming the first field that is wrong.
    public static func validated(discountBasisPoints: Int64, byAmount: [String: Int64]) throws(ValidationError) -> PartnerPricing {
        guard (0...maximumBasisPoints).contains(discountBasisPoints) else {
            throw ValidationError(field: "discount_bps", reason: .outOfRange, detail: "0–\(maximumBasisPoints)")
        }
        guard byAmount.count <= maximumEntries else {
            throw ValidationError(field: "by_amount", reason: .outOfRange, detail: "at most \(maximumEntries) face values")
        }
        var entries: [Int64: Int64] = [:]
        for (key, value) in byAmount.sorted(by: { $0.key < $1.key }) {
            guard key.isAllASCIIDigits, key.count <= 8, let face = Int64(key), face > 0, face <= ChannelPolicy.ceilingMinor else {
                throw ValidationError(field: "by_amount", reason: .invalidFormat, detail: "keys are face values in fen, e.g. \"10000\"")
            }
            guard (0...maximumBasisPoints).contains(value) else {
                throw ValidationError(field: "by_amount.\(key)", reason: .outOfRange, detail: "0–\(maximumBasisPoints)")
            }
            entries[face] = value
        }
        return PartnerPricing(discountBasisPoints: discountBasisPoints, byAmount: entries)
    }

    /// The discount that applies to a face value, in basis points.
    public func basisPoints(for faceValue: Money) -> Int64 { byAmount[faceValue.amountMinor] ?? discountBasisPoints }

    /// What the partner pays for `faceValue`: the face value less the discount, rounded up to the fen.
    public func cost(of faceValue: Money) -> Money {
        let keep = 10_000 - basisPoints(for: faceValue)
        return Money((faceValue.amountMinor * keep + 9_999) / 10_000, faceValue.currency)
    }

    enum CodingKeys: String, CodingKey {
        case discountBasisPoints = "discount_bps"
        case byAmount = "by_amount"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        discountBasisPoints = try container.decode(Int64.self, forKey: .discountBasisPoints)
        let text = try container.decode([String: Int64].self, forKey: .byAmount)
        var entries: [Int64: Int64] = [:]
        for (key, value) in text {
            guard let face = Int64(key) else {
                throw DecodingError.dataCorruptedError(forKey: .byAmount, in: container, debugDescription: "face value \(key)")
            }
            entries[face] = value
        }
        byAmount = entries
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(discountBasisPoints, forKey: .discountBasisPoints)
        try container.encode(
            Dictionary(uniqueKeysWithValues: byAmount.map { (String($0.key), $0.value) }), forKey: .byAmount)
    }
}
