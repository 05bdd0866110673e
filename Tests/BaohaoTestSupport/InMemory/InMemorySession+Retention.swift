import BaohaoDomain
import Foundation

/// Retention reviews, stage history, contact preferences, reminders and job runs on the
/// in-memory tables.
extension InMemorySession {
    func claimLinesForReview(now: Date, limit: Int) async throws -> [Line] {
        look { t in
            Array(
                t.lines.values.compactMap { line in line.retention.reviewAt.flatMap { $0 <= now ? (line, $0) : nil } }
                    .sorted { ($0.1, $0.0.id) < ($1.1, $1.0.id) }.map(\.0).prefix(max(limit, 0)))
        }
    }

    func countLinesDueForReview(now: Date) async throws -> Int {
        look { t in t.lines.values.filter { $0.retention.reviewAt.map { $0 <= now } ?? false }.count }
    }

    func applyReview(_ batch: ReviewBatch) async throws {
        try mutate { t in
            try Self.append(batch.transfers, to: &t)
            for line in batch.lines {
                guard var stored = t.lines[line.id] else { continue }
                stored.balance = line.balance
                stored.status = line.status
                stored.retention = line.retention
                t.lines[line.id] = stored
            }
            try Self.insert(batch.changes.map { .init(id: $0.id, change: $0.change, announced: $0.announced) }, into: &t)
            let announced = Set(batch.announcedLineIDs)
            for index in t.stageChanges.indices where announced.contains(t.stageChanges[index].change.lineID) {
                t.stageChanges[index].announced = true
            }
            for reminder in batch.reminders where !Self.reminderExists(reminder, in: t) {
                t.reminders[reminder.id] = reminder
            }
        }
    }

    static func insert(_ changes: [InMemoryTables.StoredStageChange], into t: inout InMemoryTables) throws {
        var ids = Set(t.stageChanges.map(\.id))
        for change in changes {
            guard ids.insert(change.id).inserted else { throw StoreError.duplicate("line_stage_events") }
            guard t.lines[change.change.lineID] != nil else {
                throw StoreError.corrupt("line_stage_events.line_id: no line \(change.change.lineID)")
            }
        }
        t.stageChanges += changes
    }

    static func reminderExists(_ reminder: Reminder, in t: InMemoryTables) -> Bool {
        t.reminders[reminder.id] != nil
            || t.reminders.values.contains { $0.lineID == reminder.lineID && $0.key == reminder.key && $0.channel == reminder.channel }
    }

    func insertStageChange(id: String, _ change: StageChange, announced: Bool) async throws {
        try mutate { t in try Self.insert([.init(id: id, change: change, announced: announced)], into: &t) }
    }

    func unannouncedStageChanges(lineIDs: [String]) async throws -> [String: [StageChange]] {
        look { t in
            let wanted = Set(lineIDs)
            var result: [String: [StageChange]] = [:]
            for row in t.stageChanges.filter({ !$0.announced && wanted.contains($0.change.lineID) }).sorted(by: {
                ($0.change.recordedAt, $0.id) < ($1.change.recordedAt, $1.id)
            }) {
                result[row.change.lineID, default: []].append(row.change)
            }
            return result
        }
    }

    func stageChanges(lineID: String, limit: Int) async throws -> [StageChange] {
        look { t in
            Array(
                t.stageChanges.filter { $0.change.lineID == lineID }.sorted {
                    ($0.change.recordedAt, $0.change.effectiveOn.dayNumber, $0.id) > (
                        $1.change.recordedAt, $1.change.effectiveOn.dayNumber, $1.id
                    )
                }.map(\.change).prefix(max(limit, 0)))
        }
    }

    func isQuarantined(msisdn: MSISDN, at: Date) async throws -> Bool {
        look { t in
            t.lines.values.contains {
                $0.msisdn == msisdn && $0.status == .reclaimed && ($0.retention.quarantineUntil.map { $0 > at } ?? false)
            }
        }
    }

    func contactPreferences(lineIDs: [String]) async throws -> [String: ContactPreferences] {
        look { t in
            var result: [String: ContactPreferences] = [:]
            for id in lineIDs { result[id] = t.contacts[id] }
            return result
        }
    }

    func setContactPreferences(_ preferences: ContactPreferences, at: Date) async throws {
        try mutate { t in
            guard t.lines[preferences.lineID] != nil else {
                throw StoreError.corrupt("line_contacts.line_id: no line \(preferences.lineID)")
            }
            t.contacts[preferences.lineID] = preferences
        }
    }

    // MARK: Reminders

    func claimDueReminders(now: Date, leaseUntil: Date, limit: Int) async throws -> [Reminder] {
        try mutate { t in
            let due = Array(
                t.reminders.values.filter { ($0.status == .pending || $0.status == .sending) && $0.nextAttemptAt <= now }.sorted {
                    ($0.nextAttemptAt, $0.id) < ($1.nextAttemptAt, $1.id)
                }.prefix(max(limit, 0)))
            for reminder in due {
                t.reminders[reminder.id]?.status = .sending
                t.reminders[reminder.id]?.nextAttemptAt = leaseUntil
            }
            return due
        }
    }

    func recordReminderAttempt(_ attempt: ReminderAttempt, reminder r: Reminder) async throws {
        try mutate { t in
            let seen = t.reminderAttempts.contains {
                $0.reminderID == attempt.reminderID && $0.attempt == attempt.attempt && $0.at == attempt.at && $0.outcome == attempt.outcome
            }
            if !seen { t.reminderAttempts.append(attempt) }
            if t.reminders[r.id] != nil { t.reminders[r.id] = r }
        }
    }

    func reminder(id: String) async throws -> Reminder? { look { $0.reminders[id] } }

    func reminders(lineID: String, limit: Int) async throws -> [Reminder] {
        look { t in
            Array(
                t.reminders.values.filter { $0.lineID == lineID }.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
                    .prefix(max(limit, 0)))
        }
    }

    func reminderAttempts(reminderIDs: [String]) async throws -> [ReminderAttempt] {
        look { t in
            let wanted = Set(reminderIDs)
            return t.reminderAttempts.filter { wanted.contains($0.reminderID) }.sorted { ($0.at, $0.attempt) < ($1.at, $1.attempt) }
        }
    }

    func insertJobRun(_ run: JobRun) async throws {
        try mutate { t in
            if t.jobRuns.contains(where: { $0.id == run.id }) { throw StoreError.duplicate("job_runs") }
            t.jobRuns.append(run)
        }
    }

    func jobRuns(limit: Int) async throws -> [JobRun] {
        look { t in Array(t.jobRuns.sorted { $0.startedAt > $1.startedAt }.prefix(max(limit, 0))) }
    }
}
