import Foundation

/// Deletes what sign-in no longer needs: one-time code records after a day (the limits look back
/// one hour; the record holds a number and a client-address hash), and sessions that have ended.
public struct SignInHousekeeping: Sendable {
    /// The ports this service uses, and no others.
    let store: Transactions<any StaffRows>
    let clock: any WallClock

    /// How long code records are kept.
    public static let codeRetention: TimeInterval = 24 * 3600

    public init(store: any RechargeStore, clock: any WallClock) {
        self.store = Transactions(store) { $0 }
        self.clock = clock
    }

    /// Rows deleted.
    @discardableResult
    public func run() async throws -> Int {
        let now = clock.now()
        return try await store.write { session in
            try await session.purgeSignIns(
                codesCreatedBefore: now.addingTimeInterval(-Self.codeRetention),
                subscriberSessionsSeenBefore: now.addingTimeInterval(-SubscriberService.sessionIdle),
                staffSessionsSeenBefore: now.addingTimeInterval(-StaffService.sessionIdle),
                staffTokensSeenBefore: now.addingTimeInterval(-StaffService.tokenIdle), now: now)
        }
    }
}
