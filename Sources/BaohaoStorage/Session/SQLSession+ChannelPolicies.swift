import BaohaoDomain
import Foundation
import SQLKit

extension SQLSession {
    static func channelPolicyRecord(_ row: any SQLRow, at: String, by: String) throws -> ChannelPolicyRecord {
        let name = try row.decode(column: "channel", as: String.self)
        guard let channel = Channel(rawValue: name) else { throw StoreError.corrupt("channel \(name)") }
        let body = try row.decode(column: "body", as: String.self)
        let policy: ChannelPolicy
        do {
            policy = try StoredJSON.decode(ChannelPolicyDocument.self, body).policy(for: channel)
        } catch {
            throw StoreError.corrupt("channel policy \(name): \(error)")
        }
        return ChannelPolicyRecord(
            policy: policy, version: Int(try row.decode(column: "version", as: Int64.self)), updatedAt: try date(row, at),
            updatedBy: try row.decode(column: by, as: String.self))
    }

    static func channelPolicyBody(_ policy: ChannelPolicy) throws -> String {
        try StoredJSON.text(ChannelPolicyDocument(policy))
    }

    func channelPolicies() async throws -> [ChannelPolicyRecord] {
        try await db.raw("SELECT channel, version, body, updated_at, updated_by FROM channel_policies ORDER BY channel").all()
            .map { try Self.channelPolicyRecord($0, at: "updated_at", by: "updated_by") }
    }

    /// The history row goes in first: its key (channel, version) lets only one writer of a
    /// version through, so a lost race writes nothing.
    func saveChannelPolicy(_ record: ChannelPolicyRecord) async throws -> Bool {
        let channel = record.policy.channel.rawValue
        let body = try Self.channelPolicyBody(record.policy)
        let at = (record.updatedAt ?? Date(timeIntervalSince1970: 0)).millis
        let by = record.updatedBy ?? ""
        let version = Int64(record.version)
        let inserted = try await db.raw(
            """
            INSERT INTO channel_policy_changes (channel, version, body, changed_at, changed_by)
            VALUES (\(bind: channel), \(bind: version), \(bind: body), \(bind: at), \(bind: by))
            ON CONFLICT (channel, version) DO NOTHING RETURNING version
            """
        ).all()
        guard !inserted.isEmpty else { return false }
        let updated = try await db.raw(
            """
            INSERT INTO channel_policies (channel, version, body, updated_at, updated_by)
            VALUES (\(bind: channel), \(bind: version), \(bind: body), \(bind: at), \(bind: by))
            ON CONFLICT (channel) DO UPDATE SET version = excluded.version, body = excluded.body, updated_at = excluded.updated_at,
              updated_by = excluded.updated_by
            WHERE channel_policies.version = excluded.version - 1
            RETURNING version
            """
        ).all()
        guard !updated.isEmpty else { throw StoreError.conflict }
        return true
    }

    func channelPolicyHistory(_ channel: Channel, limit: Int) async throws -> [ChannelPolicyRecord] {
        try await db.raw(
            """
            SELECT channel, version, body, changed_at, changed_by FROM channel_policy_changes WHERE channel = \(bind: channel.rawValue)
            ORDER BY version DESC LIMIT \(unsafeRaw: String(limit))
            """
        ).all().map { try Self.channelPolicyRecord($0, at: "changed_at", by: "changed_by") }
    }
}
