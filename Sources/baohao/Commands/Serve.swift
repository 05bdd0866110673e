import ArgumentParser
import BaohaoApp
import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// `baohao serve`: reads flags and environment into an ``AppConfiguration`` and runs the
/// application ``buildApplication(_:logger:registry:announce:)`` composes, until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Baohao server.")

    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on.") var port: Int = 8080
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Base URL people and providers reach this server at (default http://HOST:PORT).") var publicURL: String?
    @Option(help: "Minutes an unpaid order waits before it expires.") var orderTtlMinutes: Int = 30
    @Option(name: .customLong("fastagi-port"), help: "Answer Asterisk FastAGI (the IVR hotline) on this port (--demo: 4573).")
    var fastAGIPort: Int?
    @Option(name: .customLong("fastagi-host"), help: "Address FastAGI listens on.") var fastAGIHost: String = "127.0.0.1"
    @Flag(help: "Seed demo data (a ¥5/month plan, a few lines) and make missing secrets, printing them once.") var demo = false

    func run() async throws {
        // A file-size limit (`ulimit -f`) reached makes a write fail (the database answers 503)
        // instead of killing the server.
        signal(SIGXFSZ, SIG_IGN)
        let environment = ProcessSettings.environment
        let level = environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        switch environment["LOG_FORMAT"] ?? "text" {
        case "json":
            LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
        case "text", "":
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        default:
            throw ValidationError("LOG_FORMAT must be text or json")
        }
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Batch sizes are counts, not seconds.
        factory.valueHistogramBuckets["baohao_group_commit_batch_size"] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
        factory.durationHistogramBuckets["baohao_db_write_wait_seconds"] = [
            .microseconds(100), .milliseconds(1), .milliseconds(5), .milliseconds(20), .milliseconds(100), .milliseconds(500),
            .seconds(2), .seconds(10),
        ]
        MetricsSystem.bootstrap(factory)
        let logger = Logger(label: "baohao")
        logger.info("starting", metadata: ["version": "\(BuildInfo.commit)"])

        let tracing: (any Service)?
        do {
            tracing = try TraceExport.bootstrap(ProcessSettings.environment, logger: logger)
        } catch let error as AppConfigurationError {
            throw ValidationError(error.description)
        }
        var config = AppConfiguration(environment: ProcessSettings.environment, clock: try ProcessClock.shared())
        config.host = host
        config.port = port
        config.publicURL = publicURL
        config.orderTimeToLiveMinutes = orderTtlMinutes
        config.demo = demo
        config.fastAGIPort = fastAGIPort
        config.fastAGIHost = fastAGIHost
        config.databaseURL = database.resolvedURL
        config.dataDirectory = database.dataDir
        config.databaseConnections = database.dbConnections
        config.databaseDescription = database.describe
        let app: any Service
        do {
            app = try await buildApplication(config, logger: logger, registry: registry, announce: say)
        } catch let error as AppConfigurationError {
            throw ValidationError(error.description)
        }
        // A bounded graceful shutdown: in-flight requests get 10 s after SIGTERM, then are
        // cancelled, so a request wedged on a lost database connection cannot keep the process up;
        // the database is closed after the server has drained (see buildApplication).
        // The exporter first: services stop in reverse order, so it flushes the last spans.
        var group = ServiceGroupConfiguration(
            services: (tracing.map { [.init(service: $0)] } ?? []) + [.init(service: app)], gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        group.maximumGracefulShutdownDuration = .seconds(10)
        group.maximumCancellationDuration = .seconds(5)
        try await ServiceGroup(configuration: group).run()
        logger.info("HTTP server stopped")
    }
}
