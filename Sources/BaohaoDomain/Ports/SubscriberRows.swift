import Foundation

/// Subscriber accounts, their proven numbers, one-time codes and sessions.
///
/// One of the narrow ports ``StoreSession`` is made of; methods marked "locks" take a row lock on
/// databases that have them.
public protocol SubscriberRows: Sendable {
    func insertSubscriberAccount(_ account: SubscriberAccount) async throws
    func subscriberAccount(id: String) async throws -> SubscriberAccount?
    func subscriberAccount(calendarKey: String) async throws -> SubscriberAccount?
    func setCalendarKey(accountID: String, key: String?) async throws
    /// Links a line to an account (moving it from any other account).
    func linkNumber(lineID: String, accountID: String, at: Date) async throws
    func accountID(lineID: String) async throws -> String?
    /// The lines an account proved, in the order they were added.
    func linkedLines(accountID: String) async throws -> [Line]
    func insertCodeChallenge(_ challenge: CodeChallenge) async throws
    /// A code challenge; locks it when `forUpdate`.
    func codeChallenge(id: String, forUpdate: Bool) async throws -> CodeChallenge?
    func updateCodeChallenge(_ challenge: CodeChallenge) async throws
    /// Codes sent to a number since `since`, and the wrong tries against them.
    func codeActivity(msisdn: MSISDN, since: Date) async throws -> CodeActivity
    func codeCount(clientKey: String, since: Date) async throws -> Int
    func insertSubscriberSession(_ session: SubscriberSession) async throws
    func subscriberSession(tokenHash: String) async throws -> SubscriberSession?
    func touchSubscriberSession(tokenHash: String, at: Date) async throws
    func deleteSubscriberSession(tokenHash: String) async throws
}
