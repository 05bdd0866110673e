import BaohaoDomain
import Foundation
import Hummingbird

/// Channel policies as operator data: `GET /v1/admin/channels`, `PUT /v1/admin/channels/{channel}`
/// (validated, versioned, each version kept with who set it) and
/// `GET /v1/admin/channels/{channel}/history`.
struct AdminChannelsController<Context: StaffIdentityContext> {
    let channelPolicies: ChannelPolicyService
    let adminToken: String?
    let staff: StaffService

    func addRoutes(to router: Router<Context>) {
        let group = router.group("/v1/admin/channels").add(middleware: AdminAuthMiddleware<Context>(token: adminToken, staff: staff))
        group.get(use: list)
        group.put("/:channel", use: update)
        group.get("/:channel/history", use: history)
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> JSONResponse<[ChannelPolicyView]> {
        JSONResponse(try await channelPolicies.all().map(ChannelPolicyView.init))
    }

    @Sendable func update(_ request: Request, context: Context) async throws -> JSONResponse<ChannelPolicyView> {
        let channel = try Self.channel(context)
        let body = try await request.decodeJSON(UpdateBody.self)
        let policy: ChannelPolicy
        do { policy = try body.rules.policy(for: channel) } catch { throw DomainError.validation(error) }
        let record = try await channelPolicies.update(channel, to: policy, expectedVersion: body.version, by: context.actor ?? "unknown")
        return JSONResponse(ChannelPolicyView(record))
    }

    @Sendable func history(_ request: Request, context: Context) async throws -> JSONResponse<[ChannelPolicyView]> {
        JSONResponse(try await channelPolicies.history(try Self.channel(context)).map(ChannelPolicyView.init))
    }

    static func channel(_ context: Context) throws -> Channel {
        let name = context.parameters.get("channel") ?? ""
        guard let channel = Channel(rawValue: name) else { throw DomainError.channelNotFound(String(name.prefix(32))) }
        return channel
    }

    /// The rules, and optionally the version they replace (a mismatch is 409).
    struct UpdateBody: Decodable {
        let rules: ChannelPolicyDocument
        let version: Int?

        enum CodingKeys: String, CodingKey { case version }

        init(from decoder: any Decoder) throws {
            rules = try ChannelPolicyDocument(from: decoder)
            version = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(Int.self, forKey: .version)
        }
    }
}

/// A channel's policy as the admin API shows it: the rules (``ChannelPolicyDocument``'s fields)
/// beside `channel`, `version`, `updated_at` and `updated_by` (both `null` for the shipped default).
struct ChannelPolicyView: Encodable, Sendable {
    let record: ChannelPolicyRecord

    init(_ record: ChannelPolicyRecord) { self.record = record }

    enum CodingKeys: String, CodingKey {
        case channel, version
        case updatedAt = "updated_at"
        case updatedBy = "updated_by"
    }

    func encode(to encoder: any Encoder) throws {
        try ChannelPolicyDocument(record.policy).encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(record.policy.channel.rawValue, forKey: .channel)
        try container.encode(record.version, forKey: .version)
        try container.encode(record.updatedAt.map(Timestamp.format), forKey: .updatedAt)
        try container.encode(record.updatedBy, forKey: .updatedBy)
    }
}
