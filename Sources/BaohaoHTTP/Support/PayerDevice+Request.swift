import BaohaoDomain
import Hummingbird

extension PayerDevice {
    /// The payer's device as this request shows it: the kind from `User-Agent`, the address as
    /// ``ClientAddress`` finds it behind trusted proxies.
    static func from(_ request: Request, context: some RequestContext, trustedProxies: Set<String>) -> PayerDevice {
        PayerDevice(
            kind: kind(userAgent: request.headers[.userAgent]),
            ipAddress: ClientAddress.address(request, context: context, trustedProxies: trustedProxies))
    }
}
