import CoreMetrics

/// What the write path reports to the metrics system (`/metrics` when `serve` runs):
///
/// - `baohao_group_commit_batch_size`: writes committed together in one transaction;
/// - `baohao_db_write_wait_seconds`: from a write's submission to the start of its batch — the
///   wait for the database, which grows when the connections are all busy;
/// - `baohao_db_batches_in_flight`: batches holding a connection now (SQLite: at most one).
enum StoreMetrics {
    static let batchSize = Recorder(label: "baohao_group_commit_batch_size", aggregate: true)
    static let writeWait = Timer(label: "baohao_db_write_wait_seconds")
    static let batchesInFlight = Meter(label: "baohao_db_batches_in_flight")
}

extension Duration {
    /// The duration in whole nanoseconds, saturating.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds.multipliedReportingOverflow(by: 1_000_000_000).overflow
            ? .max : seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
