/// The group commit's scheduling, as a value: which waiting jobs form the next batches, how many
/// batches are in flight, and when exclusive work (migrations) may run. Its mutating methods
/// return what the driver (``GroupCommitQueue``) must do; it does no I/O, starts no tasks and
/// reads no clock, so every transition is tested without a database.
///
/// Exclusive work waits for the batches in flight to finish, and no new batch starts while it
/// waits or runs (the queue used to start new batches meanwhile, and spun on `Task.yield()`).
struct GroupCommitState<Job> {
    /// Most jobs in one batch.
    let maximumBatch: Int
    /// Most batches in flight at once.
    let maximumInFlight: Int
    private(set) var pending: [Job] = []
    private(set) var inFlight = 0
    /// Exclusive work running now.
    private(set) var exclusiveRunning = false
    /// Exclusive requests waiting for the batches in flight to finish.
    private(set) var exclusiveWaiting = 0

    init(maximumBatch: Int, maximumInFlight: Int) {
        precondition(maximumBatch >= 1 && maximumInFlight >= 1)
        self.maximumBatch = maximumBatch
        self.maximumInFlight = maximumInFlight
    }

    /// What the driver does after a transition: start these batches, and resume this many waiting
    /// exclusive requests (0 or 1).
    struct Actions {
        var start: [[Job]] = []
        var grantExclusive = 0
    }

    /// A job arrives.
    mutating func submit(_ job: Job) -> Actions {
        pending.append(job)
        return Actions(start: takeBatches())
    }

    /// A batch was committed or given up.
    mutating func batchFinished() -> Actions {
        precondition(inFlight > 0, "a batch finished that was never started")
        inFlight -= 1
        return next()
    }

    /// Exclusive work asks to run: `true` if it may run now; otherwise it waits for a grant.
    mutating func requestExclusive() -> Bool {
        if !exclusiveRunning && exclusiveWaiting == 0 && inFlight == 0 {
            exclusiveRunning = true
            return true
        }
        exclusiveWaiting += 1
        return false
    }

    /// Exclusive work ended.
    mutating func exclusiveFinished() -> Actions {
        precondition(exclusiveRunning, "exclusive work finished that was never granted")
        exclusiveRunning = false
        return next()
    }

    private mutating func next() -> Actions {
        guard !exclusiveRunning else { return Actions() }
        if exclusiveWaiting > 0 {
            guard inFlight == 0 else { return Actions() }
            exclusiveWaiting -= 1
            exclusiveRunning = true
            return Actions(grantExclusive: 1)
        }
        return Actions(start: takeBatches())
    }

    private mutating func takeBatches() -> [[Job]] {
        var batches: [[Job]] = []
        while !exclusiveRunning, exclusiveWaiting == 0, inFlight < maximumInFlight, !pending.isEmpty {
            let count = min(maximumBatch, pending.count)
            batches.append(Array(pending.prefix(count)))
            pending.removeFirst(count)
            inFlight += 1
        }
        return batches
    }
}
