import BaohaoDomain
import Foundation

/// How an offer reads where the payer chooses (the portal's amount grid, the IVR read-back, the
/// counter screen): "送¥20.00", and a line per promotion with its time left and, when its budget
/// counts bonuses, 剩余名额.
enum PromotionText {
    /// The badge beside a face value: "送¥20.00" / "+¥20.00 free".
    static func badge(_ offer: PromotionOffer, _ language: Language) -> String {
        language == .zh ? "送\(offer.bonus.formatted)" : "+\(offer.bonus.formatted) free"
    }

    /// "充50/100送20 · 剩2天 · 剩余名额 950" for the promotions behind `offers`, each once.
    static func lines(_ offers: some Collection<PromotionOffer>, now: Date, _ language: Language) -> [String] {
        var seen: Set<String> = []
        return offers.sorted { $0.promotion.code < $1.promotion.code }.compactMap { offer in
            let p = offer.promotion
            guard seen.insert(p.code).inserted else { return nil }
            let label = PromotionLabel.text(p, language)
            var parts = [language == .zh ? "\(p.name(language))（\(label)）" : "\(p.name(language)) (\(label))"]
            parts.append(timeLeft(until: p.effectiveEnd, now: now, language))
            if let remaining = p.budget.remainingCount(after: p.used) {
                parts.append(language == .zh ? "剩余名额 \(remaining)" : "\(remaining) left")
            }
            if let methods = p.paymentMethods {
                let names = methods.map { $0.displayName(language) }.joined(separator: language == .zh ? "、" : ", ")
                parts.append(language == .zh ? "限\(names)" : "\(names) only")
            }
            return parts.joined(separator: " · ")
        }
    }

    /// "剩2天" / "剩5小时" / "剩12分钟" (and English).
    static func timeLeft(until end: Date, now: Date, _ language: Language) -> String {
        let seconds = max(Int(end.timeIntervalSince(now)), 0)
        let (value, zh, en): (Int, String, String) =
            seconds >= 86_400
            ? (seconds / 86_400, "天", "day") : seconds >= 3_600 ? (seconds / 3_600, "小时", "hour") : (max(seconds / 60, 1), "分钟", "minute")
        return language == .zh ? "剩\(value)\(zh)" : "ends in \(value) \(en)\(value == 1 ? "" : "s")"
    }
}
