/// Bad input, naming the field at fault so an API can point at it.
public struct ValidationError: Error, Equatable, Sendable {
    public enum Reason: String, Sendable {
        case missing
        case invalidFormat = "invalid_format"
        case outOfRange = "out_of_range"
        case notAllowed = "not_allowed"
        case unknownCurrency = "unknown_currency"
        case tooLong = "too_long"
    }

    public let field: String
    public let reason: Reason
    public let detail: String?

    public init(field: String, reason: Reason, detail: String? = nil) {
        self.field = field
        self.reason = reason
        self.detail = detail
    }
}
