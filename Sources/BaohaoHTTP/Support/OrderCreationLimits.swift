import Hummingbird

/// Anonymous orders limited per client address: anyone may order for any number, so a budget a
/// real payer (a family topping up its numbers) never reaches keeps one client from flooding
/// the order tables and the numbers' histories. The per-number cap on waiting orders is the
/// domain's (``RechargeService/pendingOrdersPerNumber``).
struct OrderCreationLimits: Sendable {
    /// Orders an hour from one client address (`BAOHAO_ORDERS_PER_ADDRESS_PER_HOUR`, default 60),
    /// at most 20 of them at once; `nil` for no limit.
    let perAddressPerHour: Int?
    let buckets: TokenBuckets
    let trustedProxies: Set<String>

    /// Takes an order from the client's budget; throws 429 with `Retry-After` when it is spent.
    func check(_ request: Request, context: some RequestContext) throws {
        guard let perAddressPerHour else { return }
        let address = ClientAddress.key(request, context: context, trustedProxies: trustedProxies)
        let burst = min(perAddressPerHour, 20)
        if let wait = buckets.take("orders:\(address)", perSecond: Double(perAddressPerHour) / 3600, burst: burst) {
            throw Problem(
                .tooManyRequests, "too-many-requests", detail: "too many orders from this client; try again in \(wait) s",
                headers: [.retryAfter: String(wait)])
        }
    }
}
