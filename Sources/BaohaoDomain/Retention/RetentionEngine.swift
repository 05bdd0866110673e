import Foundation

/// The retention rules applied to one line: pure functions of the line, its policy and the time.
///
/// Stages are whole local days in the policy's time zone. A line lapses on the earliest day any
/// rule fails; each stage in `afterLapse` follows for its days; then the line is reclaimed.
public enum RetentionEngine {
    /// Most overdue charges taken in one review (a runner that was down for years catches up over several).
    public static let maximumChargesPerReview = 48

    // MARK: New lines

    /// The state a line starts with under `policy`.
    public static func initialState(policy: RetentionPolicy, createdAt: Date, balance: Money) -> RetentionState {
        let today = LocalDate(createdAt, in: policy.timeZone)
        var state = RetentionState(stageSince: createdAt, lastActivityAt: createdAt, reviewAt: createdAt)
        if let fee = policy.monthlyFee {
            state.nextChargeAt = today.nextDay(ofMonth: fee.dayOfMonth)
            if balance.amountMinor < 0 { state.arrearsSince = today }
        }
        if let validity = policy.validity { state.validUntil = today.adding(days: validity.initialDays) }
        if let minimum = policy.minimumBalance { state.nextChargeAt = today.adding(days: minimum.afterInactiveDays) }
        return state
    }

    // MARK: Where a line stands

    /// The day the line lapses if nothing more happens, and which rule makes it lapse.
    public static func lapse(_ line: Line, policy: RetentionPolicy) -> (day: LocalDate, reason: LapseReason)? {
        var candidates: [(LocalDate, LapseReason)] = []
        let state = line.retention
        if let rule = policy.monthlyFee {
            if let since = state.arrearsSince {
                candidates.append((since, .arrears))
            } else if let next = state.nextChargeAt, line.balance.amountMinor >= 0 {
                let covered = line.balance.amountMinor / rule.fee.amountMinor
                candidates.append((next.adding(months: Int(min(covered, 1200))), .arrears))
            } else if line.balance.amountMinor < 0 {
                candidates.append((LocalDate(line.createdAt, in: policy.timeZone), .arrears))
            }
        }
        if let rule = policy.activity {
            candidates.append((rule.lapse(lastActive: LocalDate(state.lastActivityAt, in: policy.timeZone)), .inactivity))
        }
        if policy.validity != nil, let until = state.validUntil {
            candidates.append((until, .validity))
        }
        if let rule = policy.minimumBalance, let next = state.nextChargeAt {
            let affordable = max(0, line.balance.amountMinor / rule.charge.amountMinor)
            candidates.append((next.adding(days: Int(min(affordable, 3650)) * rule.extendsDays), .minimumBalance))
        }
        return candidates.min(by: { $0.0 < $1.0 })
    }

    /// The stages from a lapse day on: each phase, then reclaimed.
    public static func schedule(lapse: LocalDate, policy: RetentionPolicy) -> [RetentionAssessment.ScheduledStage] {
        var day = lapse
        var result: [RetentionAssessment.ScheduledStage] = []
        for phase in policy.afterLapse {
            result.append(.init(stage: phase.stage, startsOn: day))
            day = day.adding(days: phase.days)
        }
        result.append(.init(stage: .reclaimed, startsOn: day))
        return result
    }

    /// The stage the rules put the line in on `day`.
    public static func stage(on day: LocalDate, _ line: Line, policy: RetentionPolicy) -> LineStatus {
        guard let (lapse, _) = lapse(line, policy: policy), day >= lapse else { return .active }
        return schedule(lapse: lapse, policy: policy).last(where: { $0.startsOn <= day })!.stage
    }

    /// Stage, deadline, what comes next and the cheapest action, as of `now`.
    public static func assess(_ line: Line, policy: RetentionPolicy?, now: Date) -> RetentionAssessment {
        guard let policy, line.status != .reclaimed else {
            return RetentionAssessment(
                stage: line.status, deadline: nil, lapseReason: nil, nextStage: nil, nextStageOn: nil, schedule: [], action: .none,
                policy: policy?.reference)
        }
        let today = LocalDate(now, in: policy.timeZone)
        guard let (lapse, reason) = lapse(line, policy: policy) else {
            return RetentionAssessment(
                stage: line.status, deadline: nil, lapseReason: nil, nextStage: nil, nextStageOn: nil, schedule: [], action: .none,
                policy: policy.reference)
        }
        let steps = schedule(lapse: lapse, policy: policy)
        let next = steps.first(where: { $0.startsOn > today })
        var action = action(line, policy: policy, lapse: lapse, reason: reason, before: next?.startsOn ?? lapse)
        // Out of service, the sentence says what a recharge does: it restores the line.
        if line.status != .active, case .recharge(let amount, _) = action {
            action = .restore(atLeast: amount, before: next?.startsOn, then: next?.stage)
        }
        return RetentionAssessment(
            stage: line.status, deadline: lapse, lapseReason: reason, nextStage: next?.stage, nextStageOn: next?.startsOn, schedule: steps,
            action: action, policy: policy.reference)
    }

