import BaohaoDomain
import BaohaoPayments
import Foundation
import Hummingbird
import Logging

/// Builds the router with every route Baohao serves.
public func buildRouter(services: AppServices) -> Router<BaohaoRequestContext> {
    let router = Router(context: BaohaoRequestContext.self)
    let methods = MethodTable()
    router.add(middleware: ProblemMiddleware(methods: methods))
    router.add(middleware: MetricsMiddleware())
    HealthController(services: services).addRoutes(to: router)
    OnlineRechargeController(services: services).addRoutes(to: router)
    PaymentNotificationController(services: services).addRoutes(to: router)
    ReceiptController(services: services).addRoutes(to: router)
    OrderPageController(services: services).addRoutes(to: router)
    RechargePortalController(services: services).addRoutes(to: router)
    SignInController(services: services).addRoutes(to: router)
    AccountController(services: services).addRoutes(to: router)
    StaffConsoleController(services: services).addRoutes(to: router)
    AdminController(services: services).addRoutes(to: router)
    StaffTokenController(staff: services.staff, clock: services.clock).addRoutes(to: router)
    AdminChannelsController(channelPolicies: services.channelPolicies, adminToken: services.adminToken, staff: services.staff)
        .addRoutes(to: router)
    AdminPaymentsController(services: services).addRoutes(to: router)
    AdminRetentionController(services: services).addRoutes(to: router)
    SMSCallbackController(services: services).addRoutes(to: router)
    if let gateway = services.sandboxGateway, let sandbox = services.payments.provider(named: "sandbox") as? SandboxProvider {
        SandboxPayPageController(services: services, provider: sandbox, gateway: gateway).addRoutes(to: router)
    }
    if let unionPay = services.payments.provider(named: "unionpay") as? UnionPayProvider {
        UnionPayFrontPageController(services: services, provider: unionPay).addRoutes(to: router)
    }
    methods.fill(from: router.routes.map { (path: $0.path.description, method: $0.method.rawValue) })
    return router
}
