import BaohaoDomain
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOHTTP1

/// Turns every error a route throws into a problem response, and logs each request without the
/// concrete path: paths carry phone numbers, so only the route template is logged. Every answer
/// carries the request's log id in `X-Request-Id`.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let methods: MethodTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let language = request.language
        let response: Response
        do {
            // Baohao serves GET and POST, and PUT or DELETE where a route has them: any other
            // method is refused before routing.
            guard [.get, .post, .head].contains(request.method) || methods.serves(request.method) else {
                return methodNotAllowed(request, language: language)
            }
            response = try await next(request, context)
        } catch let problem as Problem {
            response = problem.response(language: language)
        } catch let error as DomainError {
            response = Problem(error).response(language: language)
        } catch let error as HTTPError where error.status == .notFound && methods.allowed(at: request.uri.path) != nil {
            response = methodNotAllowed(request, language: language)
        } catch let error as HTTPError {
            response = Self.problem(for: error).response(language: language)
        } catch StoreError.unavailable(let reason) {
            context.logger.warning("database unavailable", metadata: ["reason": "\(reason)", "route": "\(context.endpointPath ?? "-")"])
            response = Self.databaseUnavailable.response(language: language)
        } catch StoreError.timedOut {
            context.logger.warning("database timed out", metadata: ["route": "\(context.endpointPath ?? "-")"])
            response = Self.databaseUnavailable.response(language: language)
        } catch is HTTPParserError {
            // A body the HTTP parser refused (a malformed chunk, say) is the client's error.
            response = Problem(.badRequest, "malformed-request", detail: "the request could not be parsed").response(language: language)
        } catch {
            context.logger.error(
                "request failed", metadata: ["error": "\(String(describing: type(of: error)))", "route": "\(context.endpointPath ?? "-")"])
            response = Problem(.internalServerError, "internal-error").response(language: language)
        }
        let elapsed = ContinuousClock.now - started
        context.logger.info(
            "request",
            metadata: [
                "method": "\(request.method.rawValue)", "route": "\(context.endpointPath ?? "unmatched")",
                "status": .stringConvertible(Int(response.status.code)),
                "duration_ms": .stringConvertible(
                    Double(elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000) / 1000),
            ])
        // The id in this request's log lines, for the client to quote when it reports a problem.
        var answered = response
        answered.headers[.requestID] = context.id
        return answered
    }

    /// 405 with the methods the path does serve, or 404 when no route matches it at all.
    func methodNotAllowed(_ request: Request, language: Language) -> Response {
        guard let allowed = methods.allowed(at: request.uri.path) else {
            return Problem(.notFound, "not-found").response(language: language)
        }
        var reply = Problem(.methodNotAllowed, "method-not-allowed").response(language: language)
        reply.headers[.allow] = allowed.joined(separator: ", ")
        return reply
    }

    /// The database cannot be used now (down, unreachable, disk full): try again shortly.
    static var databaseUnavailable: Problem {
        Problem(
            .serviceUnavailable, "service-unavailable", detail: "the database is unavailable; try again shortly",
            headers: [.retryAfter: "5"])
    }

    static func problem(for error: HTTPError) -> Problem {
        switch error.status {
        case .notFound: return Problem(.notFound, "not-found")
        case .methodNotAllowed: return Problem(.methodNotAllowed, "method-not-allowed")
        case .contentTooLarge: return Problem(.contentTooLarge, "body-too-large")
        case .unsupportedMediaType: return Problem(.unsupportedMediaType, "unsupported-media-type")
        case .badRequest: return Problem(.badRequest, "malformed-json")
        default: return Problem(error.status, error.status.code >= 500 ? "internal-error" : "validation-error")
        }
    }
}

extension Request {
    /// The language for this request: `?lang=en|zh`, then `Accept-Language`; Chinese by default.
    var language: Language {
        if let lang = uri.queryParameters.get("lang"), let language = Language(rawValue: lang) { return language }
        if let lang = cookies["bh_lang"]?.value, let language = Language(rawValue: lang) { return language }
        return Language.negotiate(headers[.acceptLanguage])
    }

    /// Reads the whole body, refusing more than `limit` bytes.
    func bodyBytes(limit: Int) async throws -> [UInt8] {
        if let length = headers[.contentLength].flatMap(Int.init), length > limit {
            throw Problem(.contentTooLarge, "body-too-large", detail: "limit \(limit) bytes")
        }
        var collected: [UInt8] = []
        for try await buffer in body {
            collected.append(contentsOf: buffer.readableBytesView)
            if collected.count > limit { throw Problem(.contentTooLarge, "body-too-large", detail: "limit \(limit) bytes") }
        }
        return collected
    }

    /// Decodes a JSON body of at most `limit` bytes; shape errors name the field.
    func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int = 16 * 1024) async throws -> T {
        let contentType = headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/json") || contentType.hasPrefix("application/problem+json") else {
            throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: "expected application/json")
        }
        return try Self.decodeJSON(T.self, from: try await bodyBytes(limit: limit))
    }

    /// Decodes JSON bytes already read; shape errors name the field.
    static func decodeJSON<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let DecodingError.keyNotFound(key, context) {
            throw Problem(.unprocessableContent, "validation-error", detail: "missing", field: Self.path(context.codingPath + [key]))
        } catch let DecodingError.typeMismatch(_, context) {
            throw Problem(.unprocessableContent, "validation-error", detail: "wrong type", field: Self.path(context.codingPath))
        } catch let DecodingError.valueNotFound(_, context) {
            throw Problem(.unprocessableContent, "validation-error", detail: "null not allowed", field: Self.path(context.codingPath))
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw Problem(.unprocessableContent, "validation-error", detail: context.debugDescription, field: Self.path(context.codingPath))
        } catch {
            throw Problem(.badRequest, "malformed-json")
        }
    }

    /// An integer query parameter in `range`, `fallback` when absent; anything else is a 422 naming it.
    func queryInteger(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        guard let raw = uri.queryParameters.get(name) else { return fallback }
        guard let value = Int(raw), range.contains(value) else {
            throw Problem(
                .unprocessableContent, "validation-error", detail: "an integer \(range.lowerBound)–\(range.upperBound)", field: name)
        }
        return value
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`: the id of the request in the server's log.
    static let requestID = Self("X-Request-Id")!
}
