import BaohaoDomain
import BaohaoTestSupport
import Foundation
import Logging
import Testing

@testable import BaohaoStorage

/// The group commit's batch timeout on an injected clock: a batch whose connection never answers
/// (a database lost mid-transaction) is given up when the clock says the timeout has passed, not
/// before, and the stuck work is cancelled.
@Suite("Group commit timeout")
struct GroupCommitTimeoutTests {
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
    }

    @Test(.timeLimit(.minutes(1))) func aStuckBatchIsGivenUpWhenTheClockSaysSoAndItsWorkIsCancelled() async throws {
        let clock = ManualSleepClock()
        let cancelled = Flag()
        let queue = GroupCommitQueue(
            kind: .sqlite, maximumInFlight: 1, batchTimeout: .seconds(20), clock: clock, logger: Logger(label: "test"),
            connect: { _ in
                do { try await Task.sleep(for: .seconds(3600)) } catch { cancelled.set() }
                throw CancellationError()
            })
        let caller = Task { try await queue.submit { _ in "written" } }

        await clock.waitForSleepers(1)
        #expect(!cancelled.isSet)
        clock.wakeAll()
        await #expect(throws: StoreError.timedOut) { try await caller.value }
        while !cancelled.isSet { await Task.yield() }
    }
}
