import Foundation

/// Counter shifts and the outlets' Z numbers.
///
/// One of the narrow ports ``StoreSession`` is made of; methods marked "locks" take a row lock on
/// databases that have them.
public protocol ShiftRows: Sendable {
    /// Inserts an open shift; `false` if its clerk has an open shift already.
    func insertShift(_ shift: Shift) async throws -> Bool
    /// A shift; locks it when `forUpdate`.
    func shift(id: String, forUpdate: Bool) async throws -> Shift?
    /// The clerk's open shift, if any.
    func openShift(clerkID: String) async throws -> Shift?
    /// An outlet's shifts, newest first, at most `limit`.
    func shifts(outletCode: String, limit: Int) async throws -> [Shift]
    /// Closes an open shift with its Z report; `false` if it is not open any more.
    func closeShift(_ shift: Shift) async throws -> Bool
    /// The outlet's next Z number (1, 2, …), taken in this transaction: a rolled-back close gives
    /// its number back, so the sequence has no gaps. Locks the outlet.
    func takeZNumber(outletCode: String) async throws -> Int
}
