import Foundation

/// A clerk's shift at the counter: opened with a float, read as an X report at any time, closed
/// with the cash counted into a numbered Z report that never changes.
///
/// Who may do what: a clerk opens, reads and closes its own shifts (and reads its outlet's);
/// operators and administrators read every outlet's shifts and never sell.
public struct ShiftService: Sendable {
    /// The ports this service uses, and no others.
    let store: Transactions<any ShiftRows & OutletRows & CounterSaleRows & RefundRows>
    let clock: any WallClock
    let ids: IdentifierFactory

    /// The largest float or count accepted: ¥100,000.
    public static let maximumCash = Money.major(100_000)

    public init(store: any RechargeStore, clock: any WallClock, ids: IdentifierFactory = IdentifierFactory()) {
        self.store = Transactions(store) { $0 }
        self.clock = clock
        self.ids = ids
    }

    /// Opens a shift for `clerk` at its outlet. One open shift per clerk
    /// (``DomainError/shiftAlreadyOpen(_:)``); the outlet must be enabled.
    public func open(by clerk: StaffAccount, openingFloat: Money) async throws -> Shift {
        guard clerk.role == .clerk, let outletCode = clerk.outletCode else { throw DomainError.staffRoleNotAllowed(clerk.role) }
        try Self.checkCash(openingFloat, field: "opening_float")
        let now = clock.now()
        let shift = Shift(
            id: ids.make("sh", at: now), outletCode: outletCode, clerkID: clerk.id, status: .open, openedAt: now, openingFloat: openingFloat
        )
        return try await store.write { session in
            guard let outlet = try await session.outlet(code: outletCode), outlet.isEnabled else {
                throw DomainError.validation(ValidationError(field: "outlet", reason: .notAllowed, detail: "\(outletCode) is disabled"))
            }
            guard try await session.insertShift(shift) else {
                throw DomainError.shiftAlreadyOpen(try await session.openShift(clerkID: clerk.id)?.id ?? "")
            }
            return shift
        }
    }

    /// A shift as `viewer` may see it: a clerk its own outlet's, operators and admins any.
    public func shift(id: String, viewer: StaffAccount) async throws -> Shift {
        guard id.count <= 64, let shift = try await store.read({ try await $0.shift(id: id, forUpdate: false) }),
            Self.maySee(shift, viewer)
        else { throw DomainError.shiftNotFound }
        return shift
    }

    /// The newest shifts `viewer` may see: every outlet's for operators and administrators, its own
    /// outlet's for a clerk; at most `limit` per outlet, newest first.
    public func recentShifts(viewer: StaffAccount, limit: Int = 20) async throws -> [Shift] {
        try await store.read { session in
            let codes: [String]
            switch viewer.role {
            case .admin, .operator: codes = try await session.outlets().map(\.code)
            case .clerk: codes = viewer.outletCode.map { [$0] } ?? []
            }
            var shifts: [Shift] = []
            for code in codes { shifts += try await session.shifts(outletCode: code, limit: max(1, min(limit, 200))) }
            return shifts.sorted { $0.openedAt > $1.openedAt }
        }
    }

    /// The clerk's open shift, its sales so far and its X report from them, if it has one.
    public func openShift(of clerk: StaffAccount) async throws -> (shift: Shift, sales: [CounterSale], report: ShiftReport)? {
        let now = clock.now()
        return try await store.read { session in
            guard let shift = try await session.openShift(clerkID: clerk.id) else { return nil }
            let sales = try await session.sales(shiftID: shift.id)
            let payouts = try await session.refunds(payoutShiftID: shift.id)
            return (shift, sales, try Self.xReport(shift, sales: sales, payouts: payouts, at: now))
        }
    }

    /// The X report now (the Z report once closed): it resets nothing.
    public func report(shiftID: String, viewer: StaffAccount) async throws -> ShiftReport {
        let shift = try await shift(id: shiftID, viewer: viewer)
        if let z = shift.zReport { return z }
        let (sales, payouts) = try await store.read { session in
            (try await session.sales(shiftID: shift.id), try await session.refunds(payoutShiftID: shift.id))
        }
        return try Self.xReport(shift, sales: sales, payouts: payouts, at: clock.now())
    }

