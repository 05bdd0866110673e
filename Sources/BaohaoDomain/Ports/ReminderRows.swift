import Foundation

/// Reminders, their attempts and delivery reports, and job runs.
///
/// One of the narrow ports ``StoreSession`` is made of; methods marked "locks" take a row lock on
/// databases that have them.
public protocol ReminderRows: Sendable {
    /// Up to `limit` reminders due by `now` (pending, or sending with an expired lease), marked
    /// sending until `leaseUntil`; skips reminders another process holds.
    func claimDueReminders(now: Date, leaseUntil: Date, limit: Int) async throws -> [Reminder]
    /// Records an attempt or delivery report and the reminder's new state.
    func recordReminderAttempt(_ attempt: ReminderAttempt, reminder: Reminder) async throws
    func reminder(id: String) async throws -> Reminder?
    /// A line's reminders, newest first.
    func reminders(lineID: String, limit: Int) async throws -> [Reminder]
    /// Every attempt and delivery report of these reminders, oldest first.
    func reminderAttempts(reminderIDs: [String]) async throws -> [ReminderAttempt]
    func insertJobRun(_ run: JobRun) async throws
    func jobRuns(limit: Int) async throws -> [JobRun]
}
