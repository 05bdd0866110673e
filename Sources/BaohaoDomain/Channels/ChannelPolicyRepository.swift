import Foundation

/// The port channel policies are kept behind: the current version of each channel that has one,
/// and the append-only history of every version, with who set it.
public protocol ChannelPolicyRepository: Sendable {
    /// The stored current version of every channel that has one.
    func channelPolicies() async throws -> [ChannelPolicyRecord]
    /// Stores `record` as its channel's current version and appends it to the history, if the
    /// current version is still `record.version - 1`; `false` if another change came first.
    func saveChannelPolicy(_ record: ChannelPolicyRecord) async throws -> Bool
    /// A channel's versions, newest first, at most `limit`.
    func channelPolicyHistory(_ channel: Channel, limit: Int) async throws -> [ChannelPolicyRecord]
}
