import BaohaoDomain
import Foundation
import Hummingbird

/// Staff tokens for terminals and scripts:
/// - `POST /v1/staff/tokens` `{"username", "password"}` → 201 `{"token", "expires_at", "role"}`;
///   a wrong username or password is 401 (never which), a locked account 429 with `Retry-After`
///   (the console's rules: 5 wrong passwords lock for 15 minutes). Tokens are kept only as hashes
///   and end with the account's sessions (new password, account disabled).
/// - `GET /v1/staff/me` (Bearer): who the token belongs to, and when it ends.
/// - `DELETE /v1/staff/tokens/current` (Bearer): ends the token → 204.
struct StaffTokenController<Context: StaffIdentityContext> {
    let staff: StaffService
    let clock: any WallClock
    /// Reverse proxies whose `X-Forwarded-For` names the client (sign-in limits are per client).
    let trustedProxies: Set<String>

    func addRoutes(to router: Router<Context>) {
        router.post("/v1/staff/tokens", use: issue)
        let authenticated = router.group("/v1/staff").add(middleware: StaffTokenMiddleware<Context>(staff: staff))
        authenticated.get("/me", use: me)
        authenticated.delete("/tokens/current", use: revoke)
    }

    struct Credentials: Decodable {
        let username: String
        let password: String
        /// The authenticator app's current code (or a recovery code), for accounts with a second factor.
        let otp: String?
    }

    struct Issued: Encodable {
        let token: String
        let expiresAt: String
        let role: String

        enum CodingKeys: String, CodingKey {
            case token, role
            case expiresAt = "expires_at"
        }
    }

    @Sendable func issue(_ request: Request, context: Context) async throws -> JSONResponse<Issued> {
        let body = try await request.decodeJSON(Credentials.self, limit: 2 * 1024)
        guard !body.username.isEmpty, body.username.count <= 32 else {
            throw Problem(.unprocessableContent, "validation-error", detail: "1–32 characters", field: "username")
        }
        guard !body.password.isEmpty, body.password.count <= 128 else {
            throw Problem(.unprocessableContent, "validation-error", detail: "1–128 characters", field: "password")
        }
        let client = ClientAddress.key(request, context: context, trustedProxies: trustedProxies)
        if let otp = body.otp, otp.count > 32 {
            throw Problem(.unprocessableContent, "validation-error", detail: "at most 32 characters", field: "otp")
        }
        switch try await staff.signIn(username: body.username, password: body.password, kind: .token, client: client, code: body.otp) {
        case .signedIn(let token, let account, let expiresAt):
            return JSONResponse(
                Issued(token: token, expiresAt: Timestamp.format(expiresAt), role: account.role.rawValue), status: .created)
        case .refused:
            throw Problem(.unauthorized, "invalid-credentials")
        case .secondFactorNeeded:
            throw Problem(
                .unauthorized, "second-factor-required",
                detail: "this account has two-factor authentication: send \"otp\" with the app's current code or a recovery code",
                field: "otp")
        case .enrolmentNeeded:
            throw Problem(
                .forbidden, "second-factor-enrolment-required",
                detail: "administrators must set up two-factor authentication in the console (/staff/2fa) first")
        case .locked(let until):
            let seconds = max(1, Int(until.timeIntervalSince(clock.now()).rounded(.up)))
            throw Problem(
                .tooManyRequests, "account-locked",
                detail: "too many attempts from this client; try again after \(Timestamp.format(until))",
                headers: [.retryAfter: String(seconds)])
        }
    }

    struct Me: Encodable {
        let username: String
        let displayName: String
        let role: String

        enum CodingKeys: String, CodingKey {
            case username, role
            case displayName = "display_name"
        }
    }

    @Sendable func me(_ request: Request, context: Context) async throws -> JSONResponse<Me> {
        let account = try context.signedInStaff
        return JSONResponse(Me(username: account.username, displayName: account.displayName, role: account.role.rawValue))
    }

    @Sendable func revoke(_ request: Request, context: Context) async throws -> Response {
        guard let token = request.bearerToken else { throw Problem(.unauthorized, "unauthorized") }
        try await staff.signOut(token: token)
        return Response(status: .noContent)
    }
}
