import Foundation

/// What the retention engine keeps per line, besides its stage and balance.
public struct RetentionState: Hashable, Sendable {
    /// When the line entered its current stage.
    public var stageSince: Date
    /// The local day the balance last went below zero and has stayed there; `nil` when not in arrears.
    public var arrearsSince: LocalDate?
    /// The last event an activity rule counts.
    public var lastActivityAt: Date
    /// Validity by amount: the first day the line is no longer valid.
    public var validUntil: LocalDate?
    /// The day the next monthly fee or minimum-balance charge falls due.
    public var nextChargeAt: LocalDate?
    /// When the engine must look at this line again; `nil`: never (reclaimed, or no policy).
    public var reviewAt: Date?
    /// A reclaimed number may not be given to a new line before this.
    public var quarantineUntil: Date?

    public init(
        stageSince: Date, arrearsSince: LocalDate? = nil, lastActivityAt: Date, validUntil: LocalDate? = nil,
        nextChargeAt: LocalDate? = nil, reviewAt: Date? = nil, quarantineUntil: Date? = nil
    ) {
        self.stageSince = stageSince
        self.arrearsSince = arrearsSince
        self.lastActivityAt = lastActivityAt
        self.validUntil = validUntil
        self.nextChargeAt = nextChargeAt
        self.reviewAt = reviewAt
        self.quarantineUntil = quarantineUntil
    }
}

/// Why a line lapses: which rule fails first.
public enum LapseReason: String, Sendable, Codable {
    case arrears
    case inactivity
    case validity
    case minimumBalance = "minimum_balance"
}

/// One recorded stage change: what, when, why, under which rule version.
public struct StageChange: Hashable, Sendable {
    public let lineID: String
    public let from: LineStatus
    public let to: LineStatus
    /// The local day the change took effect (a stage boundary, or the day of a recharge).
    public let effectiveOn: LocalDate
    public let recordedAt: Date
    /// `arrears`, `inactivity`, `validity`, `minimum_balance`, `recharge`, `activity`, `manual`.
    public let reason: String
    /// `code@version` of the policy applied.
    public let policy: String

    public init(
        lineID: String, from: LineStatus, to: LineStatus, effectiveOn: LocalDate, recordedAt: Date, reason: String, policy: String
    ) {
        self.lineID = lineID
        self.from = from
        self.to = to
        self.effectiveOn = effectiveOn
        self.recordedAt = recordedAt
        self.reason = reason
        self.policy = policy
    }
}

/// The cheapest thing a subscriber can do to keep the line from its next stage.
public enum KeepAliveAction: Hashable, Sendable {
    /// Recharge at least this much before the day.
    case recharge(atLeast: Money, before: LocalDate)
    /// Any of these counted uses (or a recharge, when it counts) before the day.
    case use(kinds: [ActivityKind], before: LocalDate)
    /// The line is out of service (or in grace): a recharge of at least this much puts it back in
    /// service. `before` is the day the next stage (`then`) starts; `nil` when no policy says.
    case restore(atLeast: Money, before: LocalDate?, then: LineStatus?)
    /// Nothing keeps it: reclaimed, or no policy.
    case none

    /// The sentence shown on pages, receipts, the CLI and in reminders.
    public func text(_ language: Language, currencyFormat: (Money) -> String = { $0.formatted }) -> String {
        switch (self, language) {
        case (.recharge(let amount, let day), .zh): return "请在 \(day.iso) 前充值至少 \(currencyFormat(amount))"
        case (.recharge(let amount, let day), .en): return "Recharge at least \(currencyFormat(amount)) before \(day.iso)"
        case (.use(let kinds, let day), .zh):
            return "请在 \(day.iso) 前进行任意一次计费使用（\(kinds.map(\.chineseName).joined(separator: "、"))）"
        case (.use(let kinds, let day), .en):
            return "Any chargeable use (\(kinds.map(\.rawValue).joined(separator: ", "))) before \(day.iso)"
        case (.restore(let amount, let day, let next), .zh):
            let restores = "充值至少 \(currencyFormat(amount)) 即可恢复正常使用"
            guard let day else { return restores }
            return restores + "；请在 \(day.iso) 前充值，否则将转为\((next ?? .reclaimed).displayName(.zh))"
        case (.restore(let amount, let day, let next), .en):
            let restores = "A recharge of at least \(currencyFormat(amount)) puts it back in service"
            guard let day else { return restores }
            return restores + "; recharge before \(day.iso), when it becomes \((next ?? .reclaimed).displayName(.en).lowercased())"
        case (.none, .zh): return "无需操作"
        case (.none, .en): return "Nothing to do"
        }
    }
}

extension ActivityKind {
    var chineseName: String {
        switch self {
        case .recharge: return "充值"
        case .call: return "通话"
        case .sms: return "短信"
        case .data: return "上网"
        case .incoming: return "接听来电"
        }
    }
}

/// A line's position under its policy at one moment.
public struct RetentionAssessment: Hashable, Sendable {
    public let stage: LineStatus
    /// The day the line lapses (its deadline) if nothing is done; `nil` when no rule can lapse it.
    public let deadline: LocalDate?
    public let lapseReason: LapseReason?
    /// The next stage and the day it starts; `nil` when reclaimed or never.
    public let nextStage: LineStatus?
    public let nextStageOn: LocalDate?
    /// Every stage from the lapse day on, with its first day.
    public let schedule: [ScheduledStage]
    public let action: KeepAliveAction
    public let policy: String?

    public struct ScheduledStage: Hashable, Sendable {
        public let stage: LineStatus
        public let startsOn: LocalDate
    }
}
