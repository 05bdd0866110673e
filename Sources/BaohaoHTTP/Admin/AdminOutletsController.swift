import BaohaoDomain
import Foundation
import Hummingbird

/// Business halls: `GET /v1/admin/outlets`, `POST /v1/admin/outlets` `{"code", "name", "address"}`
/// → 201 (409 `outlet-exists`), `POST /v1/admin/outlets/{code}/disable` → 200 (404
/// `outlet-not-found`). Admins only, like the rest of the admin API.
struct AdminOutletsController<Context: StaffIdentityContext> {
    let outlets: OutletService
    let adminToken: String?
    let staff: StaffService

    func addRoutes(to router: Router<Context>) {
        let group = router.group("/v1/admin/outlets").add(middleware: AdminAuthMiddleware<Context>(token: adminToken, staff: staff))
        group.get(use: list)
        group.post(use: add)
        group.post("/:code/disable", use: disable)
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> JSONResponse<[OutletView]> {
        JSONResponse(try await outlets.list().map(OutletView.init))
    }

    @Sendable func add(_ request: Request, context: Context) async throws -> JSONResponse<OutletView> {
        let body = try await request.decodeJSON(AddBody.self)
        return JSONResponse(OutletView(try await outlets.add(code: body.code, name: body.name, address: body.address)), status: .created)
    }

    @Sendable func disable(_ request: Request, context: Context) async throws -> JSONResponse<OutletView> {
        let code = String((context.parameters.get("code") ?? "").prefix(32))
        return JSONResponse(OutletView(try await outlets.disable(code: code)))
    }

    struct AddBody: Decodable {
        let code: String
        let name: String
        let address: String
    }
}

/// An outlet as the admin API shows it.
struct OutletView: Encodable, Sendable {
    let code: String
    let name: String
    let address: String
    let enabled: Bool
    let createdAt: String
    let disabledAt: String?

    init(_ outlet: Outlet) {
        code = outlet.code
        name = outlet.name
        address = outlet.address
        enabled = outlet.isEnabled
        createdAt = Timestamp.format(outlet.createdAt)
        disabledAt = outlet.disabledAt.map(Timestamp.format)
    }

    enum CodingKeys: String, CodingKey {
        case code, name, address, enabled
        case createdAt = "created_at"
        case disabledAt = "disabled_at"
    }

    /// `disabled_at` is always present: `null` while the outlet sells.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(name, forKey: .name)
        try container.encode(address, forKey: .address)
        try container.encode(enabled, forKey: .enabled)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(disabledAt, forKey: .disabledAt)
    }
}
