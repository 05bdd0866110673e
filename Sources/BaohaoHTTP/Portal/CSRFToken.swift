import BaohaoDomain
import Foundation
import Hummingbird
import Mustache

/// Protection for every form: a random token in an HTTP-only, SameSite=Strict cookie that the
/// form must repeat (compared in constant time), and a refusal of any POST the browser marks as
/// cross-site (`Sec-Fetch-Site`) or whose `Origin` is not this server.
enum CSRFToken {
    static let cookieName = "bh_csrf"
    static let fieldName = "csrf"

    /// The request's token, or a new one (the caller sets ``cookie(_:secure:)`` on the response).
    static func current(_ request: Request) -> (token: String, isNew: Bool) {
        if let value = request.cookies[cookieName]?.value, value.count == SessionToken.length, value.allSatisfy(\.isBase64URLCharacter) {
            return (value, false)
        }
        return (SessionToken.make(), true)
    }

    /// A page in the site layout whose forms carry the request's token (`{{csrf}}` in `template`),
    /// setting the cookie when the token is new.
    static func page(
        _ request: Request, title: String, template: MustacheTemplate, values: [String: Any], status: HTTPResponse.Status = .ok,
        secure: Bool, staff: Bool = false
    ) -> HTMLResponse {
        let (token, isNew) = current(request)
        var values = values
        values[fieldName] = token
        var page = HTMLResponse(
            html: PageLayout.render(title: title, content: template.render(values), language: request.language, staff: staff),
            status: status)
        if isNew { page.cookies.append(cookie(token, secure: secure)) }
        return page
    }

    static func cookie(_ token: String, secure: Bool) -> Cookie {
        Cookie(name: cookieName, value: token, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// Whether a form POST carries the token of its own cookie and comes from this site.
    static func isValid(_ request: Request, form: [String: String]) -> Bool {
        if let site = request.headers[.init("Sec-Fetch-Site")!], site != "same-origin", site != "none" { return false }
        if let origin = request.headers[.origin], origin != "null" {
            guard let host = request.head.authority,
                origin == "http://\(host)" || origin == "https://\(host)"
            else { return false }
        }
        guard let cookie = request.cookies[cookieName]?.value, let field = form[fieldName], !cookie.isEmpty else { return false }
        return ConstantTime.equal(Array(cookie.utf8), Array(field.utf8))
    }
}

extension Character {
    fileprivate var isBase64URLCharacter: Bool {
        isASCII && (isLetter || isNumber || self == "-" || self == "_")
    }
}
