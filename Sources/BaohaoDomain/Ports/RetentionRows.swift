import Foundation

/// The retention runner's lines, stage history, quarantine and contact preferences.
///
/// One of the narrow ports ``StoreSession`` is made of; methods marked "locks" take a row lock on
/// databases that have them.
public protocol RetentionRows: Sendable {
    /// Up to `limit` lines with a policy whose review time has come, oldest first; locks them,
    /// skipping lines another process holds.
    func claimLinesForReview(now: Date, limit: Int) async throws -> [Line]
    /// How many lines' review time has come (for progress; not a lock, not exact under writers).
    func countLinesDueForReview(now: Date) async throws -> Int
    /// Writes one review batch: charges, line states, stage changes and reminders.
    func applyReview(_ batch: ReviewBatch) async throws
    /// Stage changes not yet announced by a reminder, per line.
    func unannouncedStageChanges(lineIDs: [String]) async throws -> [String: [StageChange]]
    /// A line's stage history, newest first.
    func stageChanges(lineID: String, limit: Int) async throws -> [StageChange]
    /// Whether a reclaimed line with this number is still in quarantine at `at`.
    func isQuarantined(msisdn: MSISDN, at: Date) async throws -> Bool
    func contactPreferences(lineIDs: [String]) async throws -> [String: ContactPreferences]
    func setContactPreferences(_ preferences: ContactPreferences, at: Date) async throws
}
