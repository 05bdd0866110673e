import BaohaoDomain
import Hummingbird

/// A request context that carries who is acting, set by an authenticating middleware so that
/// handlers record it (for example with each channel policy version) without checking again.
public protocol StaffIdentityContext: RequestContext {
    /// `staff:<username>` for a member of staff, `admin-token` for `BAOHAO_ADMIN_TOKEN`; `nil`
    /// before authentication.
    var actor: String? { get set }
    /// The member of staff behind a staff token, when the request carried one.
    var staff: StaffAccount? { get set }
}

extension StaffIdentityContext {
    /// The member of staff on a route that ``StaffTokenMiddleware`` or ``BrowserSessionMiddleware``
    /// guards; a route outside such a group is a programming error, answered 401.
    var signedInStaff: StaffAccount {
        get throws {
            guard let staff else { throw Problem(.unauthorized, "unauthorized") }
            return staff
        }
    }
}
