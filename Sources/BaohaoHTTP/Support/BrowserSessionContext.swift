import BaohaoDomain
import Hummingbird

/// A request context that carries who is signed in through a browser session: a member of staff
/// in the console (``StaffIdentityContext/staff``, as a staff token sets it for terminals) or a
/// subscriber in the portal. Set only by ``BrowserSessionMiddleware``.
public protocol BrowserSessionContext: StaffIdentityContext {
    /// The subscriber's live portal session, when the request carried one.
    var subscriber: SubscriberSession? { get set }
}

extension BrowserSessionContext {
    /// The subscriber's session on a route that ``BrowserSessionMiddleware`` guards.
    var signedInSubscriber: SubscriberSession {
        get throws {
            guard let subscriber else { throw Problem(.unauthorized, "unauthorized") }
            return subscriber
        }
    }
}
