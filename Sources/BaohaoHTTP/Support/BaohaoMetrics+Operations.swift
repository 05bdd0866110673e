import BaohaoDomain
import Foundation
import Prometheus

/// The series an operator alerts on, beside the HTTP ones and the business counters:
///
/// - `baohao_payment_refusals_total{provider,reason}`: notifications refused (bad signature,
///   stale timestamp, amount mismatch, unknown order …), by the reason code kept with them;
/// - `baohao_notification_to_credit_seconds{provider}`: from a notification's arrival to the
///   durable commit of its credit;
/// - `baohao_reconciler_asks_total`, `baohao_reconciler_outcomes_total{outcome}`;
/// - `baohao_retention_runs_total`, `baohao_retention_lines_reviewed_total`,
///   `baohao_retention_charges_total`, `baohao_retention_stage_changes_total`,
///   `baohao_retention_run_seconds`;
/// - `baohao_reminders_total{channel,outcome}`.
extension BaohaoMetrics {
    static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20), .milliseconds(50),
        .milliseconds(100), .milliseconds(200), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5),
    ]
    static let runBuckets: [Duration] = [
        .milliseconds(10), .milliseconds(100), .seconds(1), .seconds(5), .seconds(15), .seconds(60), .seconds(300),
    ]

    static func name(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    func refused(provider: String, reason: String) {
        registry.makeCounter(
            descriptor: Self.name("baohao_payment_refusals_total", "Payment notifications refused, by provider and reason"),
            labels: [("provider", provider), ("reason", reason)]
        ).increment()
    }

    func notificationToCredit(provider: String, _ elapsed: Duration) {
        registry.makeDurationHistogram(
            descriptor: Self.name("baohao_notification_to_credit_seconds", "From a notification's arrival to its durable credit"),
            labels: [("provider", provider)], buckets: Self.latencyBuckets
        ).record(elapsed)
    }

    /// One reconciliation round.
    public func reconcilerRun(_ run: Reconciler.Run) {
        registry.makeCounter(descriptor: Self.name("baohao_reconciler_asks_total", "Orders the reconciler asked a provider about"))
            .increment(by: Int64(run.asked))
        let outcomes: [(String, Int)] = [
            ("credited", run.credited), ("closed", run.closed), ("pending", run.pending), ("error", run.errors),
            ("already_applied", run.alreadyApplied), ("not_found", run.notFound),
        ]
        for (outcome, count) in outcomes where count > 0 {
            registry.makeCounter(
                descriptor: Self.name("baohao_reconciler_outcomes_total", "What providers answered the reconciler"),
                labels: [("outcome", outcome)]
            ).increment(by: Int64(count))
        }
    }

    /// One retention round: the review of due lines, and the reminders it sent.
    public func retentionRun(_ reviews: RetentionService.RunSummary, reminders: ReminderService.DispatchSummary, elapsed: Duration) {
        registry.makeCounter(descriptor: Self.name("baohao_retention_runs_total", "Retention rounds run")).increment()
        registry.makeCounter(descriptor: Self.name("baohao_retention_lines_reviewed_total", "Lines reviewed by the retention runner"))
            .increment(by: Int64(reviews.reviewed))
        registry.makeCounter(descriptor: Self.name("baohao_retention_charges_total", "Monthly fees and other charges posted"))
            .increment(by: Int64(reviews.charges))
        registry.makeCounter(descriptor: Self.name("baohao_retention_stage_changes_total", "Lines moved to another stage"))
            .increment(by: Int64(reviews.stageChanges))
        registry.makeDurationHistogram(
            descriptor: Self.name("baohao_retention_run_seconds", "Time a retention round took"), buckets: Self.runBuckets
        ).record(elapsed)
        for (channel, outcomes) in reminders.byChannel {
            for (outcome, count) in outcomes {
                registry.makeCounter(
                    descriptor: Self.name("baohao_reminders_total", "Reminders attempted, by channel and outcome"),
                    labels: [("channel", channel.rawValue), ("outcome", outcome)]
                ).increment(by: Int64(count))
            }
        }
    }
}
