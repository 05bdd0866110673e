import Foundation

/// Lines (号码) and their stage, by number or id.
///
/// One of the narrow ports ``StoreSession`` is made of; methods marked "locks" take a row lock on
/// databases that have them.
public protocol LineRows: Sendable {
    /// Inserts a line; throws ``StoreError/duplicate`` if the number already has a line in service.
    func insertLine(_ line: Line) async throws
    /// The line holding this number now (reclaimed lines are history).
    func line(msisdn: MSISDN) async throws -> Line?
    /// Lines in number order after `cursor` (a number in E.164), at most `limit`.
    func lines(status: LineStatus?, after cursor: String?, limit: Int) async throws -> [Line]
    /// Sets a line's status if it still is `expected`; `false` otherwise.
    func setStatus(lineID: String, to status: LineStatus, expected: LineStatus, at: Date) async throws -> Bool
    /// Of `numbers`, those with a line in service (an import checks a batch at once).
    func numbersInService(_ numbers: [MSISDN]) async throws -> Set<MSISDN>
    /// Of `numbers`, those reclaimed and still in quarantine at `at`.
    func numbersInQuarantine(_ numbers: [MSISDN], at: Date) async throws -> Set<MSISDN>
    /// Inserts new lines, already holding their opening balances, with those balances'
    /// transfers, in multi-row statements. The numbers must be free (checked before).
    func insertLines(_ lines: [Line], transfers: [Transfer]) async throws
}
