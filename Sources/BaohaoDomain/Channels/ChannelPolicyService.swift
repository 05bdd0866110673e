import Foundation

/// The channel policies every channel quotes by: the operator's version where one is set, the
/// shipped default otherwise.
///
/// Reads are served from memory and refreshed from the store at most every
/// ``refreshSeconds`` (so another server process's change is seen within that time); a change
/// made through this service is seen at once.
public final class ChannelPolicyService: Sendable {
    let repository: any ChannelPolicyRepository
    let clock: any WallClock
    /// How old the in-memory copy may get before a read reloads it.
    public static let refreshSeconds: TimeInterval = 5
    private let cache = Cache()

    public init(repository: any ChannelPolicyRepository, clock: any WallClock) {
        self.repository = repository
        self.clock = clock
    }

    /// Every channel's current policy, in ``Channel`` order.
    public func all() async throws -> [ChannelPolicyRecord] {
        let stored = try await current()
        return Channel.allCases.map { stored[$0] ?? .shippedDefault($0) }
    }

    /// The policy `channel` quotes by now.
    public func policy(for channel: Channel) async throws -> ChannelPolicy {
        (try await current()[channel] ?? .shippedDefault(channel)).policy
    }

    /// Sets `channel`'s rules as the next version, by `actor`. With `expectedVersion`, refuses
    /// (``DomainError/channelPolicyVersionConflict``) if the current version is another.
    public func update(_ channel: Channel, to policy: ChannelPolicy, expectedVersion: Int?, by actor: String) async throws
        -> ChannelPolicyRecord
    {
        precondition(policy.channel == channel)
        let stored = try await repository.channelPolicies()
        let current = stored.first { $0.policy.channel == channel } ?? .shippedDefault(channel)
        if let expectedVersion, expectedVersion != current.version {
            throw DomainError.channelPolicyVersionConflict(current: current.version)
        }
        let record = ChannelPolicyRecord(policy: policy, version: current.version + 1, updatedAt: clock.now(), updatedBy: actor)
        guard try await repository.saveChannelPolicy(record) else {
            throw DomainError.channelPolicyVersionConflict(current: current.version + 1)
        }
        cache.clear()
        return record
    }

    /// A channel's versions, newest first.
    public func history(_ channel: Channel, limit: Int = 50) async throws -> [ChannelPolicyRecord] {
        try await repository.channelPolicyHistory(channel, limit: min(max(limit, 1), 500))
    }

    private func current() async throws -> [Channel: ChannelPolicyRecord] {
        let now = clock.now()
        if let fresh = cache.get(now: now) { return fresh }
        let loaded = Dictionary(try await repository.channelPolicies().map { ($0.policy.channel, $0) }) { $1 }
        cache.set(loaded, at: now)
        return loaded
    }

    private final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var records: [Channel: ChannelPolicyRecord]?
        private var loadedAt: Date?

        func get(now: Date) -> [Channel: ChannelPolicyRecord]? {
            lock.withLock {
                guard let records, let loadedAt, now.timeIntervalSince(loadedAt) < ChannelPolicyService.refreshSeconds,
                    now >= loadedAt
                else { return nil }
                return records
            }
        }

        func set(_ records: [Channel: ChannelPolicyRecord], at now: Date) {
            lock.withLock {
                self.records = records
                loadedAt = now
            }
        }

        func clear() { lock.withLock { records = nil } }
    }
}
