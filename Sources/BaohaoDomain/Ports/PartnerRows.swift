import Foundation

/// Partners, their keys, floats, top-ups and callbacks.
///
/// One of the narrow ports ``StoreSession`` is made of; methods marked "locks" take a row lock on
/// databases that have them.
public protocol PartnerRows: Sendable {
    /// Inserts a partner with its first key; `false` if its code is taken.
    func insertPartner(_ partner: Partner, key: PartnerKey) async throws -> Bool
    func partner(code: String) async throws -> Partner?
    /// A partner; locks it when `forUpdate`.
    func partner(id: String, forUpdate: Bool) async throws -> Partner?
    /// Every partner, by code.
    func partners() async throws -> [Partner]
    /// Writes name, callback URL, rate limit, pricing and disabled time (never the float).
    func updatePartnerSettings(_ partner: Partner) async throws

    func insertPartnerKey(_ key: PartnerKey) async throws
    func partnerKey(keyID: String) async throws -> PartnerKey?
    /// A partner's keys, newest first.
    func partnerKeys(partnerID: String) async throws -> [PartnerKey]
    /// Sets the expiry of every key of the partner that has none (rotation).
    func expirePartnerKeys(partnerID: String, at: Date) async throws

    /// Adds the move's signed changes to the partner's available and held float if both stay at or
    /// above zero, and records it as the float's next movement; the movement as recorded (its
    /// sequence number and the float after), or `nil` (nothing changed) if either would go below.
    /// Locks the partner until the transaction ends, so callers do it last: on PostgreSQL it is one
    /// statement.
    func moveFloat(_ move: FloatMove) async throws -> FloatMovement?
    /// Movements at `from` or later and before `to`, oldest first.
    func floatMovements(partnerID: String, from: Date, to: Date) async throws -> [FloatMovement]
    /// The last movement before `date`, if any.
    func lastFloatMovement(partnerID: String, before date: Date) async throws -> FloatMovement?

    /// Records a deposit; `false` if the partner has one with that reference.
    func insertDeposit(_ deposit: PartnerDeposit) async throws -> Bool
    func deposit(partnerID: String, reference: String) async throws -> PartnerDeposit?

    /// Inserts a top-up; `false` if the partner has one with that reference.
    func insertPartnerTopup(_ topup: PartnerTopup) async throws -> Bool
    func partnerTopup(partnerID: String, reference: String) async throws -> PartnerTopup?
    /// A top-up; locks it when `forUpdate`.
    func partnerTopup(id: String, forUpdate: Bool) async throws -> PartnerTopup?
    /// Writes the status, failure, settling transfer and receipt if the status is still `expected`.
    func updatePartnerTopup(_ topup: PartnerTopup, expected: PartnerTopupStatus) async throws -> Bool
    /// Accepted top-ups made before `date`, oldest first: the ones a crash left unfinished.
    func acceptedPartnerTopups(before date: Date, limit: Int) async throws -> [PartnerTopup]
    /// Count and face value of top-ups credited at `from` or later, per partner id.
    func creditedPartnerVolume(since from: Date) async throws -> [String: (count: Int, amount: Int64)]

    func insertCallback(_ callback: PartnerCallback) async throws
    func callback(eventID: String) async throws -> PartnerCallback?
    /// Pending callbacks due at `now`, oldest due first.
    func dueCallbacks(at now: Date, limit: Int) async throws -> [PartnerCallback]
    /// Takes a due callback for one attempt by moving its due time to `leaseUntil`, if it is still
    /// pending and still due at `expected`; `false` if another process took it first.
    func claimCallback(eventID: String, expected: Date, leaseUntil: Date) async throws -> Bool
    /// Saves a callback's delivery state (status, attempts, due time, last answer).
    func updateCallback(_ callback: PartnerCallback) async throws
    func insertCallbackAttempt(_ attempt: PartnerCallbackAttempt) async throws
    /// A partner's callbacks, newest first, of one status or all.
    func callbacks(partnerID: String, status: PartnerCallbackStatus?, limit: Int) async throws -> [PartnerCallback]
    /// Callbacks not delivered after at least one attempt (pending or abandoned), per partner id.
    func failingCallbackCounts() async throws -> [String: Int]
    func callbackAttempts(eventID: String) async throws -> [PartnerCallbackAttempt]
}
