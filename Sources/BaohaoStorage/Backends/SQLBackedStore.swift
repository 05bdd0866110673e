import BaohaoDomain
import Foundation

/// A store whose sessions are ``SQLSession``s: the narrow ports beside ``RechargeStore`` are
/// implemented once here for SQLite and PostgreSQL.
protocol SQLBackedStore: RechargeStore {}

extension SQLBackedStore {
    /// The SQL session behind a session this store handed out.
    static func sql(_ session: any StoreSession) throws -> SQLSession {
        guard let sql = session as? SQLSession else { throw StoreError.corrupt("not an SQL session: \(type(of: session))") }
        return sql
    }

    public func channelPolicies() async throws -> [ChannelPolicyRecord] {
        try await read { try await Self.sql($0).channelPolicies() }
    }

    public func saveChannelPolicy(_ record: ChannelPolicyRecord) async throws -> Bool {
        try await write { try await Self.sql($0).saveChannelPolicy(record) }
    }

    public func channelPolicyHistory(_ channel: Channel, limit: Int) async throws -> [ChannelPolicyRecord] {
        try await read { try await Self.sql($0).channelPolicyHistory(channel, limit: limit) }
    }
}

extension SQLiteStore: SQLBackedStore, ChannelPolicyRepository {}
extension PostgresStore: SQLBackedStore, ChannelPolicyRepository {}
