import Testing

@testable import BaohaoStorage

/// The group commit's scheduling without a database: transitions in, actions out.
@Suite("Group commit scheduling")
struct GroupCommitStateTests {
    @Test func jobsThatArriveWhileABatchCommitsFormTheNextBatchUpToItsLimit() {
        var state = GroupCommitState<Int>(maximumBatch: 3, maximumInFlight: 1)
        #expect(state.submit(1).start == [[1]])
        for job in 2...6 { #expect(state.submit(job).start.isEmpty) }
        #expect(state.pending == [2, 3, 4, 5, 6] && state.inFlight == 1)
        #expect(state.batchFinished().start == [[2, 3, 4]])
        #expect(state.batchFinished().start == [[5, 6]])
        #expect(state.batchFinished().start.isEmpty && state.inFlight == 0)
    }

    @Test func severalBatchesRunAtOnceWhereTheDatabaseAllowsIt() {
        var state = GroupCommitState<Int>(maximumBatch: 2, maximumInFlight: 2)
        #expect(state.submit(1).start == [[1]])
        #expect(state.submit(2).start == [[2]])
        #expect(state.submit(3).start.isEmpty && state.submit(4).start.isEmpty && state.submit(5).start.isEmpty)
        #expect(state.batchFinished().start == [[3, 4]])
        #expect(state.inFlight == 2 && state.pending == [5])
    }

    @Test func exclusiveWorkWaitsForTheBatchesInFlightAndNoNewBatchStartsMeanwhile() {
        var state = GroupCommitState<Int>(maximumBatch: 10, maximumInFlight: 2)
        _ = state.submit(1)
        #expect(state.requestExclusive() == false && state.exclusiveWaiting == 1)
        #expect(state.submit(2).start.isEmpty, "a batch started while exclusive work waited")
        let granted = state.batchFinished()
        #expect(granted.grantExclusive == 1 && granted.start.isEmpty && state.exclusiveRunning)
        #expect(state.submit(3).start.isEmpty)
        #expect(state.exclusiveFinished().start == [[2, 3]])
    }

    @Test func exclusiveWorkRunsAtOnceWhenIdleAndOneAtATime() {
        var state = GroupCommitState<Int>(maximumBatch: 10, maximumInFlight: 1)
        #expect(state.requestExclusive() == true)
        #expect(state.requestExclusive() == false)
        let next = state.exclusiveFinished()
        #expect(next.grantExclusive == 1 && state.exclusiveRunning && state.exclusiveWaiting == 0)
        #expect(state.exclusiveFinished().grantExclusive == 0 && !state.exclusiveRunning)
        #expect(state.submit(7).start == [[7]])
    }
}
