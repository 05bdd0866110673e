import Foundation
import Logging
import OTel
import ServiceLifecycle
import Tracing

/// Optional OpenTelemetry tracing: with `tracing.endpoint` set, spans (each request, a
/// notification's verification and application, the group commit that makes a credit durable)
/// are batched and exported over OTLP/HTTP by swift-otel. The standard `OTEL_*` variables
/// (`OTEL_SERVICE_NAME`, `OTEL_TRACES_SAMPLER`, `OTEL_EXPORTER_OTLP_HEADERS`, …) refine it.
public enum TraceExport {
    /// Bootstraps the process's tracer and returns the exporter's service (run it beside the
    /// server, before it, so it shuts down last and flushes); `nil` when tracing is off.
    public static func bootstrap(_ environment: [String: String], logger: Logger) throws -> (any Service)? {
        guard let endpoint = environment["BAOHAO_TRACING_ENDPOINT"], !endpoint.isEmpty else { return nil }
        guard let url = URL(string: endpoint), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw AppConfigurationError("BAOHAO_TRACING_ENDPOINT must be an http(s) URL")
        }
        var configuration = OTel.Configuration.default
        configuration.serviceName = "baohao"
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.enabled = true
        configuration.traces.otlpExporter.endpoint = endpoint
        configuration.traces.otlpExporter.protocol =
            environment["BAOHAO_TRACING_PROTOCOL"] == "http/json" ? .httpJSON : .httpProtobuf
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(backend.factory)
        logger.info("tracing on", metadata: ["endpoint": "\(endpoint)"])
        return backend.service
    }
}
