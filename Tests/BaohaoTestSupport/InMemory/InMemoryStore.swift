import BaohaoDomain
import Foundation

/// A store that keeps every table in process memory: the fast test tier.
///
/// It passes the same conformance suite as SQLite and PostgreSQL. Writes run one at a time, each
/// on a private copy of the tables that replaces the committed tables only when its body returns
/// (so a throwing body leaves nothing behind, as a rolled-back transaction would); reads run on the
/// committed tables as they were when the read began. One writer at a time also gives every
/// "locks" and "skips rows another process holds" of the ports their meaning.
public final class InMemoryStore: BaohaoDatabase {
    let committed: CommittedTables
    private var writer: WriterGate { committed.writer }

    /// An empty store.
    public init() {
        committed = CommittedTables()
    }

    /// A second store on the same tables, as a second server process would open the same database.
    public func sharingTables() -> InMemoryStore {
        InMemoryStore(committed: committed)
    }

    private init(committed: CommittedTables) {
        self.committed = committed
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) async throws -> T) async throws -> T {
        try await body(InMemorySession(tables: committed.value, readOnly: true))
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) async throws -> T) async throws -> T {
        try await writeSession(body)
    }

    private func writeSession<T: Sendable>(_ body: (InMemorySession) async throws -> T) async throws -> T {
        await writer.acquire()
        let session = InMemorySession(tables: committed.value, readOnly: false)
        do {
            let result = try await body(session)
            committed.value = session.tables
            await writer.release()
            return result
        } catch {
            await writer.release()
            throw error
        }
    }

    public func ping() async throws {}

    public func probeWrite(at now: Date) async throws {}

    public func shutdown() async throws {}

    // MARK: Channel policies

    public func channelPolicies() async throws -> [ChannelPolicyRecord] {
        committed.value.channelPolicies.values.sorted { $0.policy.channel.rawValue < $1.policy.channel.rawValue }
    }

    public func saveChannelPolicy(_ record: ChannelPolicyRecord) async throws -> Bool {
        try await writeSession { session in
            try session.mutate { t in
                let channel = record.policy.channel
                guard !t.channelPolicyHistory.contains(where: { $0.policy.channel == channel && $0.version == record.version }) else {
                    return false
                }
                if let current = t.channelPolicies[channel], current.version != record.version - 1 { throw StoreError.conflict }
                let stored = ChannelPolicyRecord(
                    policy: record.policy, version: record.version, updatedAt: record.updatedAt ?? Date(timeIntervalSince1970: 0),
                    updatedBy: record.updatedBy ?? "")
                t.channelPolicyHistory.append(stored)
                t.channelPolicies[channel] = stored
                return true
            }
        }
    }

    public func channelPolicyHistory(_ channel: Channel, limit: Int) async throws -> [ChannelPolicyRecord] {
        Array(
            committed.value.channelPolicyHistory.filter { $0.policy.channel == channel }.sorted { $0.version > $1.version }
                .prefix(max(limit, 0)))
    }
}

/// The committed tables, and the gate their writers pass one at a time, shared by the stores that
/// open them.
final class CommittedTables: @unchecked Sendable {
    let writer = WriterGate()
    private let lock = NSLock()
    private var tables = InMemoryTables()

    var value: InMemoryTables {
        get { lock.withLock { tables } }
        set { lock.withLock { tables = newValue } }
    }
}

/// Lets one writer at a time through, in arrival order.
actor WriterGate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
