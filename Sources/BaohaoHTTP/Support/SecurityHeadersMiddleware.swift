import Hummingbird

/// Headers every answer carries: under `/v1`, `Cache-Control: no-store` (admin answers carry full
/// numbers; a shared cache must not keep any API answer) and `X-Content-Type-Options: nosniff`;
/// everywhere, `Strict-Transport-Security` when Baohao is served over https (`--public-url`).
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    let https: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if request.uri.path.hasPrefix("/v1/") {
            response.headers[.cacheControl] = "no-store"
            response.headers[.xContentTypeOptions] = "nosniff"
        }
        if https { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        return response
    }
}
