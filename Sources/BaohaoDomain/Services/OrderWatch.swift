import Foundation

/// Payers waiting for their orders' status (the order page's live updates), served by one reader
/// for the whole process: every ``Limits/interval`` it reads the status of every watched order in
/// one query per 1,000 orders, and wakes only the watchers whose order changed. A watcher costs
/// memory, never a query of its own; a credit in this process wakes the reader at once
/// (``nudge()``), one in another process sharing the database within an interval.
public actor OrderWatch {
    /// Bounds on watching.
    public struct Limits: Sendable {
        /// Watchers of one order (the payer's tabs and devices).
        public var perOrder: Int
        /// Watchers from one client.
        public var perClient: Int
        /// Watchers in the process.
        public var total: Int
        /// How often watched orders are read.
        public var interval: Duration
        /// How often a watcher is sent a keep-alive (which also finds a client that has gone).
        public var heartbeat: Duration
        /// Longest a watcher is kept.
        public var longest: Duration

        public init(
            perOrder: Int = 4, perClient: Int = 16, total: Int = 10_000, interval: Duration = .milliseconds(500),
            heartbeat: Duration = .seconds(15), longest: Duration = .seconds(15 * 60)
        ) {
            self.perOrder = perOrder
            self.perClient = perClient
            self.total = total
            self.interval = interval
            self.heartbeat = heartbeat
            self.longest = longest
        }
    }

    /// What a watcher is told.
    public enum Event: Sendable, Equatable {
        /// The order's status is now this (the first event carries the status when watching began).
        case status(OrderStatus)
        /// Nothing changed; time to show the client we are still here.
        case heartbeat
    }

    /// Why a watcher was turned away.
    public enum Refusal: Error, Sendable, Equatable {
        case perOrder
        case perClient
        case total
    }

    private struct Watcher {
        let orderID: String
        let client: String
        let continuation: AsyncStream<Event>.Continuation
        var nextHeartbeat: ContinuousClock.Instant
        let ends: ContinuousClock.Instant
    }

    private struct Watched {
        var status: OrderStatus
        let expiresAt: Date
        var watchers: Set<UUID>
    }

    private let store: Transactions<any OrderRows>
    private let clock: any WallClock
    public nonisolated let limits: Limits
    private var watchers: [UUID: Watcher] = [:]
    private var orders: [String: Watched] = [:]
    private var perClient: [String: Int] = [:]
    private var reader: Task<Void, Never>?
    private var nudged = false

    public init(store: any RechargeStore, clock: any WallClock, limits: Limits = Limits()) {
        self.store = Transactions(store, as: { $0 })
        self.clock = clock
        self.limits = limits
    }

    /// Watchers now.
    public var count: Int { watchers.count }

    /// Starts watching `order` for `client` (an opaque key, e.g. a hash of the address). The stream
    /// starts with the order's status and ends after a status a payer stops waiting at, after
    /// ``Limits/longest``, or when the caller stops reading it.
    public func watch(_ order: RechargeOrder, client: String) throws(Refusal) -> AsyncStream<Event> {
        if watchers.count >= limits.total { throw .total }
        if (orders[order.id]?.watchers.count ?? 0) >= limits.perOrder { throw .perOrder }
        if perClient[client, default: 0] >= limits.perClient { throw .perClient }
        let id = UUID()
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(8))
        let status = effective(order.status, expiresAt: order.expiresAt)
        let now = ContinuousClock.now
        watchers[id] = Watcher(
            orderID: order.id, client: client, continuation: continuation, nextHeartbeat: now + limits.heartbeat,
            ends: now + limits.longest)
        orders[order.id, default: Watched(status: status, expiresAt: order.expiresAt, watchers: [])].watchers.insert(id)
        perClient[client, default: 0] += 1
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            Task { await self.remove(id) }
        }
        continuation.yield(.status(status))
        if status.isFinalForPayer {
            continuation.finish()
        } else if reader == nil {
            reader = Task { await self.read() }
        }
        return stream
    }

    /// Reads the watched orders now instead of at the next interval (after a credit in this process).
    public func nudge() {
        nudged = true
    }

    private func remove(_ id: UUID) {
        guard let watcher = watchers.removeValue(forKey: id) else { return }
        orders[watcher.orderID]?.watchers.remove(id)
        if orders[watcher.orderID]?.watchers.isEmpty == true { orders[watcher.orderID] = nil }
        let left = perClient[watcher.client, default: 1] - 1
        perClient[watcher.client] = left > 0 ? left : nil
    }

    /// An unpaid order past its time is expired to the payer before the sweeper marks it.
    private func effective(_ status: OrderStatus, expiresAt: Date) -> OrderStatus {
        status == .pendingPayment && expiresAt <= clock.now() ? .expired : status
    }

    private func read() async {
        let step = Duration.milliseconds(50)
        var sinceRead = Duration.zero
        while !watchers.isEmpty {
            if nudged || sinceRead >= limits.interval {
                nudged = false
                sinceRead = .zero
                await readOnce()
                tick()
            }
            try? await Task.sleep(for: step)
            sinceRead += step
        }
        reader = nil
    }

    private func readOnce() async {
        let ids = Array(orders.keys)
        var index = 0
        while index < ids.count {
            let chunk = Array(ids[index..<min(index + 1_000, ids.count)])
            index += chunk.count
            guard let statuses = try? await store.read({ try await $0.orderStatuses(ids: chunk) }) else { continue }
            for id in chunk {
                guard let watched = orders[id], let stored = statuses[id] else { continue }
                let status = effective(stored, expiresAt: watched.expiresAt)
                guard status != watched.status else { continue }
                orders[id]?.status = status
                for watcherID in watched.watchers {
                    guard let watcher = watchers[watcherID] else { continue }
                    watcher.continuation.yield(.status(status))
                    watchers[watcherID]?.nextHeartbeat = ContinuousClock.now + limits.heartbeat
                    if status.isFinalForPayer { watcher.continuation.finish() }
                }
            }
        }
    }

    private func tick() {
        let now = ContinuousClock.now
        for (id, watcher) in watchers {
            if now >= watcher.ends {
                watcher.continuation.finish()
            } else if now >= watcher.nextHeartbeat {
                watchers[id]?.nextHeartbeat = now + limits.heartbeat
                watcher.continuation.yield(.heartbeat)
            }
        }
    }
}
