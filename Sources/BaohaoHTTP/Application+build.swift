import BaohaoDomain
import BaohaoPayments
import Foundation
import Hummingbird
import Logging
import Tracing

/// Builds the router with every route Baohao serves.
public func buildRouter(services: AppServices) -> Router<BaohaoRequestContext> {
    let router = Router(context: BaohaoRequestContext.self)
    let lookups = LookupLimits(
        perAddressPerMinute: services.lookupPerAddressPerMinute, globalPerSecond: services.lookupGlobalPerSecond,
        buckets: TokenBuckets(clock: services.clock), trustedProxies: services.trustedProxies)
    let orderLimits = OrderCreationLimits(
        perAddressPerHour: services.ordersPerAddressPerHour, buckets: TokenBuckets(clock: services.clock),
        trustedProxies: services.trustedProxies)
    PageLayout.sandboxNotice.set(services.payments.provider(named: "sandbox") != nil)
    PageLayout.site.set(services.merchant)
    LegalPagesController(merchant: services.merchant).addRoutes(to: router)
    let methods = MethodTable()
    // A span per request only when a tracer is bootstrapped (`tracing.endpoint`): no cost otherwise.
    if !(InstrumentationSystem.tracer is NoOpTracer) { router.add(middleware: RequestTracingMiddleware()) }
    // Metrics outside the problem middleware: they count the status each answer really has (a
    // thrown 404 is a 404, not a 500).
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: SecurityHeadersMiddleware(https: services.publicBaseURL.lowercased().hasPrefix("https://")))
    router.add(middleware: ProblemMiddleware(methods: methods))
    HealthController(
        metrics: services.metrics, store: services.store, clock: services.clock, metricsToken: services.metricsToken,
        adminToken: services.adminToken
    ).addRoutes(to: router)
    OnlineRechargeController(
        channelPolicies: services.channelPolicies, checkout: services.checkout, metrics: services.metrics, payments: services.payments,
        recharges: services.recharges, refunds: services.refunds, clock: services.clock,
        lookups: lookups, watch: services.orderWatch, orderLimits: orderLimits
    ).addRoutes(to: router)
    PaymentNotificationController(
        clock: services.clock, metrics: services.metrics, payments: services.payments, recharges: services.recharges,
        refunds: services.refunds, watch: services.orderWatch
    ).addRoutes(to: router)
    ReceiptController(clock: services.clock, merchant: services.merchant, receipts: services.receipts).addRoutes(to: router)
    RefundReceiptController(merchant: services.merchant, recharges: services.recharges, refunds: services.refunds).addRoutes(to: router)
    OrderPageController(
        checkout: services.checkout, recharges: services.recharges, refunds: services.refunds, clock: services.clock,
        secureCookies: services.secureCookies
    ).addRoutes(to: router)
    RechargePortalController(
        channelPolicies: services.channelPolicies, checkout: services.checkout, metrics: services.metrics, payments: services.payments,
        recharges: services.recharges, clock: services.clock, vouchers: services.vouchers,
        trustedProxies: services.trustedProxies, lookups: lookups, orderLimits: orderLimits, secureCookies: services.secureCookies
    ).addRoutes(to: router)
    SignInController(secureCookies: services.secureCookies, subscribers: services.subscribers, trustedProxies: services.trustedProxies)
        .addRoutes(to: router)
    AccountController(
        admin: services.admin, clock: services.clock, retention: services.retention, secureCookies: services.secureCookies,
        subscribers: services.subscribers, recharges: services.recharges, refunds: services.refunds
    ).addRoutes(to: router)
    StaffConsoleController(
        clock: services.clock, secureCookies: services.secureCookies, staff: services.staff, ivr: services.ivr, partners: services.partners,
        refunds: services.refunds, promotions: services.promotions, vouchers: services.vouchers,
        trustedProxies: services.trustedProxies
    ).addRoutes(to: router)
    CounterConsoleController(
        clock: services.clock, secureCookies: services.secureCookies, staff: services.staff, shifts: services.shifts,
        sales: services.counterSales, channelPolicies: services.channelPolicies, recharges: services.recharges,
        promotions: services.promotions, refunds: services.refunds
    ).addRoutes(to: router)
    AdminController(
        admin: services.admin, adminToken: services.adminToken, clock: services.clock, lines: services.lines, staff: services.staff
    ).addRoutes(to: router)
    StaffTokenController(staff: services.staff, clock: services.clock, trustedProxies: services.trustedProxies).addRoutes(to: router)
    AdminChannelsController(channelPolicies: services.channelPolicies, adminToken: services.adminToken, staff: services.staff)
        .addRoutes(to: router)
    AdminOutletsController(outlets: services.outlets, adminToken: services.adminToken, staff: services.staff).addRoutes(to: router)
    AdminRefundsController(
        refunds: services.refunds, adminToken: services.adminToken, staff: services.staff
    ).addRoutes(to: router)
    CounterRefundController(refunds: services.refunds, staff: services.staff).addRoutes(to: router)
    AdminVouchersController(vouchers: services.vouchers, adminToken: services.adminToken, staff: services.staff, clock: services.clock)
        .addRoutes(to: router)
    VoucherRedeemController(vouchers: services.vouchers, metrics: services.metrics, trustedProxies: services.trustedProxies)
        .addRoutes(to: router)
    AdminPromotionsController(
        promotions: services.promotions, adminToken: services.adminToken, staff: services.staff, clock: services.clock
    ).addRoutes(to: router)
    AdminPartnersController(
        partners: services.partners, adminToken: services.adminToken, staff: services.staff,
        callbackQueued: { [signal = services.callbackSignal] in signal.notify() }
    ).addRoutes(to: router)
    PartnerAPIController(
        partners: services.partners, topups: services.partnerTopups,
        authenticator: PartnerAuthenticator(
            partners: services.partners, limiter: TokenBuckets(clock: services.clock), clock: services.clock)
    ).addRoutes(to: router)
    CounterShiftController(shifts: services.shifts, staff: services.staff).addRoutes(to: router)
    CounterSaleController(sales: services.counterSales, staff: services.staff).addRoutes(to: router)
    AdminPaymentsController(
        adminToken: services.adminToken, payments: services.payments, reconciler: { services.reconciler(logger: $0) },
        settlement: services.settlement, staff: services.staff
    ).addRoutes(to: router)
    AdminRetentionController(
        adminToken: services.adminToken, clock: services.clock, metrics: services.metrics, reminders: services.reminders,
        retention: services.retention, staff: services.staff
    ).addRoutes(to: router)
    TwilioVoiceController(
        ivr: services.ivr, authToken: services.twilioAuthToken, publicBaseURL: services.publicBaseURL,
        paymentConnector: services.twilioPaymentConnector
    ).addRoutes(to: router)
    USSDController(ussd: services.ussd, secret: services.ussdSecret, allowedIPs: services.ussdAllowedIPs).addRoutes(to: router)
    SMSCallbackController(reminders: services.reminders, commands: services.textCommands, smsCallbackSecret: services.smsCallbackSecret)
        .addRoutes(to: router)
    if let gateway = services.sandboxGateway, let sandbox = services.payments.provider(named: "sandbox") as? SandboxProvider {
        SandboxPayPageController(clock: services.clock, provider: sandbox, gateway: gateway, secureCookies: services.secureCookies)
            .addRoutes(to: router)
    }
    if let unionPay = services.payments.provider(named: "unionpay") as? UnionPayProvider {
        UnionPayFrontPageController(checkout: services.checkout, recharges: services.recharges, provider: unionPay).addRoutes(to: router)
    }
    methods.fill(from: router.routes.map { (path: $0.path.description, method: $0.method.rawValue) })
    return router
}
