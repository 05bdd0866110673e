import BaohaoDomain
import BaohaoPayments
import Crypto
import Foundation
import Hummingbird

/// Guards `/v1/admin`: `Authorization: Bearer <BAOHAO_ADMIN_TOKEN>` (compared in constant time),
/// or the bearer token of a member of staff with the admin role (`POST /v1/staff/tokens`). Without
/// either the answer is 401 and nothing else; a token of a role not in `roles` (an operator's,
/// on most routes) is 403. Sets the context's actor.
struct AdminAuthMiddleware<Context: StaffIdentityContext>: RouterMiddleware {
    let tokenDigest: [UInt8]?
    let staff: StaffService?
    let roles: Set<StaffRole>

    init(token: String?, staff: StaffService?, roles: Set<StaffRole> = [.admin]) {
        tokenDigest = token.flatMap { $0.isEmpty ? nil : Array(SHA256.hash(data: Data($0.utf8))) }
        self.staff = staff
        self.roles = roles
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let presented = request.bearerToken else { throw Self.unauthorized }
        var context = context
        if let tokenDigest, ConstantTime.equal(Array(SHA256.hash(data: Data(presented.utf8))), tokenDigest) {
            context.actor = "admin-token"
        } else if let staff, let account = try await staff.authenticate(token: presented, kind: .token) {
            guard roles.contains(account.role) else { throw Problem(.forbidden, "forbidden") }
            context.actor = "staff:\(account.username)"
            context.staff = account
        } else {
            throw Self.unauthorized
        }
        return try await next(request, context)
    }

    static var unauthorized: Problem { Problem(.unauthorized, "unauthorized") }
}
