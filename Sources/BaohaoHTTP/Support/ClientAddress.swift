import BaohaoDomain
import Crypto
import Foundation
import Hummingbird

/// Who is asking, for per-client limits: the peer's IP address, or, when the peer is a configured
/// reverse proxy (`BAOHAO_TRUSTED_PROXIES`), the right-most address in `X-Forwarded-For` that is
/// not itself one of those proxies. Only a hash of it is ever stored.
public enum ClientAddress {
    static func address(_ request: Request, context: some RequestContext, trustedProxies: Set<String>) -> String? {
        guard let peer = (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress else { return nil }
        guard trustedProxies.contains(peer), let forwarded = request.headers[.init("X-Forwarded-For")!] else { return peer }
        let hops = forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.last(where: { !trustedProxies.contains($0) }) ?? peer
    }

    /// A stable key for rate limits that does not keep the address itself.
    static func key(_ request: Request, context: some RequestContext, trustedProxies: Set<String>) -> String {
        let address = address(request, context: context, trustedProxies: trustedProxies) ?? "unknown"
        return Hex.encode(SHA256.hash(data: Data("baohao-client:\(address)".utf8)).prefix(16))
    }

    /// `BAOHAO_TRUSTED_PROXIES`: comma-separated IP addresses of reverse proxies in front of Baohao.
    public static func trustedProxies(from text: String?) -> Set<String> {
        Set((text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }
}
