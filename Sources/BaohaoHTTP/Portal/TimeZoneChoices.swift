import BaohaoDomain
import Foundation

/// The time zones a reminder may be timed in, as a list rather than free text: where owners of a
/// mainland number who live abroad mostly are, each named in both languages.
enum TimeZoneChoices {
    static let zones: [(id: String, zh: String, en: String)] = [
        ("Asia/Shanghai", "北京时间", "Beijing"), ("Asia/Hong_Kong", "香港", "Hong Kong"), ("Asia/Taipei", "台北", "Taipei"),
        ("Asia/Tokyo", "东京", "Tokyo"), ("Asia/Seoul", "首尔", "Seoul"), ("Asia/Singapore", "新加坡", "Singapore"),
        ("Asia/Kuala_Lumpur", "吉隆坡", "Kuala Lumpur"), ("Asia/Bangkok", "曼谷", "Bangkok"), ("Asia/Jakarta", "雅加达", "Jakarta"),
        ("Asia/Manila", "马尼拉", "Manila"), ("Asia/Kolkata", "印度", "India"), ("Asia/Dubai", "迪拜", "Dubai"),
        ("Europe/Moscow", "莫斯科", "Moscow"), ("Europe/Berlin", "柏林", "Berlin"), ("Europe/Paris", "巴黎", "Paris"),
        ("Europe/London", "伦敦", "London"), ("Africa/Johannesburg", "约翰内斯堡", "Johannesburg"), ("America/Sao_Paulo", "圣保罗", "São Paulo"),
        ("America/New_York", "纽约", "New York"), ("America/Toronto", "多伦多", "Toronto"), ("America/Chicago", "芝加哥", "Chicago"),
        ("America/Denver", "丹佛", "Denver"), ("America/Los_Angeles", "洛杉矶", "Los Angeles"), ("America/Vancouver", "温哥华", "Vancouver"),
        ("Australia/Perth", "珀斯", "Perth"), ("Australia/Sydney", "悉尼", "Sydney"), ("Pacific/Auckland", "奥克兰", "Auckland"),
    ]

    /// The options, the saved zone selected (and listed even when it is not one of ours).
    static func options(selected: String?, language: Language) -> [[String: Any]] {
        var options: [[String: Any]] = [
            ["value": "", "label": language == .zh ? "默认（号码所在地时间）" : "Default (the number's home time)", "selected": selected == nil]
        ]
        var list = zones
        if let selected, !zones.contains(where: { $0.id == selected }) { list.append((selected, selected, selected)) }
        for zone in list {
            options.append([
                "value": zone.id, "label": "\(language == .zh ? zone.zh : zone.en) · \(zone.id)", "selected": zone.id == selected,
            ])
        }
        return options
    }
}