    static let usageKinds: [ActivityKind] = [.call, .sms, .data]

    static func action(_ line: Line, policy: RetentionPolicy, lapse: LocalDate, reason: LapseReason, before: LocalDate) -> KeepAliveAction {
        switch reason {
        case .arrears:
            guard let rule = policy.monthlyFee else { return .none }
            if line.balance.amountMinor < 0 {
                return .recharge(atLeast: Money(-line.balance.amountMinor, line.balance.currency), before: before)
            }
            // Charges up to and including the lapse day must be covered.
            guard let next = line.retention.nextChargeAt else { return .none }
            var charges: Int64 = 1
            var day = next
            while day < lapse, charges < 1200 {
                day = day.adding(months: 1)
                charges += 1
            }
            return .recharge(
                atLeast: Money(charges * rule.fee.amountMinor - line.balance.amountMinor, line.balance.currency), before: before)
        case .inactivity:
            let kinds = ActivityKind.allCases.filter { policy.activity?.counts.contains($0) ?? false }
            if kinds == [.recharge], let validity = policy.validity {
                return .recharge(atLeast: validity.tiers[0].from, before: before)
            }
            return .use(kinds: kinds, before: before)
        case .validity:
            guard let tier = policy.validity?.tiers.first else { return .none }
            return .recharge(atLeast: tier.from, before: before)
        case .minimumBalance:
            return .use(kinds: usageKinds + [.incoming], before: before)
        }
    }

    // MARK: Changes

    /// A charge the review takes: a monthly fee or a minimum-balance extension.
    public struct Charge: Hashable, Sendable {
        public let lineID: String
        /// `2026-12` for a monthly fee, `2026-12-05` for an extension: one charge per line and period.
        public let period: String
        public let amount: Money
        public let dueOn: LocalDate
        public let kind: TransferKind

        /// The ledger transfer id: the same line and period always make the same id, so a charge
        /// can never be written twice.
        public var transferID: String { "fee:\(lineID):\(period)" }
    }

    /// What a review decided for one line.
    public struct Review: Sendable {
        public var line: Line
        public var charges: [Charge] = []
        public var changes: [StageChange] = []
        public var reminders: [ReminderDue] = []
    }

    /// Takes charges due by `now`, moves the line through the stages it has reached, lists the
    /// reminders due (for `pendingChanges` not yet announced, too) and sets the next review time.
    public static func review(_ line: Line, policy: RetentionPolicy, now: Date, pendingChanges: [StageChange] = []) -> Review {
        var review = Review(line: line)
        guard line.status != .reclaimed else {
            review.line.retention.reviewAt = nil
            return review
        }
        let zone = policy.timeZone
        let today = LocalDate(now, in: zone)
        var taken = 0
        while let due = review.line.retention.nextChargeAt, due <= today, taken < maximumChargesPerReview {
            taken += 1
            let stageThen = stage(on: due, review.line, policy: policy)
            if let rule = policy.monthlyFee {
                if [.active, .grace, .suspended].contains(stageThen) {
                    review.charges.append(
                        Charge(lineID: line.id, period: due.monthKey, amount: rule.fee, dueOn: due, kind: .monthlyFee))
                    review.line.balance = Money(review.line.balance.amountMinor - rule.fee.amountMinor, rule.fee.currency)
                    if review.line.balance.amountMinor < 0, review.line.retention.arrearsSince == nil {
                        review.line.retention.arrearsSince = due
                    }
                }
                review.line.retention.nextChargeAt = due.adding(months: 1)
            } else if let rule = policy.minimumBalance {
                guard review.line.balance.amountMinor >= rule.charge.amountMinor else { break }
                review.charges.append(Charge(lineID: line.id, period: due.iso, amount: rule.charge, dueOn: due, kind: .extensionCharge))
                review.line.balance = Money(review.line.balance.amountMinor - rule.charge.amountMinor, rule.charge.currency)
                review.line.retention.nextChargeAt = due.adding(days: rule.extendsDays)
            } else {
                review.line.retention.nextChargeAt = nil
            }
        }

        let lapse = lapse(review.line, policy: policy)
        let steps = lapse.map { schedule(lapse: $0.day, policy: policy) } ?? []
        let newStage = stage(on: today, review.line, policy: policy)
        if newStage != line.status {
            let order: [LineStatus] = [.active] + steps.map(\.stage)
            let from = order.firstIndex(of: line.status)
            let to = order.firstIndex(of: newStage)!
            var previous = line.status
            if let from, from < to {
                for step in steps where order.firstIndex(of: step.stage)! > from && order.firstIndex(of: step.stage)! <= to {
                    review.changes.append(
                        StageChange(
                            lineID: line.id, from: previous, to: step.stage, effectiveOn: step.startsOn, recordedAt: now,
                            reason: lapse!.reason.rawValue, policy: policy.reference))
                    previous = step.stage
                }
            } else {
                review.changes.append(
                    StageChange(
                        lineID: line.id, from: line.status, to: newStage, effectiveOn: today, recordedAt: now,
                        reason: newStage == .active ? "restored" : lapse?.reason.rawValue ?? "restored", policy: policy.reference))
            }
            review.line.status = newStage
            review.line.retention.stageSince = now
            if newStage == .reclaimed, let reclaimDay = review.changes.last?.effectiveOn {
                review.line.retention.quarantineUntil = reclaimDay.adding(days: policy.quarantineDays).startOfDay(in: zone)
            }
        }

        // Reminders: the newest stage change (recorded now or earlier and not yet announced), the
        // nearest deadline lead that has come, and low balance.
        if let latest = (pendingChanges + review.changes).last {
            review.reminders.append(
                ReminderDue(
                    lineID: line.id, kind: .stageChange, key: "stage:\(latest.to.rawValue):\(latest.effectiveOn.iso)", stage: latest.to,
                    deadline: nil, createdAt: now))
        }
        var reviewDays: [LocalDate] = []
        if newStage != .reclaimed, let lapse {
            let target = steps.first(where: { $0.startsOn > today }) ?? steps.last!
            let targetDay = newStage == .active ? lapse.day : target.startsOn
            let targetStage = newStage == .active ? steps.first!.stage : target.stage
            if targetDay > today {
                reviewDays.append(targetDay)
                let leads = policy.reminders.beforeDays.sorted()
                if let lead = leads.first(where: { targetDay.adding(days: -$0) <= today }) {
                    review.reminders.append(
                        ReminderDue(
                            lineID: line.id, kind: .deadline, key: "deadline:\(lead):\(targetStage.rawValue):\(targetDay.iso)",
                            stage: targetStage, deadline: targetDay, createdAt: now))
                }
                if let nextLead = leads.reversed().map({ targetDay.adding(days: -$0) }).first(where: { $0 > today }) {
                    reviewDays.append(nextLead)
                }
            }
            if newStage == .active, let threshold = policy.reminders.lowBalanceBelow,
                review.line.balance.amountMinor < threshold.amountMinor
            {
                review.reminders.append(
                    ReminderDue(
                        lineID: line.id, kind: .lowBalance, key: "low_balance:\(lapse.day.iso)", stage: steps.first!.stage,
                        deadline: lapse.day, createdAt: now))
            }
        }
        if newStage != .reclaimed, let due = review.line.retention.nextChargeAt, due > today { reviewDays.append(due) }
        review.line.retention.reviewAt = newStage == .reclaimed ? nil : reviewDays.min().map { $0.startOfDay(in: zone) }
        return review
    }

