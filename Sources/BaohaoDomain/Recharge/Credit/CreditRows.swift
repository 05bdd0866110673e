import Foundation

/// The narrow port a payment application goes through: the reads of a ``CreditSnapshot`` and
/// the writes of ``CreditChanges``. Both the plain store session and the group commit's buffered
/// session implement it; ``creditSnapshot(for:)`` and ``apply(_:)`` are built on it once, here.
public protocol CreditRows: Sendable {
    /// An order by id; locks it when `forUpdate`.
    func order(id: String, forUpdate: Bool) async throws -> RechargeOrder?
    /// A line by id; locks it when `forUpdate`.
    func line(id: String, forUpdate: Bool) async throws -> Line?
    func payment(provider: String, transactionID: String) async throws -> PaymentRecord?
    /// Writes the order's mutable fields if its status still is `expected`; `false` otherwise.
    func updateOrder(_ order: RechargeOrder, expected: OrderStatus, at: Date) async throws -> Bool
    /// Sets the cached balance if it still is `expected`; `false` otherwise.
    func setBalance(lineID: String, to balance: Money, expected: Money, at: Date) async throws -> Bool
    /// Sets a line's stage and retention state if its stage still is `expected`; `false` otherwise.
    func setRetention(lineID: String, status: LineStatus, retention: RetentionState, expected: LineStatus, at: Date) async throws -> Bool
    func insertStageChange(id: String, _ change: StageChange, announced: Bool) async throws
    /// Records a successful payment; `false` if this provider transaction is already recorded.
    func insertPayment(_ payment: PaymentRecord) async throws -> Bool
    /// Keeps a notification and what was done with it, for the operator.
    func recordNotification(_ record: NotificationRecord) async throws
    /// Appends a transfer; throws ``StoreError/duplicate`` if its id, or its order, already has one.
    func appendTransfer(_ transfer: Transfer) async throws
    func insertReceipt(_ receipt: Receipt) async throws
    /// A promotion by code; locks it when `forUpdate`.
    func promotion(code: String, forUpdate: Bool) async throws -> Promotion?
    /// How many bonuses of a promotion a line has had.
    func promotionUseCount(code: String, lineID: String) async throws -> Int
    /// Whether any recharge was credited to the line.
    func hasBeenCredited(lineID: String) async throws -> Bool
    /// Sets a promotion's usage if its count still is `expectedCount`; `false` otherwise.
    func setPromotionUsage(code: String, to usage: PromotionUsage, expectedCount: Int) async throws -> Bool
    func insertPromotionUse(_ use: PromotionUse) async throws
}

extension CreditRows {
    /// Loads (and locks) the rows a payment application for `key` reads.
    public func creditSnapshot(for key: PaymentKey) async throws -> CreditSnapshot {
        let order = try await order(id: key.orderID, forUpdate: true)
        var line: Line? = nil
        if let order { line = try await self.line(id: order.lineID, forUpdate: true) }
        let payment = try await payment(provider: key.provider, transactionID: key.transactionID)
        var promotion: PromotionState? = nil
        if let order, let code = order.promotionCode, let offered = try await self.promotion(code: code, forUpdate: true) {
            promotion = PromotionState(
                promotion: offered, usesOnLine: try await promotionUseCount(code: code, lineID: order.lineID),
                lineCreditedBefore: try await hasBeenCredited(lineID: order.lineID))
        }
        return CreditSnapshot(order: order, line: line, payment: payment, promotion: promotion)
    }

    /// Writes a payment application's changes; throws ``StoreError/conflict`` if a row it expects
    /// has changed since its snapshot was loaded.
    public func apply(_ changes: CreditChanges) async throws {
        let now = changes.at
        if let payment = changes.payment {
            guard try await insertPayment(payment) else { throw StoreError.conflict }
        }
        if let transfer = changes.transfer { try await appendTransfer(transfer) }
        if let bonus = changes.bonus {
            guard try await setPromotionUsage(code: bonus.use.promotionCode, to: bonus.usage, expectedCount: bonus.expectedCount)
            else { throw StoreError.conflict }
            try await appendTransfer(bonus.transfer)
            try await insertPromotionUse(bonus.use)
        }
        if let update = changes.balance {
            guard try await setBalance(lineID: update.lineID, to: update.balance, expected: update.expected, at: now) else {
                throw StoreError.conflict
            }
        }
        if let update = changes.retention {
            guard
                try await setRetention(
                    lineID: update.lineID, status: update.status, retention: update.retention, expected: update.expected, at: now)
            else { throw StoreError.conflict }
        }
        if let new = changes.stageChange { try await insertStageChange(id: new.id, new.change, announced: false) }
        if let receipt = changes.receipt { try await insertReceipt(receipt) }
        if let update = changes.order {
            guard try await updateOrder(update.order, expected: update.expected, at: now) else { throw StoreError.conflict }
        }
        try await recordNotification(changes.notification)
    }
}
