import Foundation

/// Counter sales.
///
/// One of the narrow ports ``StoreSession`` is made of.
public protocol CounterSaleRows: Sendable {
    /// Inserts a sale; `false` if its order has one already.
    func insertSale(_ sale: CounterSale) async throws -> Bool
    func sale(orderID: String) async throws -> CounterSale?
    func sale(id: String) async throws -> CounterSale?
    /// Marks a sale voided; `false` if it was voided already.
    func markVoided(saleID: String, _ void: CounterVoid) async throws -> Bool
    /// A shift's sales, oldest first.
    func sales(shiftID: String) async throws -> [CounterSale]
}
