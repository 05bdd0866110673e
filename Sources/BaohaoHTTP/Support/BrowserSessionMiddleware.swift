import BaohaoDomain
import Hummingbird

/// One browser-session model for the staff console and the subscriber portal: the audience's
/// HTTP-only session cookie is checked once per request (expiry, idle time, a disabled account),
/// and who is signed in goes into the typed context — `context.staff` for the console,
/// `context.subscriber` for the portal. Handlers never read the cookie themselves.
///
/// On a group with `required`, a request without a live session is sent to the sign-in page
/// (303); without it (the sign-in pages themselves) the handler sees who, if anyone, is signed in.
/// An administrator who must set up two-factor authentication is sent to `/staff/2fa` first.
struct BrowserSessionMiddleware<Context: BrowserSessionContext>: RouterMiddleware {
    let audience: BrowserSessionAudience
    let required: Bool

    init(_ audience: BrowserSessionAudience, required: Bool) {
        self.audience = audience
        self.required = required
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let token = request.cookies[audience.cookie]?.value
        let signedIn: Bool
        switch audience {
        case .staff(let staff):
            if let token, let account = try await staff.authenticate(token: token, kind: .browser) {
                context.staff = account
                context.actor = "staff:\(account.username)"
                // An administrator without a second factor, where one is required, may do nothing
                // but set it up.
                if required, account.role == .admin, staff.adminsNeedTwoFactor, !request.uri.path.hasPrefix("/staff/2fa"),
                    try await staff.twoFactorStatus(account).required
                {
                    return Response(status: .seeOther, headers: [.location: "/staff/2fa"])
                }
            }
            signedIn = context.staff != nil
        case .subscriber(let subscribers):
            if let token { context.subscriber = try await subscribers.authenticate(token: token) }
            signedIn = context.subscriber != nil
        }
        if required && !signedIn { return Response(status: .seeOther, headers: [.location: audience.signInPath]) }
        return try await next(request, context)
    }
}

/// Whose sessions the cookie holds.
enum BrowserSessionAudience: Sendable {
    case staff(StaffService)
    case subscriber(SubscriberService)

    /// The cookie's name; the staff cookie is also limited to the path `/staff`.
    var cookie: String {
        switch self {
        case .staff: return Self.staffCookie
        case .subscriber: return Self.subscriberCookie
        }
    }

    var signInPath: String {
        switch self {
        case .staff: return "/staff/signin"
        case .subscriber: return "/signin"
        }
    }

    static let staffCookie = "bh_staff"
    static let subscriberCookie = "bh_session"
}
