import BaohaoDomain
import Foundation
import Hummingbird

/// Guards staff JSON APIs for terminals and scripts: `Authorization: Bearer <staff token>` from
/// `POST /v1/staff/tokens`, any role (a route that needs more checks `context.staff`). 401 without
/// a live token of an enabled account.
struct StaffTokenMiddleware<Context: StaffIdentityContext>: RouterMiddleware {
    let staff: StaffService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = request.bearerToken, let account = try await staff.authenticate(token: token, kind: .token)
        else { throw Problem(.unauthorized, "unauthorized") }
        var context = context
        context.staff = account
        context.actor = "staff:\(account.username)"
        return try await next(request, context)
    }
}
