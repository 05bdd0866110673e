import Foundation

/// Mainland China's calendar: fees fall due, receipts are numbered and business days end in
/// Beijing time. A line's deadline itself is worked out by ``RetentionEngine``.
public enum Deadline {
    /// The operator's time zone for mainland plans.
    public static let mainlandTimeZone = TimeZone(identifier: "Asia/Shanghai")!
}
