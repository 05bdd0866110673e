import ArgumentParser
import BaohaoDomain
import BaohaoHTTP
import BaohaoMessaging
import BaohaoPayments
import BaohaoStorage
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// `baohao serve`: the HTTP server, with the order-expiry sweeper and the sandbox provider.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Baohao server.")

    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on.") var port: Int = 8080
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Base URL people and providers reach this server at (default http://HOST:PORT).") var publicURL: String?
    @Option(help: "Minutes an unpaid order waits before it expires.") var orderTtlMinutes: Int = 30
    @Flag(help: "Seed demo data (a ¥5/month plan, a few lines) and make missing secrets, printing them once.") var demo = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0–65535") }
        guard (1...24 * 60).contains(orderTtlMinutes) else { throw ValidationError("--order-ttl-minutes must be 1–1440") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "baohao")
        let environment = ProcessInfo.processInfo.environment
        let baseURL = publicURL ?? "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)"

        var adminToken = environment["BAOHAO_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        var sandboxSecret = environment["BAOHAO_SANDBOX_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
        if demo {
            if adminToken == nil {
                adminToken = SessionToken.make()
                say("demo admin token (shown once): \(adminToken!)")
            }
            if sandboxSecret == nil {
                sandboxSecret = SessionToken.make()
                say("demo sandbox secret (shown once): \(sandboxSecret!)")
            }
        }
        if let secret = sandboxSecret, secret.utf8.count < 16 {
            throw ValidationError("BAOHAO_SANDBOX_SECRET must be at least 16 characters")
        }
        if adminToken == nil { logger.warning("BAOHAO_ADMIN_TOKEN is not set: the admin API refuses every call") }
        if sandboxSecret == nil { logger.warning("BAOHAO_SANDBOX_SECRET is not set: the sandbox provider is off") }

        let clock = try ProcessClock.shared()
        var providers = try configuredProviders(environment: environment, publicBaseURL: baseURL, clock: clock)
        let reconcileEvery = try Self.seconds(environment, "BAOHAO_RECONCILE_INTERVAL_SECONDS", default: 60, range: 5...3600)
        let firstAsk = try Self.seconds(environment, "BAOHAO_RECONCILE_AFTER_SECONDS", default: 300, range: 0...86_400)

        let retentionEvery = try Self.seconds(environment, "BAOHAO_RETENTION_INTERVAL_SECONDS", default: 60, range: 1...3600)
        let policies = try policyBook(environment)
        let messaging: MessagingSetup.Result
        do {
            messaging = try MessagingSetup.configure(
                environment: environment, publicBaseURL: baseURL, demo: demo, clock: clock, logger: logger)
        } catch let error as MessagingConfigurationError {
            throw ValidationError("\(error)")
        }
        let store = try await database.open(logger: logger)
        var gateway: SandboxGateway? = nil
        if let sandboxSecret {
            let sandbox = SandboxProvider(secret: sandboxSecret, publicBaseURL: baseURL)
            providers.append(sandbox)
            gateway = SandboxGateway(
                provider: sandbox, transport: URLSessionNotificationTransport(), notifyURL: "\(baseURL)/v1/payments/sandbox/notify",
                clock: clock, logger: logger)
        }
        let services = AppServices(
            store: store, clock: clock, payments: PaymentProviderRegistry(providers), sandboxGateway: gateway, adminToken: adminToken,
            publicBaseURL: baseURL, orderTimeToLive: TimeInterval(orderTtlMinutes * 60),
            merchant: MerchantInfo(
                name: environment["BAOHAO_MERCHANT_NAME"] ?? "保号 Baohao",
                supportLine: environment["BAOHAO_SUPPORT_LINE"] ?? "—"),
            reconciliationPolicy: ReconciliationPolicy(firstAskAfter: TimeInterval(firstAsk)), registry: registry, policies: policies,
            reminderSenders: messaging.senders, defaultReminderChannels: messaging.defaultChannels,
            smsCallbackSecret: messaging.smsCallbackSecret, codeSender: messaging.textSender,
            trustedProxies: ClientAddress.trustedProxies(from: environment["BAOHAO_TRUSTED_PROXIES"]))
        for sender in messaging.senders { logger.info("reminder channel enabled", metadata: ["channel": "\(sender.channel.rawValue)"]) }
        if providers.isEmpty { logger.warning("no payment provider is enabled: recharges cannot be paid") }
        for provider in providers { logger.info("payment provider enabled", metadata: ["provider": "\(provider.name)"]) }
        if demo { try await DemoData.seed(services) }

        let app = Application(
            router: buildRouter(services: services),
            configuration: .init(address: .hostname(host, port: port), serverName: "baohao"),
            services: [
                OrderExpiryService(recharges: services.recharges, logger: logger),
                SignInHousekeepingService(housekeeping: SignInHousekeeping(store: store, clock: clock), logger: logger),
                ReconcilerService(reconciler: services.reconciler(logger: logger), interval: reconcileEvery, logger: logger),
                RetentionJobService(
                    retention: services.retention, reminders: services.reminders, interval: retentionEvery, logger: logger),
            ],
            onServerRunning: { channel in
                say("Baohao is listening on \(baseURL) (\(database.describe))")
                say("  try: curl \(baseURL)/v1/lines/13800138000/confirm")
            },
            logger: logger)
        do {
            // A bounded graceful shutdown: in-flight requests get 10 s after SIGTERM, then are
            // cancelled, so a request wedged on a lost database connection cannot keep the process up.
            var group = ServiceGroupConfiguration(
                services: [.init(service: app)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            group.maximumGracefulShutdownDuration = .seconds(10)
            group.maximumCancellationDuration = .seconds(5)
            try await ServiceGroup(configuration: group).run()
        } catch {
            await gateway?.shutdown()
            await Self.close(store, logger: logger)
            throw error
        }
        logger.info("HTTP server stopped")
        await gateway?.shutdown()
        await Self.close(store, logger: logger)
    }

    /// Closes the database, giving up after 10 seconds so a wedged connection cannot hold the
    /// process past its supervisor's stop timeout.
    static func close(_ store: any RechargeStore, logger: Logger) async {
        let closed = await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await store.shutdown()) != nil }
            group.addTask { (try? await Task.sleep(for: .seconds(10))) == nil ? false : false }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if closed { logger.info("database closed") } else { logger.warning("database did not close within 10 s; exiting anyway") }
    }

    static func seconds(_ environment: [String: String], _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = environment[name], !text.isEmpty else { return value }
        guard let parsed = Int(text), range.contains(parsed) else {
            throw ValidationError("\(name) must be a whole number of seconds in \(range.lowerBound)–\(range.upperBound)")
        }
        return parsed
    }
}

