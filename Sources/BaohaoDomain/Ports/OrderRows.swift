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
    /// A line's orders, newest first: those created before `before` (a page's last order), and
    /// without unpaid ones (expired, cancelled, failed) unless `includeUnpaid`.
    func orders(lineID: String, before: OrderCursor?, includeUnpaid: Bool, limit: Int) async throws -> [RechargeOrder]
    /// Unpaid orders of a line still waiting for payment at `now`, and when the first of them expires.
    func pendingOrders(lineID: String, at now: Date) async throws -> (count: Int, firstExpiry: Date?)
    /// Removes up to `limit` orders of the anonymous online channel that were never paid (expired,
    /// cancelled or failed) and last changed before `before`, with their payment links and queries;
    /// an order any payment, notification, call, card, sale or ledger entry points at is kept.
    /// Returns how many went.
    func purgeUnpaidOrders(before: Date, limit: Int) async throws -> Int
    /// Marks up to `limit` unpaid orders whose time ran out as expired; returns how many.
    func expireOrders(before: Date, limit: Int) async throws -> Int
}

extension OrderRows {
    /// A line's orders, newest first, all statuses.
    public func orders(lineID: String, limit: Int) async throws -> [RechargeOrder] {
        try await orders(lineID: lineID, before: nil, includeUnpaid: true, limit: limit)
    }
}

/// Where a page of a line's orders ends: the last order's creation time and id.
public struct OrderCursor: Sendable, Hashable {
    public let createdAt: Date
    public let id: String

    public init(createdAt: Date, id: String) {
        self.createdAt = createdAt
        self.id = id
    }

    /// `<milliseconds>_<id>`, for a link to the next page.
    public var text: String { "\(Int64((createdAt.timeIntervalSince1970 * 1000).rounded()))_\(id)" }

    public init?(text: String) {
        guard let separator = text.firstIndex(of: "_"), let millis = Int64(text[..<separator]), millis >= 0 else { return nil }
        let id = String(text[text.index(after: separator)...])
        guard (1...64).contains(id.count) else { return nil }
        self.init(createdAt: Date(timeIntervalSince1970: Double(millis) / 1000), id: id)
    }
}
