import Foundation

/// Everything one payment application writes, decided by ``PaymentCredit/decide(_:snapshot:ids:now:retention:)``
/// and written by the store in the same transaction as the other bodies of its batch.
///
/// Each conditional write names the value it expects to replace; a store that finds another
/// value throws ``StoreError/conflict`` and the whole decision is made again on fresh rows.
public struct CreditChanges: Sendable, Hashable {
    /// An order's new state, written only if its status is still `expected`.
    public struct OrderUpdate: Sendable, Hashable {
        public let order: RechargeOrder
        public let expected: OrderStatus

        public init(order: RechargeOrder, expected: OrderStatus) {
            self.order = order
            self.expected = expected
        }
    }

    /// A line's new cached balance, written only if it still is `expected`.
    public struct BalanceUpdate: Sendable, Hashable {
        public let lineID: String
        public let balance: Money
        public let expected: Money

        public init(lineID: String, balance: Money, expected: Money) {
            self.lineID = lineID
            self.balance = balance
            self.expected = expected
        }
    }

    /// A line's new stage and retention state, written only if its stage still is `expected`.
    public struct RetentionUpdate: Sendable, Hashable {
        public let lineID: String
        public let status: LineStatus
        public let retention: RetentionState
        public let expected: LineStatus

        public init(lineID: String, status: LineStatus, retention: RetentionState, expected: LineStatus) {
            self.lineID = lineID
            self.status = status
            self.retention = retention
            self.expected = expected
        }
    }

    /// A stage change to record, with its id.
    public struct NewStageChange: Sendable, Hashable {
        public let id: String
        public let change: StageChange

        public init(id: String, change: StageChange) {
            self.id = id
            self.change = change
        }
    }

    /// A promotion's bonus paid with the credit: its transfer, the use recorded, and the
    /// promotion's new usage, written only if its count still is `expectedCount` (so a budget is
    /// never spent twice by racing credits).
    public struct BonusPayment: Sendable, Hashable {
        public let transfer: Transfer
        public let use: PromotionUse
        public let usage: PromotionUsage
        public let expectedCount: Int

        public init(transfer: Transfer, use: PromotionUse, usage: PromotionUsage, expectedCount: Int) {
            self.transfer = transfer
            self.use = use
            self.usage = usage
            self.expectedCount = expectedCount
        }
    }

    /// When the changes happen (the credit's `now`).
    public let at: Date
    /// The notification as the operator will see it; every application records one.
    public let notification: NotificationRecord
    public var payment: PaymentRecord?
    public var transfer: Transfer?
    public var balance: BalanceUpdate?
    public var retention: RetentionUpdate?
    public var stageChange: NewStageChange?
    public var receipt: Receipt?
    public var order: OrderUpdate?
    public var bonus: BonusPayment?

    public init(at: Date, notification: NotificationRecord) {
        self.at = at
        self.notification = notification
    }
}
