import BaohaoDomain
import BaohaoHTTP
import BaohaoMessaging
import BaohaoPayments
import BaohaoSecurity
import BaohaoStorage
import BaohaoTelephony
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// The composition root: opens the database, sets up payment providers and reminder senders,
/// builds the services and the router, and attaches every background job and the resources to
/// close, in the order a service group must shut them down (last listed, first stopped: the HTTP
/// server, then the jobs, then the sandbox's deliveries, then the database, and last PostgreSQL's
/// connection pools, which run as services of the same group). Demo data is written after the
/// group has started the pools and before the server accepts a request.
///
/// `announce` prints what an operator must see once (demo secrets, the address).
public func buildApplication(
    _ config: AppConfiguration, logger: Logger, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    announce: @escaping @Sendable (String) -> Void
) async throws -> some ApplicationProtocol {
    let environment = config.environment
    let clock = config.clock
    let baseURL = config.baseURL
    guard (0...65535).contains(config.port) else { throw AppConfigurationError("--port must be 0–65535") }
    guard (1...24 * 60).contains(config.orderTimeToLiveMinutes) else {
        throw AppConfigurationError("--order-ttl-minutes must be 1–1440")
    }
    guard (1...200).contains(config.databaseConnections) else { throw AppConfigurationError("--db-connections must be 1–200") }
    let limits = try config.connectionLimits(logger: logger)
    // SQLite has one writer: a second server on the same directory is refused before anything
    // starts (PostgreSQL takes many servers).
    let serverLock = config.databaseURL == nil ? try ServerLock(dataDirectory: config.dataDirectory) : nil

    var adminToken = environment["BAOHAO_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    var sandboxSecret = environment["BAOHAO_SANDBOX_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
    if config.demo {
        if adminToken == nil {
            let token = SessionToken.make()
            adminToken = token
            announce("demo admin token (shown once): \(token)")
        }
        if sandboxSecret == nil {
            let secret = SessionToken.make()
            sandboxSecret = secret
            announce("demo sandbox secret (shown once): \(secret)")
        }
    }
    if let secret = sandboxSecret, secret.utf8.count < 16 {
        throw AppConfigurationError("BAOHAO_SANDBOX_SECRET must be at least 16 characters")
    }
    if adminToken == nil { logger.warning("BAOHAO_ADMIN_TOKEN is not set: the admin API refuses every call but admins' staff tokens") }
    // The sandbox credits lines without money: on only in the demo or when asked for by name.
    let sandboxAsked = config.demo || environment["BAOHAO_SANDBOX_ENABLED"] == "1"
    if sandboxSecret != nil, !sandboxAsked {
        logger.warning(
            "BAOHAO_SANDBOX_SECRET is set but the sandbox provider is off: it needs BAOHAO_SANDBOX_ENABLED=1 (never in production)")
        sandboxSecret = nil
    }
    if sandboxAsked, sandboxSecret == nil {
        throw AppConfigurationError("BAOHAO_SANDBOX_ENABLED=1 needs BAOHAO_SANDBOX_SECRET (≥ 16 characters)")
    }

    var providers = try loadPaymentProviders(environment, publicBaseURL: baseURL, clock: clock)
    if sandboxSecret != nil, !providers.isEmpty, environment["BAOHAO_SANDBOX_WITH_REAL_PROVIDERS"] != "1" {
        throw AppConfigurationError(
            "the sandbox provider is on beside real providers (\(providers.map(\.name).joined(separator: ", "))): anyone could credit real lines "
                + "without paying. Turn the sandbox off, or set BAOHAO_SANDBOX_WITH_REAL_PROVIDERS=1 on a test system")
    }
    if sandboxSecret != nil {
        logger.warning("the sandbox provider is ON: payments by it move no money; every page says so. Never enable it in production")
    }
    let reconcileEvery = try config.seconds("BAOHAO_RECONCILE_INTERVAL_SECONDS", default: 60, range: 5...3600)
    let firstAsk = try config.seconds("BAOHAO_RECONCILE_AFTER_SECONDS", default: 300, range: 0...86_400)
    let retentionEvery = try config.seconds("BAOHAO_RETENTION_INTERVAL_SECONDS", default: 60, range: 1...3600)
    let policies = try loadPolicyBook(environment)
    var idHashKey = environment["BAOHAO_ID_HASH_KEY"].flatMap { $0.isEmpty ? nil : Data($0.utf8) }
    if let key = idHashKey, key.count < 32 { throw AppConfigurationError("BAOHAO_ID_HASH_KEY must be at least 32 characters") }
    if idHashKey == nil, config.demo { idHashKey = Data(SessionToken.make().utf8) }
    let realName = environment["BAOHAO_COUNTER_REAL_NAME"] ?? "required"
    guard realName == "required" || realName == "off" else {
        throw AppConfigurationError("BAOHAO_COUNTER_REAL_NAME must be required or off")
    }
    if idHashKey == nil, realName == "required" {
        logger.warning("BAOHAO_ID_HASH_KEY is not set: counter sales, which need the real-name check, are refused (503)")
    }
    let fastAGIPort = config.fastAGIPort ?? (config.demo ? 4573 : nil)
    if let fastAGIPort, !(0...65535).contains(fastAGIPort) { throw AppConfigurationError("--fastagi-port must be 0–65535") }
    let twilioAuthToken = try secret(environment, "BAOHAO_TWILIO_AUTH_TOKEN")
    let (partnerSecrets, createdKey) = try PartnerSecretsKey.load(environment: environment, dataDirectory: config.dataDirectory)
    let (staffTwoFactorBox, createdTwoFactorKey) = try StaffTwoFactorKey.load(
        environment: environment, dataDirectory: config.dataDirectory)
    if let createdTwoFactorKey {
        logger.notice("staff two-factor key created", metadata: ["path": "\(createdTwoFactorKey)", "hint": "back it up with the database"])
    }
    let adminTwoFactor = environment["BAOHAO_ADMIN_2FA"].flatMap { $0.isEmpty ? nil : $0 } ?? "required"
    guard ["required", "optional"].contains(adminTwoFactor) else {
        throw AppConfigurationError("BAOHAO_ADMIN_2FA must be required or optional")
    }
    if adminTwoFactor == "optional" { logger.warning("BAOHAO_ADMIN_2FA=optional: administrators may sign in with a password alone") }
    if let createdKey {
        logger.notice(
            "partner secrets key created",
            metadata: ["path": "\(createdKey)", "hint": "back it up; every server process needs the same key"])
    }
    let ussdSecret = try secret(environment, "BAOHAO_USSD_SECRET")
    let (voucherKey, createdVoucherKey) = try VoucherKey.load(environment: environment, dataDirectory: config.dataDirectory)
    if let createdVoucherKey {
        logger.notice(
            "voucher key created",
            metadata: ["path": "\(createdVoucherKey)", "hint": "back it up; cards cannot be redeemed without it"])
    }
    let firstRetry = try config.seconds("BAOHAO_PARTNER_CALLBACK_FIRST_RETRY_SECONDS", default: 10, range: 1...3600)
    let refundRetry = try config.seconds("BAOHAO_REFUND_FIRST_RETRY_SECONDS", default: 30, range: 1...3600)
    let callbackTransport = HTTPCallbackTransport()
    let messaging: MessagingSetup.Result
    do {
        messaging = try MessagingSetup.configure(
            environment: environment, publicBaseURL: baseURL, demo: config.demo, clock: clock, logger: logger)
    } catch let error as MessagingConfigurationError {
        throw AppConfigurationError("\(error)")
    }

    let store = try await StoreFactory.open(
        databaseURL: config.databaseURL, dataDirectory: config.dataDirectory, maximumConnections: config.databaseConnections,
        runsClients: false, deadline: .seconds(try config.seconds("BAOHAO_DB_TIMEOUT_SECONDS", default: 10, range: 1...300)),
        logger: logger)
    let pools = (store as? PostgresStore)?.clientServices ?? []
    var gateway: SandboxGateway? = nil
    if let sandboxSecret {
        let sandbox = SandboxProvider(secret: sandboxSecret, publicBaseURL: baseURL)
        providers.append(sandbox)
        gateway = SandboxGateway(
            provider: sandbox, transport: AsyncHTTPNotificationTransport(), notifyURL: "\(baseURL)/v1/payments/sandbox/notify",
            clock: clock, logger: logger)
    }
    let hashing = ThreadPoolHashing()
    let codeSender = messaging.textSender.map { QueuedTextSender($0, logger: logger, registry: registry) }
    let services = AppServices(
        store: store, clock: clock, payments: PaymentProviderRegistry(providers), sandboxGateway: gateway, adminToken: adminToken,
        publicBaseURL: baseURL, orderTimeToLive: TimeInterval(config.orderTimeToLiveMinutes * 60),
        merchant: try OperatorIdentity.merchant(environment, demo: config.demo),
        reconciliationPolicy: ReconciliationPolicy(firstAskAfter: TimeInterval(firstAsk)), registry: registry, policies: policies,
        reminderSenders: messaging.senders, defaultReminderChannels: messaging.defaultChannels,
        smsCallbackSecret: messaging.smsCallbackSecret, codeSender: codeSender, hashing: hashing,
        trustedProxies: ClientAddress.trustedProxies(from: environment["BAOHAO_TRUSTED_PROXIES"]), idHashKey: idHashKey,
        counterRealNameRequired: realName == "required", twilioAuthToken: twilioAuthToken,
        twilioPaymentConnector: environment["BAOHAO_TWILIO_PAY_CONNECTOR"].flatMap { $0.isEmpty ? nil : $0 } ?? "Default",
        partnerSecrets: partnerSecrets, callbackTransport: callbackTransport,
        callbackSchedule: CallbackSchedule(firstRetry: TimeInterval(firstRetry)),
        refundSchedule: RefundSchedule(
            first: TimeInterval(refundRetry), longest: RefundSchedule.standard.longest,
            maximumAttempts: RefundSchedule.standard.maximumAttempts), voucherKey: voucherKey,
        ussdSecret: ussdSecret, ussdAllowedIPs: ClientAddress.trustedProxies(from: environment["BAOHAO_USSD_ALLOWED_IPS"]),
        metricsToken: try metricsToken(environment),
        lookupPerAddressPerMinute: try config.count("BAOHAO_CONFIRM_PER_ADDRESS_PER_MINUTE", default: 60, range: 1...1_000_000),
        lookupGlobalPerSecond: try config.count("BAOHAO_CONFIRM_GLOBAL_PER_SECOND", default: 2_000, range: 1...10_000_000),
        orderWatchLimits: try config.orderWatchLimits(),
        ordersPerAddressPerHour: try config.count("BAOHAO_ORDERS_PER_ADDRESS_PER_HOUR", default: 60, range: 1...100_000_000),
        staffTwoFactorBox: staffTwoFactorBox, adminsNeedTwoFactor: adminTwoFactor == "required",
        pendingOrdersPerNumber: try config.pendingOrdersPerNumber())
    for sender in messaging.senders { logger.info("reminder channel enabled", metadata: ["channel": "\(sender.channel.rawValue)"]) }
    if providers.isEmpty { logger.warning("no payment provider is enabled: recharges cannot be paid") }
    for provider in providers { logger.info("payment provider enabled", metadata: ["provider": "\(provider.name)"]) }
    var resources: [any Service] =
        pools + [
            CloseOnShutdown("database", logger: logger) {
                try await store.shutdown()
                withExtendedLifetime(serverLock) {}
            }
        ]
    resources.append(CloseOnShutdown("partner callbacks' HTTP client", logger: logger) { await callbackTransport.shutdown() })
    resources.append(CloseOnShutdown("password hashing threads", logger: logger) { try await hashing.shutdown() })
    if let codeSender { resources.append(CloseOnShutdown("sign-in code queue", logger: logger) { await codeSender.shutdown() }) }
    if let gateway { resources.append(CloseOnShutdown("sandbox deliveries", logger: logger) { await gateway.shutdown() }) }
    if let fastAGIPort {
        let host = config.fastAGIHost
        resources.append(
            FastAGIServer(host: host, port: fastAGIPort, ivr: services.ivr, logger: logger, required: config.fastAGIPort != nil) { bound in
                announce("FastAGI (IVR hotline) is listening on \(host):\(bound): AGI(agi://\(host):\(bound)/recharge)")
            })
    }
    if twilioAuthToken != nil { logger.info("Twilio voice webhooks enabled", metadata: ["path": "/v1/ivr/twilio/voice"]) }
    let admission = ConnectionAdmission(limits: limits, exempt: services.trustedProxies, registry: registry)
    let host = config.host
    let port = config.port
    var app = Application(
        router: buildRouter(services: services),
        server: .guardedHTTP1(admission),
        configuration: .init(address: .hostname(host, port: port), serverName: "baohao"),
        services: resources + backgroundJobs(services, reconcileEvery: reconcileEvery, retentionEvery: retentionEvery, logger: logger),
        onServerRunning: { _ in
            announce("Baohao is listening on \(baseURL) (\(config.databaseDescription))")
            announce("  try: curl \(baseURL)/v1/lines/13800138000/confirm")
        },
        logger: logger)
    if config.demo { app.beforeServerStarts { try await DemoData.seed(services, announce: announce) } }
    return app
}

/// The jobs `serve` runs beside the HTTP server.
func backgroundJobs(_ services: AppServices, reconcileEvery: Int, retentionEvery: Int, logger: Logger) -> [any Service] {
    let recharges = services.recharges
    let housekeeping = SignInHousekeeping(store: services.store, clock: services.clock)
    let reconciler = services.reconciler(logger: logger)
    let retention = services.retention
    let reminders = services.reminders
    let partnerTopups = services.partnerTopups
    return [
        PeriodicJob(name: "partner top-ups", every: .seconds(10), logger: logger) {
            let settled = try await partnerTopups.completeAccepted()
            return settled > 0 ? ["settled": "\(settled)"] : nil
        },
        CallbackDeliverer(callbacks: services.partnerCallbacks, signal: services.callbackSignal, logger: logger),
        PeriodicJob(name: "refunds", every: .seconds(5), logger: logger) { [refunds = services.refunds] in
            let created = try await refunds.createAutomatic()
            let round = try await refunds.process()
            guard created + round.succeeded + round.failed + round.pending > 0 else { return nil }
            return [
                "automatic": "\(created)", "succeeded": "\(round.succeeded)", "failed": "\(round.failed)", "pending": "\(round.pending)",
            ]
        },
        PeriodicJob(name: "order expiry", every: .seconds(30), logger: logger) {
            let expired = try await recharges.expireDueOrders()
            return expired > 0 ? ["expired": "\(expired)"] : nil
        },
        PeriodicJob(name: "unpaid order purge", every: .seconds(3600), logger: logger) {
            let purged = try await recharges.purgeUnpaidOrders()
            return purged > 0 ? ["purged": "\(purged)"] : nil
        },
        PeriodicJob(name: "sign-in housekeeping", every: .seconds(600), logger: logger) {
            let deleted = try await housekeeping.run()
            return deleted > 0 ? ["purged": "\(deleted)"] : nil
        },
        PeriodicJob(name: "reconciliation", every: .seconds(reconcileEvery), logger: logger) { [metrics = services.metrics] in
            let run = try await reconciler.runOnce()
            guard run.asked > 0 else { return nil }
            metrics.reconcilerRun(run)
            return [
                "asked": "\(run.asked)", "credited": "\(run.credited)", "closed": "\(run.closed)", "errors": "\(run.errors)",
            ]
        },
        PeriodicJob(name: "retention", every: .seconds(retentionEvery), logger: logger) { [metrics = services.metrics] in
            let started = ContinuousClock.now
            let reviews = try await retention.runReviews(maximumBatches: 200)
            let sent = try await reminders.dispatch(limit: 500)
            metrics.retentionRun(reviews, reminders: sent, elapsed: ContinuousClock.now - started)
            guard reviews.reviewed > 0 || sent.claimed > 0 else { return nil }
            return [
                "reviewed": "\(reviews.reviewed)", "charges": "\(reviews.charges)", "stage_changes": "\(reviews.stageChanges)",
                "reminders_sent": "\(sent.sent)", "reminders_failed": "\(sent.failed)",
            ]
        },
    ]
}

/// `BAOHAO_METRICS_TOKEN` (or `_FILE`): the bearer token Prometheus presents for `/metrics`.
func metricsToken(_ environment: [String: String]) throws -> String? {
    try secret(environment, "BAOHAO_METRICS_TOKEN")
}

/// A secret of at least 16 characters, `nil` when unset. A `_FILE` form was read into the
/// variable before the command started (``SettingsLoader``).
func secret(_ environment: [String: String], _ name: String) throws(AppConfigurationError) -> String? {
    guard let value = environment[name], !value.isEmpty else { return nil }
    guard value.utf8.count >= 16 else { throw AppConfigurationError("\(name) must be at least 16 characters") }
    return value
}
