import BaohaoDomain
import Foundation
import HTTPTypes
import Hummingbird

/// Encodes a value as a JSON response with a chosen status.
struct JSONResponse<Value: Encodable & Sendable>: ResponseGenerator {
    let status: HTTPResponse.Status
    let value: Value
    var headers: HTTPFields = [:]

    init(_ value: Value, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) {
        self.value = value
        self.status = status
        self.headers = headers
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// An HTML page.
///
/// Scripts run only if they are the page's own: every `<script>` in the rendered templates gets a
/// fresh nonce, and the Content-Security-Policy allows no other inline script (values rendered
/// into templates are escaped, so none can smuggle a `<script>` tag in).
struct HTMLResponse: ResponseGenerator {
    let html: String
    var status: HTTPResponse.Status = .ok
    var cookies: [Cookie] = []
    /// Origins besides our own that forms on this page may post to (a provider's payment page).
    var formTargets: [String] = []

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var generator = SystemRandomNumberGenerator()
        let nonce = Data((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
        let html = self.html.replacingOccurrences(of: "<script>", with: "<script nonce=\"\(nonce)\">")
        let formAction = (["'self'"] + formTargets).joined(separator: " ")
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.init("X-Content-Type-Options")!] = "nosniff"
        headers[.init("Referrer-Policy")!] = "no-referrer"
        headers[.init("Content-Security-Policy")!] =
            "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'nonce-\(nonce)'; form-action \(formAction); "
            + "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
        headers[.init("X-Frame-Options")!] = "DENY"
        headers[.init("Permissions-Policy")!] = "camera=(), microphone=(), geolocation=()"
        headers[.cacheControl] = "no-store"
        // The reader's language choice sticks for the pages that follow (forms, redirects).
        if let lang = request.uri.queryParameters.get("lang"), let language = Language(rawValue: lang) {
            headers.append(
                HTTPField(
                    name: .setCookie,
                    value: Cookie(
                        name: "bh_lang", value: language.rawValue, maxAge: 365 * 86_400, path: "/", httpOnly: true, sameSite: .lax
                    ).description))
        }
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie.description)) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
