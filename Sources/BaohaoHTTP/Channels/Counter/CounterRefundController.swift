import BaohaoDomain
import Foundation
import Hummingbird

/// Refunds of counter sales (cash, card terminal), paid back at a counter, with a clerk's token:
/// - `GET /v1/counter/refunds`: approved refunds waiting to be paid back, oldest first;
/// - `POST /v1/counter/refunds/{id}/payout`: pays one back from the clerk's open shift (its till
///   of the sale's tender), 200 with the refund, `succeeded`; again, 200 unchanged. 409
///   `no-open-shift` without an open shift; 422 when the drawer is expected to hold less cash.
struct CounterRefundController<Context: StaffIdentityContext> {
    let refunds: RefundService
    let staff: StaffService

    func addRoutes(to router: Router<Context>) {
        let group = router.group("/v1/counter/refunds").add(middleware: StaffTokenMiddleware<Context>(staff: staff))
        group.get(use: list)
        group.post("/:id/payout", use: payout)
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> JSONResponse<[RefundView]> {
        let clerk = try context.signedInStaff
        guard clerk.role == .clerk else { throw DomainError.staffRoleNotAllowed(clerk.role) }
        let names = try await usernames()
        return JSONResponse(try await refunds.awaitingCounterPayout().map { RefundView($0, usernames: names) })
    }

    @Sendable func payout(_ request: Request, context: Context) async throws -> JSONResponse<RefundView> {
        let clerk = try context.signedInStaff
        let id = String((context.parameters.get("id") ?? "").prefix(65))
        let refund = try await refunds.payOutAtCounter(id: id, by: clerk)
        return JSONResponse(RefundView(refund, usernames: try await usernames()))
    }

    func usernames() async throws -> [String: String] {
        Dictionary(try await staff.staff().map { ($0.id, $0.username) }, uniquingKeysWith: { first, _ in first })
    }
}
