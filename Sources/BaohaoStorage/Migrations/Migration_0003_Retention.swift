/// Retention: each line's position under its plan's policy, stage history, reminder preferences,
/// reminders with every attempt, and job runs. Local days are BIGINT day numbers since 1970-01-01.
enum Migration_0003_Retention {
    static let migration = Migration(version: 3, name: "retention") { _ in
        [
            "ALTER TABLE plans ADD COLUMN policy_code TEXT",
            "ALTER TABLE lines ADD COLUMN policy_code TEXT",
            "ALTER TABLE lines ADD COLUMN stage_since BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE lines ADD COLUMN arrears_since BIGINT",
            "ALTER TABLE lines ADD COLUMN last_activity_at BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE lines ADD COLUMN valid_until BIGINT",
            "ALTER TABLE lines ADD COLUMN next_charge_at BIGINT",
            "ALTER TABLE lines ADD COLUMN review_at BIGINT",
            "ALTER TABLE lines ADD COLUMN quarantine_until BIGINT",
            "UPDATE lines SET stage_since = created_at, last_activity_at = created_at",
            "CREATE INDEX lines_review ON lines (review_at) WHERE review_at IS NOT NULL",
            """
            CREATE TABLE line_stage_events (
              id TEXT PRIMARY KEY, line_id TEXT NOT NULL REFERENCES lines(id), from_stage TEXT NOT NULL, to_stage TEXT NOT NULL,
              effective_on BIGINT NOT NULL, recorded_at BIGINT NOT NULL, reason TEXT NOT NULL, policy TEXT NOT NULL,
              announced BIGINT NOT NULL DEFAULT 0)
            """,
            "CREATE INDEX line_stage_events_line ON line_stage_events (line_id, recorded_at)",
            "CREATE INDEX line_stage_events_unannounced ON line_stage_events (line_id) WHERE announced = 0",
            """
            CREATE TABLE line_contacts (
              line_id TEXT PRIMARY KEY REFERENCES lines(id), channels TEXT NOT NULL, email TEXT, language TEXT NOT NULL,
              quiet_start BIGINT, quiet_end BIGINT, time_zone TEXT, opted_out BIGINT NOT NULL DEFAULT 0, updated_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE reminders (
              id TEXT PRIMARY KEY, line_id TEXT NOT NULL REFERENCES lines(id), kind TEXT NOT NULL, dedupe_key TEXT NOT NULL,
              channel TEXT NOT NULL, stage TEXT NOT NULL, deadline BIGINT, status TEXT NOT NULL, attempts BIGINT NOT NULL DEFAULT 0,
              next_attempt_at BIGINT NOT NULL, last_error TEXT, provider_ref TEXT, created_at BIGINT NOT NULL, sent_at BIGINT,
              delivered_at BIGINT, UNIQUE (line_id, dedupe_key, channel))
            """,
            "CREATE INDEX reminders_due ON reminders (status, next_attempt_at)",
            """
            CREATE TABLE reminder_attempts (
              reminder_id TEXT NOT NULL REFERENCES reminders(id), attempt BIGINT NOT NULL, at BIGINT NOT NULL, outcome TEXT NOT NULL,
              detail TEXT, PRIMARY KEY (reminder_id, attempt, at, outcome))
            """,
            """
            CREATE TABLE job_runs (
              id TEXT PRIMARY KEY, job TEXT NOT NULL, started_at BIGINT NOT NULL, finished_at BIGINT NOT NULL, processed BIGINT NOT NULL,
              detail TEXT NOT NULL)
            """,
            "CREATE INDEX job_runs_started ON job_runs (started_at)",
            "ALTER TABLE receipts ADD COLUMN keep_alive_zh TEXT",
            "ALTER TABLE receipts ADD COLUMN keep_alive_en TEXT",
        ]
    }
}
