import BaohaoDomain
import Foundation

/// Counter shifts on the in-memory tables.
extension InMemorySession {
    func insertShift(_ shift: Shift) async throws -> Bool {
        try mutate { t in
            guard t.outlets[shift.outletCode] != nil, t.staff[shift.clerkID] != nil else {
                throw StoreError.corrupt("counter_shifts: no outlet \(shift.outletCode) or clerk \(shift.clerkID)")
            }
            guard t.shifts[shift.id] == nil, !t.shifts.values.contains(where: { $0.clerkID == shift.clerkID && $0.status == .open })
            else { return false }
            t.shifts[shift.id] = shift
            return true
        }
    }

    func shift(id: String, forUpdate: Bool) async throws -> Shift? { look { $0.shifts[id] } }

    func openShift(clerkID: String) async throws -> Shift? {
        look { $0.shifts.values.first { $0.clerkID == clerkID && $0.status == .open } }
    }

    func shifts(outletCode: String, limit: Int) async throws -> [Shift] {
        look { t in
            Array(
                t.shifts.values.filter { $0.outletCode == outletCode }.sorted { ($0.openedAt, $0.id) > ($1.openedAt, $1.id) }
                    .prefix(max(limit, 0)))
        }
    }

    func closeShift(_ shift: Shift) async throws -> Bool {
        try mutate { t in
            guard t.shifts[shift.id]?.status == .open else { return false }
            if let number = shift.zReport?.number,
                t.shifts.values.contains(where: { $0.outletCode == shift.outletCode && $0.zReport?.number == number })
            {
                throw StoreError.duplicate("counter_shifts.z_number")
            }
            t.shifts[shift.id] = shift
            return true
        }
    }

    func takeZNumber(outletCode: String) async throws -> Int {
        try mutate { t in
            guard t.outlets[outletCode] != nil else { throw StoreError.corrupt("no outlet \(outletCode)") }
            let next = (t.lastZNumbers[outletCode] ?? 0) + 1
            t.lastZNumbers[outletCode] = next
            return next
        }
    }
}
