import BaohaoDomain
import Foundation
import Hummingbird

/// `/healthz` (process up), `/readyz` (the database answers and takes a write), `/metrics`
/// (Prometheus), `/openapi.yaml`.
///
/// `/metrics` shows recharge totals, so it answers only `Authorization: Bearer` with
/// `BAOHAO_METRICS_TOKEN` (for the scraper) or the admin token; 401 otherwise.
struct HealthController<Context: RequestContext> {
    let metrics: BaohaoMetrics
    let store: any RechargeStore
    let clock: any WallClock
    let metricsToken: String?
    let adminToken: String?

    func addRoutes(to router: Router<Context>) {
        router.get("/healthz") { _, _ in JSONResponse(["status": "ok"]) }
        router.get("/readyz", use: ready)
        router.get("/metrics", use: metrics)
        router.get("/openapi.yaml", use: openAPI)
    }

    @Sendable func ready(_ request: Request, context: Context) async throws -> Response {
        do {
            try await self.store.ping()
            try await self.store.probeWrite(at: clock.now())
            return try JSONResponse(["status": "ready"]).response(from: request, context: context)
        } catch {
            let reason =
                switch error {
                case StoreError.unavailable(let reason): reason
                default: String(describing: type(of: error))
                }
            context.logger.warning("not ready: the database cannot be used", metadata: ["reason": "\(reason)"])
            var response = Problem(.serviceUnavailable, "service-unavailable", detail: "the database cannot be used now").response(
                language: request.language)
            response.headers[.retryAfter] = "5"
            return response
        }
    }

    @Sendable func metrics(_ request: Request, context: Context) async throws -> Response {
        let presented = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        guard let presented,
            [metricsToken, adminToken].contains(where: { $0.map { ConstantTime.equal(Array($0.utf8), Array(presented.utf8)) } ?? false })
        else {
            throw Problem(.unauthorized, "unauthorized", detail: "a bearer token: BAOHAO_METRICS_TOKEN or the admin token")
        }
        var buffer: [UInt8] = []
        self.metrics.registry.emit(into: &buffer)
        ProcessMetrics.emit(into: &buffer)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }

    @Sendable func openAPI(_ request: Request, context: Context) async throws -> Response {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"), let data = try? Data(contentsOf: url) else {
            throw Problem(.notFound, "not-found")
        }
        return Response(
            status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
