import Foundation

/// 第三方平台: an app, reseller or payment platform that sells top-ups of our lines to its own
/// customers, paying for each from the float it prefunded, at its wholesale price.
public struct Partner: Sendable, Hashable {
    public let id: String
    /// The operator's short name for it, e.g. `ACME`: 2–16 of A-Z, 0-9, `-` and `_`.
    public let code: String
    public var name: String
    /// Where top-up callbacks are posted; `nil`: none are sent.
    public var callbackURL: String?
    /// Requests a second the partner API takes from this partner before answering 429.
    public var rateLimit: Int
    public var pricing: PartnerPricing
    /// The float as the last movement left it (the ledger's partner accounts are the truth;
    /// `baohao verify` proves these equal them).
    public var float: PartnerFloat
    public let createdAt: Date
    public var disabledAt: Date?

    public init(
        id: String, code: String, name: String, callbackURL: String?, rateLimit: Int = Partner.defaultRateLimit,
        pricing: PartnerPricing = .faceValue, float: PartnerFloat, createdAt: Date, disabledAt: Date? = nil
    ) {
        self.id = id
        self.code = code
        self.name = name
        self.callbackURL = callbackURL
        self.rateLimit = rateLimit
        self.pricing = pricing
        self.float = float
        self.createdAt = createdAt
        self.disabledAt = disabledAt
    }

    public var isEnabled: Bool { disabledAt == nil }

    /// The partner API's rate when none is set: 50 requests a second.
    public static let defaultRateLimit = 50
    /// The highest rate an operator may set.
    public static let maximumRateLimit = 10_000

    /// A code as typed, upper-cased and checked.
    public static func checkedCode(_ input: String) throws(ValidationError) -> String {
        let code = input.trimmingCharacters(in: .whitespaces).uppercased()
        guard (2...16).contains(code.count),
            code.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" })
        else { throw ValidationError(field: "code", reason: .invalidFormat, detail: "2–16 of A-Z, 0-9, - and _") }
        return code
    }

    /// A callback URL as given: `https`, or `http` to a loopback host (a receiver on the same
    /// machine in tests and demos); at most 500 characters.
    public static func checkedCallbackURL(_ input: String) throws(ValidationError) -> String {
        let text = input.trimmingCharacters(in: .whitespaces)
        guard text.utf8.count <= 500, let url = URLComponents(string: text), let host = url.host, !host.isEmpty,
            url.user == nil, url.password == nil
        else { throw ValidationError(field: "callback_url", reason: .invalidFormat, detail: "an absolute https URL") }
        let loopback = host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]"
        guard url.scheme == "https" || (url.scheme == "http" && loopback) else {
            throw ValidationError(field: "callback_url", reason: .notAllowed, detail: "https (http only to a loopback address)")
        }
        return text
    }

    /// A display name: 1–64 characters, no control characters.
    public static func checkedName(_ input: String) throws(ValidationError) -> String {
        let name = input.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...64).contains(name.count),
            !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format })
        else { throw ValidationError(field: "name", reason: .invalidFormat, detail: "1–64 characters, no control characters") }
        return name
    }
}

/// A partner's float: what it may spend now, and what accepted top-ups hold.
public struct PartnerFloat: Sendable, Hashable {
    public let available: Money
    public let held: Money

    public init(available: Money, held: Money) {
        precondition(available.currency == held.currency)
        self.available = available
        self.held = held
    }

    public static func zero(_ currency: Currency) -> PartnerFloat { PartnerFloat(available: .zero(currency), held: .zero(currency)) }

    public var currency: Currency { available.currency }
}
