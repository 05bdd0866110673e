import Foundation

/// Promotions and the bonuses they paid, outside the credit (which goes through ``CreditRows``).
///
/// One of the narrow ports ``StoreSession`` is made of.
public protocol PromotionRows: Sendable {
    /// Inserts a promotion; `false` if its code is taken.
    func insertPromotion(_ promotion: Promotion) async throws -> Bool
    /// Promotions, newest first, at most `limit`.
    func promotions(limit: Int) async throws -> [Promotion]
    /// Promotions whose window holds `time` and that were not ended early.
    func runningPromotions(at time: Date) async throws -> [Promotion]
    /// Ends a promotion early, if it was not ended already; `false` otherwise.
    func endPromotion(code: String, at: Date, by: String) async throws -> Bool
    /// The bonus an order earned, if any; locks it when `forUpdate`.
    func promotionUse(orderID: String, forUpdate: Bool) async throws -> PromotionUse?
    /// Records what a refund took back of a bonus, if it still is `expected`; `false` otherwise.
    func setClawedBack(orderID: String, to amount: Money, expected: Money) async throws -> Bool
}
