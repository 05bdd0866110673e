import Foundation

/// Keep-alive plans (保号套餐).
///
/// One of the narrow ports ``StoreSession`` is made of; methods marked "locks" take a row lock on
/// databases that have them.
public protocol PlanRows: Sendable {
    /// Inserts a plan; `false` if one with the same code exists.
    func insertPlan(_ plan: Plan, at: Date) async throws -> Bool
    func plan(code: String) async throws -> Plan?
    func plans() async throws -> [Plan]
}

extension PlanRows where Self: LineRows {
    /// The line with this number and its plan (`nil` if the plan is gone); `nil` for no such line.
    public func lineWithPlan(msisdn: MSISDN) async throws -> (line: Line, plan: Plan?)? {
        guard let line = try await line(msisdn: msisdn) else { return nil }
        return (line, try await plan(code: line.planCode))
    }
}
