import Foundation

/// Recharge orders beyond what a credit touches: creation, idempotency keys, history, expiry.
///
/// One of the narrow ports ``StoreSession`` is made of; methods marked "locks" take a row lock on
/// databases that have them.
public protocol OrderRows: Sendable {
    /// Inserts an order; `false` if its idempotency key is taken.
    func insertOrder(_ order: RechargeOrder) async throws -> Bool
    func order(idempotencyKey: String) async throws -> RechargeOrder?
    /// The stored status of each order in `ids` that exists (at most 1,000 ids a call).
    func orderStatuses(ids: [String]) async throws -> [String: OrderStatus]
    /// A line's orders, newest first.
    func orders(lineID: String, limit: Int) async throws -> [RechargeOrder]
    /// Marks up to `limit` unpaid orders whose time ran out as expired; returns how many.
    func expireOrders(before: Date, limit: Int) async throws -> Int
}
