/// The operator a number most likely belongs to. Since number portability (2019) the prefix is
/// only a hint; an operator can override it per line.
public enum MobileOperator: String, Sendable, Codable, CaseIterable {
    case chinaMobile = "china_mobile"
    case chinaUnicom = "china_unicom"
    case chinaTelecom = "china_telecom"
    case chinaBroadnet = "china_broadnet"
    case virtualOperator = "mvno"
    case unknown = "unknown"

    /// The name shown to people, Simplified Chinese first.
    public func displayName(_ language: Language) -> String {
        switch (self, language) {
        case (.chinaMobile, .zh): return "中国移动"
        case (.chinaMobile, .en): return "China Mobile"
        case (.chinaUnicom, .zh): return "中国联通"
        case (.chinaUnicom, .en): return "China Unicom"
        case (.chinaTelecom, .zh): return "中国电信"
        case (.chinaTelecom, .en): return "China Telecom"
        case (.chinaBroadnet, .zh): return "中国广电"
        case (.chinaBroadnet, .en): return "China Broadnet"
        case (.virtualOperator, .zh): return "虚拟运营商"
        case (.virtualOperator, .en): return "Virtual operator (MVNO)"
        case (.unknown, .zh): return "未知运营商"
        case (.unknown, .en): return "Unknown operator"
        }
    }

    /// The operator hinted by a mainland mobile number's leading digits (national form, 11 digits),
    /// or `nil` when the number range is not allocated to mobile service.
    public static func mainlandHint(nationalNumber digits: String) -> MobileOperator? {
        guard digits.count == 11, digits.first == "1" else { return nil }
        let prefix4 = String(digits.prefix(4))
        let prefix3 = String(digits.prefix(3))
        if prefix3 == "134" {
            // 1349 is the satellite range, run by China Telecom since 2009.
            return prefix4 == "1349" ? .chinaTelecom : .chinaMobile
        }
        if prefix3 == "170" {
            return .virtualOperator
        }
        // Satellite (Tiantong, China Telecom) and a mobile range whose operator the segment list
        // does not name; both are valid mobile numbers (PyPI phonenumbers agrees).
        if prefix4 == "1740" { return ("0"..."5").contains(Array(digits)[4]) ? .chinaTelecom : nil }
        if prefix4 == "1610" { return .unknown }
        return mainlandPrefixes[prefix3]
    }

    /// Mainland mobile number segments (protocols.md). 134x and 170x are handled above.
    static let mainlandPrefixes: [String: MobileOperator] = {
        var table: [String: MobileOperator] = [:]
        for p in [
            "135", "136", "137", "138", "139", "147", "150", "151", "152", "157", "158", "159", "172", "178",
            "182", "183", "184", "187", "188", "195", "197", "198",
        ] { table[p] = .chinaMobile }
        for p in ["130", "131", "132", "145", "155", "156", "166", "175", "176", "185", "186", "196"] { table[p] = .chinaUnicom }
        for p in ["133", "153", "173", "177", "180", "181", "189", "190", "191", "193", "199"] { table[p] = .chinaTelecom }
        table["192"] = .chinaBroadnet
        for p in ["171", "162", "165", "167"] { table[p] = .virtualOperator }
        return table
    }()
}
