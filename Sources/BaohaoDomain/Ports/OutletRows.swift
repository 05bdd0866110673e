import Foundation

/// Business halls (营业厅).
///
/// One of the narrow ports ``StoreSession`` is made of.
public protocol OutletRows: Sendable {
    /// Inserts an outlet; `false` if one with the same code exists.
    func insertOutlet(_ outlet: Outlet) async throws -> Bool
    func outlet(code: String) async throws -> Outlet?
    /// Every outlet, by code.
    func outlets() async throws -> [Outlet]
    /// Writes an outlet's name, address and disabled time.
    func updateOutlet(_ outlet: Outlet) async throws
}
