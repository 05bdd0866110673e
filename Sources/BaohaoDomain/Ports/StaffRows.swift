import Foundation

/// Staff accounts and sessions (console cookies and tokens), what the console counts, sign-in housekeeping.
///
/// One of the narrow ports ``StoreSession`` is made of; methods marked "locks" take a row lock on
/// databases that have them.
public protocol StaffRows: Sendable {
    func insertStaff(_ account: StaffAccount) async throws
    func staff(username: String) async throws -> StaffAccount?
    func staff(id: String) async throws -> StaffAccount?
    func staffAccounts() async throws -> [StaffAccount]
    func updateStaff(_ account: StaffAccount, at: Date) async throws
    func insertStaffSession(_ session: StaffSession) async throws
    func staffSession(tokenHash: String) async throws -> StaffSession?
    func touchStaffSession(tokenHash: String, at: Date) async throws
    func deleteStaffSession(tokenHash: String) async throws
    func deleteStaffSessions(staffID: String) async throws
    /// Orders credited in `[from, until)`, by channel, payment method and currency.
    func rechargeTallies(from: Date, until: Date) async throws -> [RechargeTally]
    func lineCountsByStatus() async throws -> [LineStatus: Int]
    /// Face value credited in `[from, until)`, per Beijing day, channel and currency.
    func dailyCredits(from: Date, until: Date) async throws -> [DailyCredit]
    /// Stage moves recorded since `from`, per Beijing day and (from, to).
    func dailyStageMoves(since from: Date) async throws -> [DailyStageMove]
    /// Lines added since `from`, per Beijing day.
    func dailyLinesAdded(since from: Date) async throws -> [LocalDate: Int]
    /// Lines in any of `statuses`, soonest review first.
    func lines(statuses: [LineStatus], limit: Int) async throws -> [Line]
    func notificationCount(outcome: NotificationOutcome, since: Date) async throws -> Int
    /// Deletes code challenges created before the cutoff and sessions idle past theirs or expired; returns rows deleted.
    func purgeSignIns(
        codesCreatedBefore: Date, subscriberSessionsSeenBefore: Date, staffSessionsSeenBefore: Date, staffTokensSeenBefore: Date,
        now: Date
    ) async throws -> Int
}
