import BaohaoDomain
import Foundation

/// Each partner's request rate, as a token bucket per partner: `rate` tokens a second, at most
/// `rate` saved up (a one-second burst). Kept in this process; with several server processes on one
/// database, each process allows the rate (a load balancer spreading a partner over N processes
/// gives it up to N times the rate).
final class PartnerRateLimiter: @unchecked Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    private let lock = NSLock()
    private var buckets: [String: Bucket] = [:]
    let clock: any WallClock

    init(clock: any WallClock) {
        self.clock = clock
    }

    /// Takes a token for the partner; `nil` when it may go ahead, else the seconds until it may.
    func take(partnerID: String, rate: Int) -> Int? {
        let now = clock.now()
        let capacity = Double(max(rate, 1))
        return lock.withLock {
            var bucket = buckets[partnerID] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = max(0, now.timeIntervalSince(bucket.updated))
            bucket.tokens = min(capacity, bucket.tokens + elapsed * capacity)
            bucket.updated = now
            defer { buckets[partnerID] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / capacity).rounded(.up)))
        }
    }
}
