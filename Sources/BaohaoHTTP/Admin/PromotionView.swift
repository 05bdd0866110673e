import BaohaoDomain
import Foundation

/// A promotion in the admin API (and in the body that creates one): its rules, times in RFC 3339
/// at Beijing time (+08:00), and what it has paid (`used`), with explicit nulls.
struct PromotionView: Encodable, Sendable {
    let promotion: Promotion
    let now: Date

    enum CodingKeys: String, CodingKey {
        case code, name, channels, minimum, bonus, budget, used, remaining, status
        case startsAt = "starts_at", endsAt = "ends_at", paymentMethods = "payment_methods", faceValues = "face_values"
        case firstRechargeOnly = "first_recharge_only", perNumberLimit = "per_number_limit", fundedBy = "funded_by"
        case createdBy = "created_by", createdAt = "created_at", endedAt = "ended_at", endedBy = "ended_by", label
    }

    /// `scheduled`, `running` or `ended` at `now`.
    static func status(_ p: Promotion, at now: Date) -> String {
        if p.effectiveEnd <= now { return "ended" }
        return p.startsAt > now ? "scheduled" : "running"
    }

    /// RFC 3339 at Beijing time, e.g. `2027-01-01T00:00:00+08:00`.
    static func beijing(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = Deadline.mainlandTimeZone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxxxx"
        return formatter.string(from: date)
    }

    func encode(to encoder: any Encoder) throws {
        let p = promotion
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(p.code, forKey: .code)
        try c.encode(["zh": p.nameZh, "en": p.nameEn], forKey: .name)
        try c.encode(["zh": PromotionLabel.text(p, .zh), "en": PromotionLabel.text(p, .en)], forKey: .label)
        try c.encode(Self.beijing(p.startsAt), forKey: .startsAt)
        try c.encode(Self.beijing(p.endsAt), forKey: .endsAt)
        try c.encode(p.channels.map(\.rawValue), forKey: .channels)
        try c.encode(p.paymentMethods?.map(\.rawValue), forKey: .paymentMethods)
        try c.encode(p.faceValues, forKey: .faceValues)
        try c.encode(p.minimum, forKey: .minimum)
        switch p.bonus {
        case .fixed(let amount): try c.encode(["fixed": amount], forKey: .bonus)
        case .rate(let bps, let cap): try c.encode(BonusRate(bps: bps, cap: cap), forKey: .bonus)
        }
        switch p.budget {
        case .count(let count): try c.encode(["count": count], forKey: .budget)
        case .amount(let amount): try c.encode(["amount": amount], forKey: .budget)
        }
        try c.encode(Used(count: p.used.count, amount: p.used.amount), forKey: .used)
        try c.encode(Remaining(p), forKey: .remaining)
        try c.encode(p.firstRechargeOnly, forKey: .firstRechargeOnly)
        try c.encode(p.perNumberLimit, forKey: .perNumberLimit)
        try c.encode(p.fundedBy, forKey: .fundedBy)
        try c.encode(Self.status(p, at: now), forKey: .status)
        try c.encode(p.createdBy, forKey: .createdBy)
        try c.encode(Self.beijing(p.createdAt), forKey: .createdAt)
        try c.encode(p.endedAt.map(Self.beijing), forKey: .endedAt)
        try c.encode(p.endedBy, forKey: .endedBy)
    }

    struct BonusRate: Codable {
        let bps: Int
        let cap: Money
    }

    struct Used: Encodable {
        let count: Int
        let amount: Money
    }

    /// What the budget still allows: a count or an amount, the other null.
    struct Remaining: Encodable {
        let count: Int?
        let amount: Money?

        init(_ p: Promotion) {
            switch p.budget {
            case .count(let count):
                self.count = max(count - p.used.count, 0)
                amount = nil
            case .amount(let budget):
                count = nil
                amount = Money(max(budget.amountMinor - p.used.amount.amountMinor, 0), budget.currency)
            }
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(count, forKey: .count)
            try c.encode(amount, forKey: .amount)
        }

        enum CodingKeys: String, CodingKey { case count, amount }
    }
}

/// How a promotion is named to payers: "充100送20", "充值送5%（最高送10元）", with 首充 when it applies.
enum PromotionLabel {
    static func text(_ p: Promotion, _ language: Language, faceValue: Money? = nil) -> String {
        func yuan(_ m: Money) -> String {
            m.amountMinor % 100 == 0 ? String(m.amountMinor / 100) : m.decimalString
        }
        let first = p.firstRechargeOnly ? (language == .zh ? "首充" : "First recharge: ") : ""
        // The face values it applies to: the one paid, the listed ones (up to three), or the minimum.
        let faces: String? = {
            if let faceValue { return yuan(faceValue) }
            if let listed = p.faceValues, listed.count <= 3 { return listed.map(yuan).joined(separator: "/") }
            if let least = p.faceValues?.first ?? p.minimum { return yuan(least) + (language == .zh ? "起" : "+") }
            return nil
        }()
        switch (p.bonus, language) {
        case (.fixed(let bonus), .zh):
            return faces.map { "\(first)充\($0)送\(yuan(bonus))" } ?? "\(first)充值送\(yuan(bonus))元"
        case (.fixed(let bonus), .en):
            return faces.map { "\(first)top up ¥\($0), get ¥\(yuan(bonus)) free" } ?? "\(first)¥\(yuan(bonus)) free on a top-up"
        case (.rate(let bps, let cap), .zh):
            return "\(first)充值送\(percent(bps))（最高送\(yuan(cap))元）"
        case (.rate(let bps, let cap), .en):
            return "\(first)\(percent(bps)) free on a top-up (up to ¥\(yuan(cap)))"
        }
    }

    static func percent(_ bps: Int) -> String {
        bps % 100 == 0 ? "\(bps / 100)%" : String(format: "%.2f%%", Double(bps) / 100).replacingOccurrences(of: "0%", with: "%")
    }
}
