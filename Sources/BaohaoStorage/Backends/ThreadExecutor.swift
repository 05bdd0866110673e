import Foundation

/// A task executor backed by one dedicated thread, which runs its jobs one at a time.
///
/// SQLite's writer runs each group-commit batch here, so the batch's Swift code and its
/// synchronous SQLite calls share one thread: a batch of a dozen statements costs no thread
/// hand-offs, where a thread-pool hop per statement cost more than the statements themselves.
final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopping = false
    private var running = true

    /// Starts the thread.
    init(name: String) {
        let thread = Thread { [self] in
            // Set from the thread itself, so that the system sees it (`top -H`, at most 15 bytes).
            Thread.current.name = name
            loop()
        }
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        if running {
            jobs.append(job)
            condition.signal()
            condition.unlock()
        } else {
            condition.unlock()
            // After shutdown, late work still runs (on the global executor) rather than hanging.
            globalConcurrentExecutor.enqueue(ExecutorJob(job))
        }
    }

    /// Lets the thread finish the jobs it holds and exit.
    func shutdown() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        var batch: [UnownedJob] = []
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                running = false
                condition.unlock()
                return
            }
            swap(&batch, &jobs)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
