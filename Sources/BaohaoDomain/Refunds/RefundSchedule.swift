import Foundation

/// When a refund's provider is asked again after an answer that was not final (a network error,
/// the provider's "processing"): 30 s, doubling to at most one hour between asks, for at most
/// 48 asks; then the refund stays `processing` and is listed for the operator, never failed on a guess.
public struct RefundSchedule: Sendable, Hashable {
    public let first: TimeInterval
    public let longest: TimeInterval
    public let maximumAttempts: Int

    public init(first: TimeInterval, longest: TimeInterval, maximumAttempts: Int) {
        self.first = first
        self.longest = longest
        self.maximumAttempts = maximumAttempts
    }

    public static let standard = RefundSchedule(first: 30, longest: 3600, maximumAttempts: 48)

    /// How long a process may work on a claimed refund before another may take it.
    public static let lease: TimeInterval = 120

    /// The next ask after `attempts` asks, or `nil` when asking stops.
    public func retry(after attempts: Int, now: Date) -> Date? {
        guard attempts < maximumAttempts else { return nil }
        let delay = min(longest, first * pow(2, Double(max(0, attempts - 1))))
        return now + delay
    }
}
