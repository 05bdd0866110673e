import Foundation

/// Credited recharges of one channel and payment method over a period.
public struct RechargeTally: Sendable, Hashable {
    public let channel: String
    public let paymentMethod: String
    public let count: Int
    /// Credited to lines.
    public let amount: Money
    /// Handling fees on top (taken, not credited).
    public let fees: Money

    public init(channel: String, paymentMethod: String, count: Int, amount: Money, fees: Money) {
        self.channel = channel
        self.paymentMethod = paymentMethod
        self.count = count
        self.amount = amount
        self.fees = fees
    }
}

/// What the console's first page shows.
public struct StaffDashboard: Sendable {
    /// The business day the tallies cover (Beijing time).
    public let day: LocalDate
    public let tallies: [RechargeTally]
    /// Lines per stage, every stage listed.
    public let stages: [(stage: LineStatus, count: Int)]
    /// Lines whose schedule reaches 已回收 within ``StaffService/reclaimWindowDays`` days, soonest first.
    public let reclaims: [(line: Line, on: LocalDate)]
    /// More lapsed lines exist than were examined for ``reclaims``.
    public let reclaimsTruncated: Bool
    public let rejectedToday: Int
    /// The latest refused payment notifications; empty for operators.
    public let rejected: [NotificationRecord]
    public let charts: DashboardCharts
}

/// Everything the console shows about one line.
public struct LineDossier: Sendable {
    public let line: Line
    public let assessment: RetentionAssessment
    public let transfers: [Transfer]
    public let orders: [RechargeOrder]
    public let stageChanges: [StageChange]
}
