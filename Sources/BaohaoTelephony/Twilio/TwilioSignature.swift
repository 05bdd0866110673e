import BaohaoDomain
import Crypto
import Foundation

/// Twilio's request signature (`X-Twilio-Signature`), computed as its own `RequestValidator`
/// does: Base64 of HMAC-SHA1, keyed with the account's auth token, over the full URL the webhook
/// was sent to followed by every POST parameter sorted by name, each name then value with no
/// separator (a repeated identical pair once). Twilio may sign the URL with or without a port, so
/// as its validator does, the URL without any port and with the scheme's standard port (`:443`,
/// `:80`) added are both tried.
public struct TwilioSignature: Sendable {
    let authToken: String

    public init(authToken: String) {
        self.authToken = authToken
    }

    /// The signature of a POST to `url` with `parameters`.
    public func signature(url: String, parameters: [(String, String)]) -> String {
        var message = url
        var seen = Set<[String]>()
        let unique = parameters.filter { seen.insert([$0.0, $0.1]).inserted }
        // Code-point order, as Python's sorted() on str: names, then values.
        func before(_ a: String, _ b: String) -> Bool {
            a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) { $0.value < $1.value }
        }
        for (name, value) in unique.sorted(by: { $0.0 != $1.0 ? before($0.0, $1.0) : before($0.1, $1.1) }) {
            message += name + value
        }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: Data(authToken.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// Whether `header` signs the request, in constant time for each URL form tried.
    public func isValid(header: String?, url: String, parameters: [(String, String)]) -> Bool {
        guard let header, !header.isEmpty, header.utf8.count <= 64 else { return false }
        var valid = false
        for candidate in Self.portVariants(url) {
            if ConstantTime.equal(Array(signature(url: candidate, parameters: parameters).utf8), Array(header.utf8)) { valid = true }
        }
        return valid
    }

    /// The URL without its port, and with the scheme's standard port when it has none.
    static func portVariants(_ url: String) -> [String] {
        guard var components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else { return [url] }
        if components.port != nil {
            components.port = nil
            return [components.string ?? url, url]
        }
        components.port = scheme == "https" ? 443 : 80
        return [url, components.string ?? url]
    }
}
