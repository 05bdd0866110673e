import Foundation

/// The first deadline of a line: the date its balance runs out at its plan's monthly fee.
///
/// Fees fall due on the first day of each calendar month in the operator's time zone. A balance
/// that pays `k` whole fees keeps the line funded through `k` due dates; the next due date is the
/// deadline — the day by which the subscriber must recharge. A free plan has no deadline.
/// The retention engine (policies per operator) refines this later.
public enum Deadline {
    /// The operator's time zone for mainland plans.
    public static let mainlandTimeZone = TimeZone(identifier: "Asia/Shanghai")!

    /// The deadline as a calendar date (`yyyy-MM-dd` in `timeZone`), or `nil` for a free plan.
    public static func firstDeadline(
        balance: Money, monthlyFee: Money, asOf now: Date, timeZone: TimeZone = mainlandTimeZone
    ) -> DateComponents? {
        guard monthlyFee.amountMinor > 0 else { return nil }
        let coveredFees = balance.amountMinor > 0 ? balance.amountMinor / monthlyFee.amountMinor : 0
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let today = calendar.dateComponents([.year, .month], from: now)
        // The next due date is the first of next month; each covered fee moves it one month on.
        let monthsAhead = Int(min(coveredFees, 12 * 200)) + 1
        var components = DateComponents(year: today.year, month: today.month, day: 1)
        let firstOfMonth = calendar.date(from: components)!
        let due = calendar.date(byAdding: .month, value: monthsAhead, to: firstOfMonth)!
        components = calendar.dateComponents([.year, .month, .day], from: due)
        return components
    }

    /// `yyyy-MM-dd` for a date returned by ``firstDeadline(balance:monthlyFee:asOf:timeZone:)``.
    public static func isoDate(_ components: DateComponents) -> String {
        String(format: "%04d-%02d-%02d", components.year ?? 0, components.month ?? 0, components.day ?? 0)
    }
}
