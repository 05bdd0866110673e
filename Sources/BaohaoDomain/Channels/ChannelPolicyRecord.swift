import Foundation

/// A channel's policy as stored: the rules, their version, and who set them when.
///
/// Version 0 is the shipped default, never stored; every change an operator makes is version + 1
/// and is kept in the change history.
public struct ChannelPolicyRecord: Sendable, Hashable {
    public let policy: ChannelPolicy
    public let version: Int
    /// When this version was set; `nil` for the shipped default.
    public let updatedAt: Date?
    /// Who set it: `staff:<username>`, `admin-token`, or `nil` for the shipped default.
    public let updatedBy: String?

    public init(policy: ChannelPolicy, version: Int, updatedAt: Date?, updatedBy: String?) {
        self.policy = policy
        self.version = version
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    /// The shipped default of `channel`.
    public static func shippedDefault(_ channel: Channel) -> ChannelPolicyRecord {
        ChannelPolicyRecord(policy: .defaultPolicy(for: channel), version: 0, updatedAt: nil, updatedBy: nil)
    }
}
