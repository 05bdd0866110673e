import BaohaoDomain
import BaohaoPayments
import Crypto
import Foundation
import Hummingbird

/// Guards `/v1/admin`: `Authorization: Bearer <BAOHAO_ADMIN_TOKEN>`, compared in constant time.
/// Without a valid token the answer is 401 and nothing else; no token configured means no access.
struct AdminAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let tokenDigest: [UInt8]?

    init(token: String?) {
        tokenDigest = token.flatMap { $0.isEmpty ? nil : Array(SHA256.hash(data: Data($0.utf8))) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let tokenDigest, let header = request.headers[.authorization], header.hasPrefix("Bearer "), header.utf8.count <= 512 else {
            throw Self.unauthorized
        }
        let presented = Array(SHA256.hash(data: Data(header.dropFirst(7).utf8)))
        guard ConstantTime.equal(presented, tokenDigest) else { throw Self.unauthorized }
        return try await next(request, context)
    }

    static var unauthorized: Problem { Problem(.unauthorized, "unauthorized") }
}
