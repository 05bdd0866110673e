import ArgumentParser
import BaohaoApp
import BaohaoDomain
import BaohaoMessaging
import Foundation
import Logging

/// `baohao jobs`: the retention runner from the command line.
struct Jobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the retention jobs: monthly fees, stage changes, reminders.", subcommands: [Run.self, List.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Review every due line (fees, stages, reminders due) and send due reminders, once.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Run as of this time (RFC 3339), e.g. to catch up a missed run or in a test; default now.") var at: String?
        @Option(help: "Lines per transaction (1–2000).") var batchSize: Int = 1000
        @Flag(help: "Only review lines; do not send reminders.") var noSend = false
        @Option(help: "Public URL of the server (for SMS delivery reports).") var publicURL: String = "http://127.0.0.1:8080"

        func validate() throws {
            guard (1...2000).contains(batchSize) else { throw ValidationError("--batch-size must be 1–2000") }
            if let at, Timestamp.parse(at) == nil { throw ValidationError("--at must be an RFC 3339 time, e.g. 2027-03-01T09:00:00+08:00") }
        }

        func run() async throws {
            let logger = Logger(label: "baohao.jobs")
            let environment = ProcessSettings.environment
            let messaging: MessagingSetup.Result
            do {
                messaging = try MessagingSetup.configure(
                    environment: environment, publicBaseURL: publicURL, demo: false, clock: try ProcessClock.shared(), logger: logger)
            } catch let error as MessagingConfigurationError {
                throw ValidationError("\(error)")
            }
            let book = try policyBook(environment)
            let clock: any WallClock = try at.flatMap(Timestamp.parse).map { ManualWallClock($0) } ?? ProcessClock.shared()
            let started = ContinuousClock.now
            let output = try await withStore(database) { store in
                let retention = RetentionService(store: store, clock: clock, book: book, defaultChannels: messaging.defaultChannels)
                let at = clock.now()
                let progress = ProgressReport(label: "jobs run", unit: "lines", total: try await retention.linesDue(now: at))
                // On PostgreSQL a second batch is claimed and reviewed while the first is written
                // (claims skip each other's lines); SQLite has one writer, so one is enough there.
                let workers = database.resolvedURL == nil ? 1 : 2
                let reviews = try await retention.runReviews(now: at, batchSize: batchSize, workers: workers) { summary in
                    progress.update(done: summary.reviewed, step: "\(summary.charges) charge(s), \(summary.stageChanges) stage change(s)")
                }
                progress.finish("\(reviews.reviewed.grouped) line(s) reviewed")
                var sent = ReminderService.DispatchSummary()
                if !noSend {
                    let reminders = ReminderService(store: store, clock: clock, book: book, senders: messaging.senders)
                    let sending = ProgressReport(label: "reminders", unit: "sent or tried")
                    while true {
                        let round = try await reminders.dispatch(limit: 500)
                        sent.claimed += round.claimed
                        sent.sent += round.sent
                        sent.failed += round.failed
                        sent.deferred += round.deferred
                        sent.retrying += round.retrying
                        sending.update(done: sent.claimed)
                        if round.claimed < 500 { break }
                    }
                    sending.finish("\(sent.sent) sent, \(sent.failed) failed")
                }
                try await retention.recordJobRun(
                    job: "retention", startedAt: clock.now(), processed: reviews.reviewed + sent.claimed,
                    detail: "cli: \(reviews.charges) charge(s), \(reviews.stageChanges) stage change(s), \(sent.sent) reminder(s) sent")
                return (reviews, sent)
            }
            let seconds = (ContinuousClock.now - started).totalSeconds
            let (reviews, sent) = output
            say(
                String(
                    format:
                        "reviewed %d line(s) in %d batch(es), %.2f s: %d charge(s) %@, %d stage change(s), %d reminder(s) due; sent %d, deferred %d, failed %d, retrying %d",
                    reviews.reviewed, reviews.batches, seconds, reviews.charges,
                    reviews.charged.map { "\($0.key) \(Money($0.value, Currency(code: $0.key) ?? .cny).decimalString)" }.sorted().joined(
                        separator: ", "),
                    reviews.stageChanges, reviews.reminders, sent.sent, sent.deferred, sent.failed, sent.retrying))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Recent job runs.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let runs = try await withStore(database) {
                try await RetentionService(store: $0, clock: try ProcessClock.shared()).jobRuns(limit: 20)
            }
            for run in runs {
                say("\(Timestamp.format(run.startedAt))  \(run.job)  \(run.processed) processed  \(run.detail)")
            }
        }
    }
}

/// The shipped policies plus `BAOHAO_POLICY_DIR`'s files; a bad file stops the command, named.
func policyBook(_ environment: [String: String]) throws -> PolicyBook {
    do {
        return try loadPolicyBook(environment)
    } catch {
        throw ValidationError(error.description)
    }
}

/// `baohao policies`: list the retention policies, or check policy files before deploying them.
struct Policies: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Retention policies: list them, or check files.", subcommands: [List.self, Check.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The policies this server uses (shipped plus BAOHAO_POLICY_DIR).")
        func run() async throws {
            for policy in try policyBook(ProcessSettings.environment).all {
                say(
                    "\(policy.reference)  from \(policy.effectiveFrom.iso)  \(policy.nameZh) / \(policy.nameEn)  [\(policy.sources.joined(separator: " "))]"
                )
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check policy files; prints file:line: reason for the first problem in each.")
        @Argument(help: "Policy files (JSON, format 1).") var files: [String]

        func run() async throws {
            var failed = false
            for file in files {
                guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                    say("\(file):1: not readable as UTF-8")
                    failed = true
                    continue
                }
                do {
                    let policy = try PolicyLoader.parse(text, file: file)
                    say("\(file): ok (\(policy.reference))")
                } catch {
                    say("\(error)")
                    failed = true
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}
