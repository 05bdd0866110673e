import BaohaoDomain
import Foundation
import Hummingbird

/// Checks a partner API request: the `Baohao-HMAC` signature over the method, the path with its
/// query and the body (read here, at most 4 KiB), the timestamp within 300 s, the key still valid,
/// the partner enabled (403 otherwise), and the partner's rate (429 with `Retry-After`).
struct PartnerAuthenticator: Sendable {
    let partners: PartnerService
    let limiter: TokenBuckets
    let clock: any WallClock

    /// The largest request body: 4 KiB.
    static let bodyLimit = 4096

    /// The partner and the body it signed.
    func authenticate(_ request: Request) async throws -> (Partner, [UInt8]) {
        guard let header = request.headers[.authorization], let authorization = PartnerSignature.parse(header) else {
            throw Self.unauthorized("an Authorization header of the form Baohao-HMAC key=<key id>,t=<unix seconds>,sig=<hex>")
        }
        let body = try await request.bodyBytes(limit: Self.bodyLimit)
        guard let (partner, secret) = try await partners.credentials(keyID: authorization.keyID),
            PartnerSignature.verify(
                authorization, secret: secret, method: request.method.rawValue, pathWithQuery: request.uri.string, body: body)
        else { throw Self.unauthorized("the signature does not verify with this key") }
        guard PartnerSignature.isFresh(authorization.timestamp, now: clock.now()) else {
            throw Self.unauthorized(
                "t is more than \(Int(PartnerSignature.window)) s from the server's time (\(Int64(clock.now().timeIntervalSince1970)))")
        }
        guard partner.isEnabled else { throw Problem(DomainError.partnerDisabled) }
        if let wait = limiter.take("partner:\(partner.id)", perSecond: Double(partner.rateLimit), burst: partner.rateLimit) {
            var headers = HTTPFields()
            headers[.retryAfter] = String(wait)
            throw Problem(
                .tooManyRequests, "rate-limited", detail: "at most \(partner.rateLimit) requests a second",
                extensions: ["code": .string("rate_limited")], headers: headers)
        }
        return (partner, body)
    }

    static func unauthorized(_ detail: String) -> Problem {
        Problem(.unauthorized, "unauthorized", detail: detail, headers: [.wwwAuthenticate: "Baohao-HMAC"])
    }
}
