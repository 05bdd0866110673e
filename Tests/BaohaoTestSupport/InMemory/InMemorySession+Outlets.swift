import BaohaoDomain
import Foundation

/// Business halls on the in-memory tables.
extension InMemorySession {
    func insertOutlet(_ outlet: Outlet) async throws -> Bool {
        try mutate { t in
            guard t.outlets[outlet.code] == nil else { return false }
            t.outlets[outlet.code] = outlet
            return true
        }
    }

    func outlet(code: String) async throws -> Outlet? { look { $0.outlets[code] } }

    func outlets() async throws -> [Outlet] { look { $0.outlets.values.sorted { $0.code < $1.code } } }

    func updateOutlet(_ outlet: Outlet) async throws {
        try mutate { t in if t.outlets[outlet.code] != nil { t.outlets[outlet.code] = outlet } }
    }
}
