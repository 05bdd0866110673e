import Foundation

/// Recharge cards, their batches and their audit trail.
///
/// One of the narrow ports ``StoreSession`` is made of; methods marked "locks" take a row lock on
/// databases that have them.
/// What ``VoucherRows/changeVouchers(from:to:batchID:states:change:at:)`` does to each card.
public enum VoucherChange: Sendable, Hashable {
    case activate
    case freeze(reason: String)
    case unfreeze
}

public protocol VoucherRows: Sendable {
    /// Inserts a batch and its cards; `false` if a serial or a PIN hash is taken (nothing is kept).
    func insertVoucherBatch(_ batch: VoucherBatch, vouchers: [Voucher]) async throws -> Bool
    func voucherBatches(limit: Int) async throws -> [VoucherBatch]
    func voucherBatch(id: String) async throws -> VoucherBatch?
    /// How many cards of a batch are in each stored state.
    func voucherCounts(batchID: String) async throws -> [VoucherState: Int]
    /// A card by serial.
    func voucher(serial: String) async throws -> Voucher?
    /// A card by its PIN's keyed hash; locks it when `forUpdate`.
    func voucher(pinHash: String, forUpdate: Bool) async throws -> Voucher?
    /// Changes the cards from `first` to `last` (inclusive, serials of one length; within
    /// `batchID` when given) whose stored state is in `states`; returns how many changed and the
    /// sum of their face values. Activation sets `activatedAt`; unfreezing puts a card back as it
    /// was (active if it had been activated, issued otherwise); freezing keeps `reason`.
    func changeVouchers(
        from first: String, to last: String, batchID: String?, states: Set<VoucherState>, change: VoucherChange, at: Date
    ) async throws -> (count: Int, face: Int64)
    /// Marks an active card used by an order; `false` if it is no longer active.
    func useVoucher(serial: String, orderID: String, msisdnMasked: String, at: Date) async throws -> Bool
    func insertVoucherEvent(_ event: VoucherEvent) async throws
    /// Audit events, newest first.
    func voucherEvents(limit: Int) async throws -> [VoucherEvent]
    /// Cards redeemed in `[from, to)`, oldest first.
    func redeemedVouchers(from: Date, to: Date, limit: Int) async throws -> [Voucher]
}
