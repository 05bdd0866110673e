import BaohaoDomain
import Foundation

/// Times the mainland providers write without a zone: Beijing time, UTC+8, no daylight saving.
public enum ChinaTime {
    /// `2026-11-24 18:30:05` (Alipay) → a Date.
    public static func parseDashed(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count == 19, b[10] == UInt8(ascii: " ") else { return nil }
        var iso = b
        iso[10] = UInt8(ascii: "T")
        return Timestamp.parse(String(decoding: iso, as: UTF8.self) + "+08:00")
    }

    /// `20261124183005` (UnionPay) → a Date.
    public static func parseCompact(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count == 14, b.allSatisfy({ (48...57).contains($0) }) else { return nil }
        let s = String(decoding: b, as: UTF8.self)
        func part(_ from: Int, _ length: Int) -> Substring {
            let start = s.index(s.startIndex, offsetBy: from)
            return s[start..<s.index(start, offsetBy: length)]
        }
        return Timestamp.parse("\(part(0, 4))-\(part(4, 2))-\(part(6, 2))T\(part(8, 2)):\(part(10, 2)):\(part(12, 2))+08:00")
    }

    /// A Date → `2026-11-24 18:30:05` in Beijing time.
    public static func formatDashed(_ date: Date) -> String {
        let iso = Timestamp.format(date.addingTimeInterval(8 * 3600))  // 2026-11-24T10:30:05.000Z shifted
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(8))
    }

    /// A Date → `20261124183005` in Beijing time.
    public static func formatCompact(_ date: Date) -> String {
        formatDashed(date).filter(\.isNumber)
    }

    /// A Date → `2026-11-24T18:30:05+08:00` (WeChat Pay's `time_expire`).
    public static func formatRFC3339(_ date: Date) -> String {
        formatDashed(date).replacingOccurrences(of: " ", with: "T") + "+08:00"
    }
}
