import Foundation

/// A business hall (营业厅) where clerks sell top-ups at the counter.
public struct Outlet: Sendable, Hashable {
    /// The operator's code for the hall, e.g. `BJ-XD-01`: 2–32 of `A-Z 0-9 -`, upper case.
    public let code: String
    public var name: String
    public var address: String
    public let createdAt: Date
    /// Set when the hall stops selling; the outlet is kept for its shifts and reports.
    public var disabledAt: Date?

    public init(code: String, name: String, address: String, createdAt: Date, disabledAt: Date? = nil) {
        self.code = code
        self.name = name
        self.address = address
        self.createdAt = createdAt
        self.disabledAt = disabledAt
    }

    public var isEnabled: Bool { disabledAt == nil }

    /// `input` as an outlet code (trimmed, upper-cased), or a validation error naming `code`.
    public static func checkedCode(_ input: String) throws -> String {
        let code = input.trimmingCharacters(in: .whitespaces).uppercased()
        guard (2...32).contains(code.count), code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }),
            code.first != "-", code.last != "-"
        else {
            throw DomainError.validation(
                ValidationError(field: "code", reason: .invalidFormat, detail: "2 to 32 of A-Z, 0-9 and -, e.g. BJ-XD-01"))
        }
        return code
    }
}