    /// Closes the clerk's own open shift with the cash counted; the Z report takes the outlet's
    /// next number and is frozen. Closing twice is ``DomainError/shiftClosed``.
    public func close(shiftID: String, by clerk: StaffAccount, countedCash: Money, note: String?) async throws -> ShiftReport {
        guard clerk.role == .clerk else { throw DomainError.staffRoleNotAllowed(clerk.role) }
        try Self.checkCash(countedCash, field: "counted_cash")
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines).prefix(500).description
        let now = clock.now()
        return try await store.write { session in
            guard shiftID.count <= 64, var shift = try await session.shift(id: shiftID, forUpdate: true), shift.clerkID == clerk.id else {
                throw DomainError.shiftNotFound
            }
            guard shift.status == .open else { throw DomainError.shiftClosed }
            guard countedCash.currency == shift.openingFloat.currency else {
                throw DomainError.validation(ValidationError(field: "counted_cash", reason: .notAllowed, detail: "currency of the float"))
            }
            let sales = try await session.sales(shiftID: shift.id)
            let waiting = sales.filter { $0.orderStatus == .pendingPayment }.count
            guard waiting == 0 else { throw DomainError.shiftHasPendingPayments(waiting) }
            var report = try Self.xReport(shift, sales: sales, payouts: try await session.refunds(payoutShiftID: shift.id), at: now)
            report.number = try await session.takeZNumber(outletCode: shift.outletCode)
            report.countedCash = countedCash
            report.overShort = try countedCash.subtracting(report.expectedCash)
            report.note = note?.isEmpty == false ? note : nil
            shift.status = .closed
            shift.closedAt = now
            shift.zReport = report
            guard try await session.closeShift(shift) else { throw DomainError.shiftClosed }
            return report
        }
    }

    /// A shift's figures at `at`, from its sales and the refunds paid out in it: expected cash is
    /// the float plus cash taken less cash given back by voids and by refunds.
    static func xReport(_ shift: Shift, sales all: [CounterSale], payouts: [Refund], at: Date) throws -> ShiftReport {
        // A payment-code sale counts once its money is in; one still waiting or declined does not.
        let sales = all.filter(\.isTaken)
        let zero = Money.zero(shift.openingFloat.currency)
        var total = zero
        var fees = zero
        var byTender: [TenderTotal] = []
        for tender in Tender.allCases {
            let taken = sales.filter { $0.tender == tender }
            guard !taken.isEmpty else { continue }
            let sum = try taken.reduce(zero) { try $0.adding($1.total) }
            byTender.append(TenderTotal(tender: tender.rawValue, count: taken.count, total: sum))
            total = try total.adding(sum)
            fees = try taken.reduce(fees) { try $0.adding($1.fee) }
        }
        let cash = byTender.first { $0.tender == Tender.cash.rawValue }?.total ?? zero
        let voided = sales.filter { $0.voided != nil }
        let voidsTotal = try voided.reduce(zero) { try $0.adding($1.total) }
        let cashVoids = try voided.filter { $0.tender == .cash }.reduce(zero) { try $0.adding($1.total) }
        var report = ShiftReport(
            shiftID: shift.id, outletCode: shift.outletCode, openingFloat: shift.openingFloat, salesCount: sales.count, salesTotal: total,
            fees: fees, voidsCount: voided.count, voidsTotal: voidsTotal,
            expectedCash: try shift.openingFloat.adding(cash).subtracting(cashVoids), at: at)
        report.byTender = byTender
        let paid = payouts.filter { $0.payoutShiftID == shift.id && $0.status == .succeeded }
        report.refundsCount = paid.count
        report.refundsTotal = try paid.reduce(zero) { try $0.adding($1.amount) }
        let cashPaid = try paid.filter { $0.payoutTender == Tender.cash.rawValue }.reduce(zero) { try $0.adding($1.amount) }
        report.expectedCash = try report.expectedCash.subtracting(cashPaid)
        return report
    }

    static func maySee(_ shift: Shift, _ viewer: StaffAccount) -> Bool {
        switch viewer.role {
        case .admin, .operator: return true
        case .clerk: return viewer.outletCode == shift.outletCode
        }
    }

    static func checkCash(_ amount: Money, field: String) throws {
        guard amount.currency == .cny else {
            throw DomainError.validation(ValidationError(field: field, reason: .notAllowed, detail: "CNY only"))
        }
        guard amount.amountMinor >= 0, amount.amountMinor <= maximumCash.amountMinor else {
            throw DomainError.validation(ValidationError(field: field, reason: .outOfRange, detail: "0 to \(maximumCash.formatted)"))
        }
    }
}
