import BaohaoDomain
import Foundation
import Hummingbird

/// Request rates as token buckets, one per key: `perSecond` tokens a second, at most `burst`
/// saved up. Kept in this process; with several server processes, each allows the rate (a load
/// balancer spreading a client over N processes gives it up to N times the rate).
final class TokenBuckets: @unchecked Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    private let lock = NSLock()
    private var buckets: [String: Bucket] = [:]
    let clock: any WallClock
    /// Most keys remembered; full buckets are forgotten first beyond it.
    static let maximumKeys = 100_000

    init(clock: any WallClock) {
        self.clock = clock
    }

    /// Takes a token for `key`; `nil` when the request may go ahead, else the seconds until it may.
    func take(_ key: String, perSecond: Double, burst: Int) -> Int? {
        let now = clock.now()
        let capacity = Double(max(burst, 1))
        let rate = max(perSecond, 0.000_001)
        return lock.withLock {
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) * rate)
            bucket.updated = now
            defer {
                buckets[key] = bucket
                if buckets.count > Self.maximumKeys { buckets = buckets.filter { $0.value.tokens < capacity } }
            }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))
        }
    }
}

/// The anonymous number lookup (核对信息: `/v1/lines/{msisdn}/confirm` and the portal's
/// confirmation page) limited per client address and over the process, with budgets a real payer
/// never reaches: it says which numbers are ours and in which stage, which is worth guessing at.
struct LookupLimits: Sendable {
    /// Lookups a minute from one client address (`BAOHAO_CONFIRM_PER_ADDRESS_PER_MINUTE`, default 60).
    let perAddressPerMinute: Int
    /// Lookups a second over the process (`BAOHAO_CONFIRM_GLOBAL_PER_SECOND`, default 2,000).
    let globalPerSecond: Int
    let buckets: TokenBuckets
    let trustedProxies: Set<String>

    /// Takes a lookup for the client; throws 429 with `Retry-After` when over a budget.
    func check(_ request: Request, context: some RequestContext) throws {
        let address = ClientAddress.key(request, context: context, trustedProxies: trustedProxies)
        let wait =
            buckets.take("address:\(address)", perSecond: Double(perAddressPerMinute) / 60, burst: perAddressPerMinute)
            ?? buckets.take("global", perSecond: Double(globalPerSecond), burst: globalPerSecond)
        if let wait {
            throw Problem(
                .tooManyRequests, "too-many-requests", detail: "too many number lookups; try again in \(wait) s",
                headers: [.retryAfter: String(wait)])
        }
    }
}
