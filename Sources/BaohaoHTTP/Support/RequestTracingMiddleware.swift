import HTTPTypes
import Hummingbird
import Instrumentation
import Tracing

/// One server span per request when tracing is on, continuing the caller's W3C `traceparent`.
/// It records the route template, the method and the status — never the path or the query,
/// which carry phone numbers and callback keys (Hummingbird's own `TracingMiddleware` records
/// both, so it is not used).
struct RequestTracingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var parent = ServiceContext.current ?? .topLevel
        InstrumentationSystem.instrument.extract(request.headers, into: &parent, using: HTTPFieldsExtractor())
        let span = startSpan("HTTP \(request.method.rawValue)", context: parent, ofKind: .server)
        span.attributes["http.request.method"] = request.method.rawValue
        defer { span.end() }
        // The route is known once the router has matched; the span is named by it either way.
        func finish(status: Int) {
            if let route = context.endpointPath {
                span.operationName = "\(request.method.rawValue) \(route)"
                span.attributes["http.route"] = route
            }
            span.attributes["http.response.status_code"] = status
            if status >= 500 { span.setStatus(SpanStatus(code: .error)) }
        }
        do {
            let response = try await ServiceContext.withValue(span.context) { try await next(request, context) }
            finish(status: Int(response.status.code))
            return response
        } catch {
            finish(status: Int((error as? any HTTPResponseError)?.status.code ?? 500))
            throw error
        }
    }
}

/// Reads propagation headers (`traceparent`, `tracestate`) off a request.
struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from carrier: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { carrier[$0] }
    }
}
