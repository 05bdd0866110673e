import Foundation

extension RetentionEngine {
    /// Where a line stands when its plan follows no retention policy: the plan's monthly fee,
    /// due on the 1st of each month in Beijing time, against the balance.
    ///
    /// A balance that pays `k` whole fees keeps the line funded through `k` due dates; the next
    /// due date is the deadline. A line in arrears has its deadline today, and a recharge of the
    /// arrears is what restores it. No later stages are scheduled: without a policy the operator
    /// moves such lines by hand. A free plan has no deadline.
    public static func assess(_ line: Line, plan: Plan, now: Date) -> RetentionAssessment {
        let fee = plan.monthlyFee
        guard line.status != .reclaimed, fee.amountMinor > 0, fee.currency == line.balance.currency else {
            return RetentionAssessment(
                stage: line.status, deadline: nil, lapseReason: nil, nextStage: nil, nextStageOn: nil, schedule: [], action: .none,
                policy: nil)
        }
        let today = LocalDate(now, in: Deadline.mainlandTimeZone)
        let balance = line.balance.amountMinor
        if balance < 0 {
            let arrears = Money(-balance, line.balance.currency)
            return RetentionAssessment(
                stage: line.status, deadline: today, lapseReason: .arrears, nextStage: nil, nextStageOn: nil, schedule: [],
                action: line.status == .active
                    ? .recharge(atLeast: arrears, before: today) : .restore(atLeast: arrears, before: nil, then: nil),
                policy: nil)
        }
        let covered = balance / fee.amountMinor
        let deadline = today.nextDay(ofMonth: 1).adding(months: Int(min(covered, 1200)))
        // One more fee than the balance pays moves the deadline a month on.
        let needed = Money((covered + 1) * fee.amountMinor - balance, fee.currency)
        return RetentionAssessment(
            stage: line.status, deadline: deadline, lapseReason: .arrears, nextStage: nil, nextStageOn: nil, schedule: [],
            action: .recharge(atLeast: needed, before: deadline), policy: nil)
    }
}
