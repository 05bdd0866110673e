import Foundation

/// Hotline call records.
///
/// One of the narrow ports ``StoreSession`` is made of; methods marked "locks" take a row lock on
/// databases that have them.
public protocol IVRCallRows: Sendable {
    /// Inserts a new call; `false` if a call with its id exists.
    func insertIVRCall(_ call: IVRCall) async throws -> Bool
    /// A call; locks it when `forUpdate`.
    func ivrCall(id: String, forUpdate: Bool) async throws -> IVRCall?
    /// Saves the dialog, turn and ending of a call whose turn is still `expectedTurn`; `false` if
    /// another request moved it on first. The charge columns are not touched.
    func updateIVRCall(_ call: IVRCall, expectedTurn: Int) async throws -> Bool
    /// Sets the charge columns: the order being charged, the order paid, the card's last 4 digits.
    func updateIVRCharge(callID: String, chargingOrderID: String?, chargedOrderID: String?, cardLast4: String?) async throws
    /// The newest calls first, at most `limit`.
    func ivrCalls(limit: Int) async throws -> [IVRCall]
}