/// Marks unpaid orders as expired once their time runs out, every 30 seconds.
struct OrderExpiryService: Service {
    let recharges: RechargeService
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let expired = try await recharges.expireDueOrders()
                if expired > 0 { logger.info("orders expired", metadata: ["count": "\(expired)"]) }
            } catch {
                logger.warning("order expiry failed", metadata: ["error": "\(String(describing: type(of: error)))"])
            }
            try? await gracefulShutdownSleep(seconds: 30)
        }
    }

    func gracefulShutdownSleep(seconds: Int) async throws {
        try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(seconds)) }
    }
}

/// Deletes day-old one-time code records and ended sessions, every 10 minutes.
struct SignInHousekeepingService: Service {
    let housekeeping: SignInHousekeeping
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let deleted = try await housekeeping.run()
                if deleted > 0 { logger.info("sign-in records purged", metadata: ["count": "\(deleted)"]) }
            } catch {
                logger.warning("sign-in housekeeping failed", metadata: ["error": "\(String(describing: type(of: error)))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(600)) }
        }
    }
}

/// Asks providers about unpaid orders whose result never arrived, every `interval` seconds.
struct ReconcilerService: Service {
    let reconciler: Reconciler
    let interval: Int
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let run = try await reconciler.runOnce()
                if run.asked > 0 {
                    logger.info(
                        "reconciliation run",
                        metadata: [
                            "asked": "\(run.asked)", "credited": "\(run.credited)", "closed": "\(run.closed)", "errors": "\(run.errors)",
                        ])
                }
            } catch {
                logger.warning("reconciliation run failed", metadata: ["error": "\(String(describing: type(of: error)))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(interval)) }
        }
    }
}
