import Foundation

/// An operator's keep-alive rules for one kind of line, as loaded from a policy file.
///
/// A line lapses on the earliest day any of its rules fails; after that it walks the policy's
/// phases (grace, suspended 单停, barred 双停) and is reclaimed when the last one ends. Versions of
/// one policy share a `code`; the version in force on a day is the newest whose `effectiveFrom`
/// is not after it.
public struct RetentionPolicy: Hashable, Sendable {
    public let code: String
    public let version: Int
    public let effectiveFrom: LocalDate
    public let nameZh: String
    public let nameEn: String
    public let operatorName: String
    /// Where the rules were read, newest first. Every shipped policy cites at least one.
    public let sources: [String]
    public let notes: String
    public let timeZone: TimeZone
    public let currency: Currency
    public let monthlyFee: MonthlyFeeRule?
    public let activity: ActivityRule?
    public let validity: ValidityRule?
    public let minimumBalance: MinimumBalanceRule?
    /// Stages after the lapse day, in order; the day after the last one ends the line is reclaimed.
    public let afterLapse: [Phase]
    /// Days a reclaimed number waits before it may be given to a new line.
    public let quarantineDays: Int
    public let reminders: ReminderRule

    /// `code@version`, recorded with every stage change.
    public var reference: String { "\(code)@\(version)" }

    public func name(_ language: Language) -> String { language == .zh ? nameZh : nameEn }

    public init(
        code: String, version: Int, effectiveFrom: LocalDate, nameZh: String, nameEn: String, operatorName: String,
        sources: [String], notes: String, timeZone: TimeZone, currency: Currency, monthlyFee: MonthlyFeeRule?,
        activity: ActivityRule?, validity: ValidityRule?, minimumBalance: MinimumBalanceRule?, afterLapse: [Phase],
        quarantineDays: Int, reminders: ReminderRule
    ) {
        self.code = code
        self.version = version
        self.effectiveFrom = effectiveFrom
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.operatorName = operatorName
        self.sources = sources
        self.notes = notes
        self.timeZone = timeZone
        self.currency = currency
        self.monthlyFee = monthlyFee
        self.activity = activity
        self.validity = validity
        self.minimumBalance = minimumBalance
        self.afterLapse = afterLapse
        self.quarantineDays = quarantineDays
        self.reminders = reminders
    }
}

/// Arrears-based (mainland China): a fee is deducted every month, even into arrears; the line
/// lapses on the day its balance first goes below zero.
public struct MonthlyFeeRule: Hashable, Sendable {
    public let fee: Money
    /// The day of the month the fee falls due, 1–28.
    public let dayOfMonth: Int
}

/// Activity-based: a qualifying event at least once per period, else the line lapses.
public struct ActivityRule: Hashable, Sendable {
    public enum Period: Hashable, Sendable {
        case days(Int)
        case months(Int)
    }

    public let period: Period
    /// What counts (e.g. a recharge, a chargeable call, SMS or data session).
    public let counts: Set<ActivityKind>

    /// The lapse day for a line last active on `day`.
    public func lapse(lastActive day: LocalDate) -> LocalDate {
        switch period {
        case .days(let n): return day.adding(days: n)
        case .months(let n): return day.adding(months: n)
        }
    }
}

/// What a subscriber did that an activity rule may count.
public enum ActivityKind: String, Hashable, Sendable, CaseIterable, Codable {
    case recharge
    case call
    case sms
    case data
    /// An incoming call (TRAI counts it; most operators do not).
    case incoming
}

/// Validity by amount: each recharge extends the line's validity by the days its amount buys.
public struct ValidityRule: Hashable, Sendable {
    public struct Tier: Hashable, Sendable {
        /// The smallest recharge this tier applies to.
        public let from: Money
        public let days: Int
    }

    /// Ascending by `from`.
    public let tiers: [Tier]
    /// Days of validity a new line starts with.
    public let initialDays: Int
    /// `true`: days add to what is left; `false`: validity becomes the later of the old end and today + days.
    public let accumulate: Bool
    /// The furthest validity may reach from today.
    public let maximumDays: Int?

    /// Days a recharge of `amount` buys; `nil` below the smallest tier.
    public func days(for amount: Money) -> Int? {
        tiers.last(where: { amount.amountMinor >= $0.from.amountMinor })?.days
    }

    /// The new last-valid boundary (the lapse day) after a recharge of `amount` on `today`.
    public func extended(lapse current: LocalDate?, by amount: Money, today: LocalDate) -> LocalDate? {
        guard let days = days(for: amount) else { return current }
        let base = max(current ?? today, today)
        var candidate = accumulate ? base.adding(days: days) : max(base, today.adding(days: days))
        if let maximumDays { candidate = min(candidate, today.adding(days: maximumDays)) }
        return max(candidate, current ?? candidate)
    }
}

/// Minimum balance (India, TRAI 2013): after `afterInactiveDays` without use, `charge` is taken
/// every `extendsDays` while the balance covers it; when it no longer does, the line lapses.
public struct MinimumBalanceRule: Hashable, Sendable {
    public let afterInactiveDays: Int
    public let charge: Money
    public let extendsDays: Int
}

/// One stage after the lapse day and how many days it lasts.
public struct Phase: Hashable, Sendable {
    public let stage: LineStatus
    public let days: Int
}

/// When to warn.
public struct ReminderRule: Hashable, Sendable {
    /// Days before each deadline, e.g. 30, 7, 1 (descending).
    public let beforeDays: [Int]
    /// Warn once per deadline when the balance falls below this.
    public let lowBalanceBelow: Money?
}
