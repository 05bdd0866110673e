import BaohaoDomain
import Foundation
import SQLKit

/// Retention reviews, stage history, reminder preferences, reminders and job runs. A review
/// batch is written as a few ``RowsWrite``s: on PostgreSQL one statement of column arrays each
/// (``RowsWrite/ArrayForm``), never a statement per line; on SQLite one prepared statement per kind
/// of row, stepped per row.
extension SQLSession {
    var skipLockedClause: String { kind == .postgres ? " FOR UPDATE SKIP LOCKED" : "" }

    func claimLinesForReview(now: Date, limit: Int) async throws -> [Line] {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.lineColumns) FROM lines WHERE review_at <= \(bind: now.millis)
            ORDER BY review_at LIMIT \(unsafeRaw: String(limit))\(unsafeRaw: skipLockedClause)
            """
        ).all().map(Self.line)
    }

    func countLinesDueForReview(now: Date) async throws -> Int {
        let row = try await db.raw("SELECT COUNT(*) AS due FROM lines WHERE review_at <= \(bind: now.millis)").first()
        return Int(try row?.decode(column: "due", as: Int64.self) ?? 0)
    }

    func applyReview(_ batch: ReviewBatch) async throws {
        try await run(
            Self.transferWrites(batch.transfers) + [
                WrittenTables.lineStates.update(batch.lines.map { ($0, batch.reviewedAt) }),
                WrittenTables.stageChanges.insert(batch.changes),
            ])
        for chunk in Array(Set(batch.announcedLineIDs)).sorted().chunked(BufferedCreditSession.rowsPerStatement) {
            var query = SQLQueryString("UPDATE line_stage_events SET announced = 1 WHERE announced = 0 AND line_id IN (")
            BufferedCreditSession.appendList(chunk, to: &query)
            try await db.raw(query).run()
        }
        try await run([WrittenTables.reminders.insert(batch.reminders, tail: " ON CONFLICT DO NOTHING")])
    }

    /// Writes each line's balance, stage and retention state (`updated_at` = the paired time).
    func updateLineStates(_ lines: [(Line, Date)]) async throws {
        try await run([WrittenTables.lineStates.update(lines)])
    }

    /// Appends stage changes.
    func insertStageChanges(_ changes: [(id: String, change: StageChange, announced: Bool)]) async throws {
        try await run([WrittenTables.stageChanges.insert(changes)])
    }

    /// Appends transfers and their postings; a repeated id fails the whole write.
    func insertTransfers(_ transfers: [Transfer]) async throws {
        try await run(Self.transferWrites(transfers))
    }

    /// Every posting of `transfers` with its transfer and its position in it (`seq`).
    static func postingRows(_ transfers: [Transfer]) -> [WrittenTables.PostingRow] {
        transfers.flatMap { t in t.postings.enumerated().map { (t, Int64($0.offset), $0.element) } }
    }

    static func transferWrites(_ transfers: [Transfer]) -> [RowsWrite] {
        [WrittenTables.transfers.insert(transfers), WrittenTables.postings.insert(postingRows(transfers))]
    }

    static let stageColumns = "line_id, from_stage, to_stage, effective_on, recorded_at, reason, policy"

    static func stageChange(_ row: any SQLRow) throws -> StageChange {
        StageChange(
            lineID: try row.decode(column: "line_id", as: String.self), from: try enumValue(row, "from_stage", LineStatus.self),
            to: try enumValue(row, "to_stage", LineStatus.self),
            effectiveOn: LocalDate(dayNumber: Int(try row.decode(column: "effective_on", as: Int64.self))),
            recordedAt: try date(row, "recorded_at"), reason: try row.decode(column: "reason", as: String.self),
            policy: try row.decode(column: "policy", as: String.self))
    }

    func unannouncedStageChanges(lineIDs: [String]) async throws -> [String: [StageChange]] {
        var result: [String: [StageChange]] = [:]
        for chunk in lineIDs.chunked(BufferedCreditSession.rowsPerStatement) where !chunk.isEmpty {
            var query = SQLQueryString(
                "SELECT \(unsafeRaw: Self.stageColumns) FROM line_stage_events WHERE announced = 0 AND line_id IN (")
            BufferedCreditSession.appendList(chunk, to: &query)
            query.appendInterpolation(unsafeRaw: " ORDER BY recorded_at, id")
            for row in try await db.raw(query).all() {
                let change = try Self.stageChange(row)
                result[change.lineID, default: []].append(change)
            }
        }
        return result
    }

    func stageChanges(lineID: String, limit: Int) async throws -> [StageChange] {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.stageColumns) FROM line_stage_events WHERE line_id = \(bind: lineID)
            ORDER BY recorded_at DESC, effective_on DESC, id DESC LIMIT \(unsafeRaw: String(limit))
            """
        ).all().map(Self.stageChange)
    }

    func insertStageChange(id: String, _ change: StageChange, announced: Bool) async throws {
        try await insertStageChanges([(id, change, announced)])
    }

    func setRetention(lineID: String, status: LineStatus, retention r: RetentionState, expected: LineStatus, at: Date) async throws -> Bool
    {
        let rows = try await db.raw(
            """
            UPDATE lines SET status = \(bind: status.rawValue), stage_since = \(bind: r.stageSince.millis),
              arrears_since = \(bind: r.arrearsSince.map { Int64($0.dayNumber) }), last_activity_at = \(bind: r.lastActivityAt.millis),
              valid_until = \(bind: r.validUntil.map { Int64($0.dayNumber) }), next_charge_at = \(bind: r.nextChargeAt.map { Int64($0.dayNumber) }),
              review_at = \(bind: r.reviewAt?.millis), quarantine_until = \(bind: r.quarantineUntil?.millis), updated_at = \(bind: at.millis)
            WHERE id = \(bind: lineID) AND status = \(bind: expected.rawValue) RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    func isQuarantined(msisdn: MSISDN, at: Date) async throws -> Bool {
        try await db.raw(
            """
            SELECT id FROM lines WHERE msisdn = \(bind: msisdn.e164) AND status = 'reclaimed' AND quarantine_until > \(bind: at.millis) LIMIT 1
            """
        ).first() != nil
    }

    func contactPreferences(lineIDs: [String]) async throws -> [String: ContactPreferences] {
        var result: [String: ContactPreferences] = [:]
        for chunk in lineIDs.chunked(BufferedCreditSession.rowsPerStatement) where !chunk.isEmpty {
            var query = SQLQueryString(
                "SELECT line_id, channels, email, language, quiet_start, quiet_end, time_zone, opted_out FROM line_contacts WHERE line_id IN ("
            )
            BufferedCreditSession.appendList(chunk, to: &query)
            for row in try await db.raw(query).all() {
                let id = try row.decode(column: "line_id", as: String.self)
                result[id] = ContactPreferences(
                    lineID: id,
                    channels: try row.decode(column: "channels", as: String.self).split(separator: ",").compactMap {
                        ReminderChannel(rawValue: String($0))
                    },
                    email: try row.decode(column: "email", as: String?.self), language: try Self.enumValue(row, "language", Language.self),
                    quietStart: try row.decode(column: "quiet_start", as: Int64?.self).map(Int.init),
                    quietEnd: try row.decode(column: "quiet_end", as: Int64?.self).map(Int.init),
                    timeZone: try row.decode(column: "time_zone", as: String?.self).flatMap(TimeZone.init(identifier:)),
                    optedOut: try row.decode(column: "opted_out", as: Int64.self) != 0)
            }
        }
        return result
    }

    func setContactPreferences(_ p: ContactPreferences, at: Date) async throws {
        try await db.raw(
            """
            INSERT INTO line_contacts (line_id, channels, email, language, quiet_start, quiet_end, time_zone, opted_out, updated_at)
            VALUES (\(bind: p.lineID), \(bind: p.channels.map(\.rawValue).joined(separator: ",")), \(bind: p.email), \(bind: p.language.rawValue),
              \(bind: p.quietStart.map(Int64.init)), \(bind: p.quietEnd.map(Int64.init)), \(bind: p.timeZone?.identifier),
              \(bind: p.optedOut ? 1 : 0), \(bind: at.millis))
            ON CONFLICT (line_id) DO UPDATE SET channels = excluded.channels, email = excluded.email, language = excluded.language,
              quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end, time_zone = excluded.time_zone,
              opted_out = excluded.opted_out, updated_at = excluded.updated_at
            """
        ).run()
    }

    // MARK: Reminders

    static let reminderColumns = """
        id, line_id, kind, dedupe_key, channel, stage, deadline, status, attempts, next_attempt_at, last_error, provider_ref, \
        created_at, sent_at, delivered_at
        """

    static func reminder(_ row: any SQLRow) throws -> Reminder {
        Reminder(
            id: try row.decode(column: "id", as: String.self), lineID: try row.decode(column: "line_id", as: String.self),
            kind: try enumValue(row, "kind", ReminderDue.Kind.self), key: try row.decode(column: "dedupe_key", as: String.self),
            channel: try enumValue(row, "channel", ReminderChannel.self), stage: try enumValue(row, "stage", LineStatus.self),
            deadline: try day(row, "deadline"), status: try enumValue(row, "status", ReminderStatus.self),
            attempts: Int(try row.decode(column: "attempts", as: Int64.self)), nextAttemptAt: try date(row, "next_attempt_at"),
            lastError: try row.decode(column: "last_error", as: String?.self),
            providerReference: try row.decode(column: "provider_ref", as: String?.self),
            createdAt: try date(row, "created_at"), sentAt: try optionalDate(row, "sent_at"),
            deliveredAt: try optionalDate(row, "delivered_at"))
    }

    func claimDueReminders(now: Date, leaseUntil: Date, limit: Int) async throws -> [Reminder] {
        let due = try await db.raw(
            """
            SELECT \(unsafeRaw: Self.reminderColumns) FROM reminders
            WHERE status IN ('pending', 'sending') AND next_attempt_at <= \(bind: now.millis)
            ORDER BY next_attempt_at LIMIT \(unsafeRaw: String(limit))\(unsafeRaw: skipLockedClause)
            """
        ).all().map(Self.reminder)
        guard !due.isEmpty else { return [] }
        var query = SQLQueryString("UPDATE reminders SET status = 'sending', next_attempt_at = \(bind: leaseUntil.millis) WHERE id IN (")
        BufferedCreditSession.appendList(due.map(\.id), to: &query)
        try await db.raw(query).run()
        return due
    }

    func recordReminderAttempt(_ attempt: ReminderAttempt, reminder r: Reminder) async throws {
        try await db.raw(
            """
            INSERT INTO reminder_attempts (reminder_id, attempt, at, outcome, detail)
            VALUES (\(bind: attempt.reminderID), \(bind: Int64(attempt.attempt)), \(bind: attempt.at.millis), \(bind: attempt.outcome),
              \(bind: attempt.detail)) ON CONFLICT DO NOTHING
            """
        ).run()
        try await db.raw(
            """
            UPDATE reminders SET status = \(bind: r.status.rawValue), attempts = \(bind: Int64(r.attempts)),
              next_attempt_at = \(bind: r.nextAttemptAt.millis), last_error = \(bind: r.lastError), provider_ref = \(bind: r.providerReference),
              sent_at = \(bind: r.sentAt?.millis), delivered_at = \(bind: r.deliveredAt?.millis)
            WHERE id = \(bind: r.id)
            """
        ).run()
    }

    func reminder(id: String) async throws -> Reminder? {
        try await db.raw("SELECT \(unsafeRaw: Self.reminderColumns) FROM reminders WHERE id = \(bind: id)\(unsafeRaw: forUpdateClause)")
            .first()
            .map(Self.reminder)
    }

    func reminders(lineID: String, limit: Int) async throws -> [Reminder] {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.reminderColumns) FROM reminders WHERE line_id = \(bind: lineID)
            ORDER BY created_at DESC, id DESC LIMIT \(unsafeRaw: String(limit))
            """
        ).all().map(Self.reminder)
    }

    func reminderAttempts(reminderIDs: [String]) async throws -> [ReminderAttempt] {
        var attempts: [ReminderAttempt] = []
        for chunk in reminderIDs.chunked(BufferedCreditSession.rowsPerStatement) {
            var query = SQLQueryString("SELECT reminder_id, attempt, at, outcome, detail FROM reminder_attempts WHERE reminder_id IN (")
            BufferedCreditSession.appendList(chunk, to: &query)
            query.appendInterpolation(unsafeRaw: " ORDER BY at, attempt")
            attempts += try await db.raw(query).all().map { row in
                ReminderAttempt(
                    reminderID: try row.decode(column: "reminder_id", as: String.self),
                    attempt: Int(try row.decode(column: "attempt", as: Int64.self)), at: try Self.date(row, "at"),
                    outcome: try row.decode(column: "outcome", as: String.self), detail: try row.decode(column: "detail", as: String?.self))
            }
        }
        return attempts
    }

    func insertJobRun(_ run: JobRun) async throws {
        try await db.raw(
            """
            INSERT INTO job_runs (id, job, started_at, finished_at, processed, detail)
            VALUES (\(bind: run.id), \(bind: run.job), \(bind: run.startedAt.millis), \(bind: run.finishedAt.millis),
              \(bind: Int64(run.processed)), \(bind: run.detail))
            """
        ).run()
    }

    func jobRuns(limit: Int) async throws -> [JobRun] {
        try await db.raw(
            "SELECT id, job, started_at, finished_at, processed, detail FROM job_runs ORDER BY started_at DESC LIMIT \(unsafeRaw: String(limit))"
        ).all().map { row in
            JobRun(
                id: try row.decode(column: "id", as: String.self), job: try row.decode(column: "job", as: String.self),
                startedAt: try Self.date(row, "started_at"), finishedAt: try Self.date(row, "finished_at"),
                processed: Int(try row.decode(column: "processed", as: Int64.self)),
                detail: try row.decode(column: "detail", as: String.self))
        }
    }
}