    /// The line after a recharge of `amount` credited at `now`: arrears cleared, validity
    /// extended, activity counted; a stage change if that restores it. The next review is due at
    /// once, so reminders and the next deadline are worked out by the runner.
    public static func afterRecharge(_ line: Line, amount: Money, policy: RetentionPolicy, now: Date) -> (Line, StageChange?) {
        guard line.status != .reclaimed else { return (line, nil) }
        var updated = line
        let today = LocalDate(now, in: policy.timeZone)
        if policy.monthlyFee != nil, updated.balance.amountMinor >= 0 { updated.retention.arrearsSince = nil }
        if let rule = policy.activity, rule.counts.contains(.recharge) {
            updated.retention.lastActivityAt = max(updated.retention.lastActivityAt, now)
        }
        if let rule = policy.validity {
            updated.retention.validUntil = rule.extended(lapse: updated.retention.validUntil, by: amount, today: today)
        }
        return restage(updated, from: line.status, policy: policy, now: now, reason: "recharge")
    }

    /// The line after a counted use (a call, SMS, data session) at `at`.
    public static func afterActivity(_ line: Line, kind: ActivityKind, at: Date, policy: RetentionPolicy, now: Date) -> (Line, StageChange?)
    {
        guard line.status != .reclaimed else { return (line, nil) }
        var updated = line
        if let rule = policy.activity, rule.counts.contains(kind) {
            updated.retention.lastActivityAt = max(updated.retention.lastActivityAt, at)
        }
        if let rule = policy.minimumBalance, kind != .recharge {
            let restart = LocalDate(at, in: policy.timeZone).adding(days: rule.afterInactiveDays)
            updated.retention.nextChargeAt = max(updated.retention.nextChargeAt ?? restart, restart)
        }
        return restage(updated, from: line.status, policy: policy, now: now, reason: "activity")
    }

    static func restage(_ line: Line, from: LineStatus, policy: RetentionPolicy, now: Date, reason: String) -> (Line, StageChange?) {
        var updated = line
        updated.retention.reviewAt = now
        let newStage = stage(on: LocalDate(now, in: policy.timeZone), updated, policy: policy)
        // Only a restoration happens here; moving forward is the runner's work.
        guard newStage == .active, from != .active else { return (updated, nil) }
        updated.status = .active
        updated.retention.stageSince = now
        return (
            updated,
            StageChange(
                lineID: line.id, from: from, to: .active, effectiveOn: LocalDate(now, in: policy.timeZone), recordedAt: now, reason: reason,
                policy: policy.reference)
        )
    }
}
