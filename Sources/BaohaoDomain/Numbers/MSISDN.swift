/// A subscriber number (号码) in E.164 form, e.g. `+8613800138000`.
///
/// Parsing accepts the forms people type — `138 0013 8000`, `+86-138-0013-8000`, `0086138…`,
/// `86138…`, `(+44) 7700 900123` — and rejects everything that is not a plausible mobile number:
/// mainland (+86) numbers must fall in an allocated mobile segment, other countries pass an
/// E.164 length check.
public struct MSISDN: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// The number in E.164 form, with the leading `+`.
    public let e164: String

    public init(parsing input: String) throws(MSISDNError) {
        self.e164 = try MSISDN.normalize(input)
    }

    /// Whether the number is a mainland China (+86) number.
    public var isMainland: Bool { e164.hasPrefix("+86") }

    /// The mainland national number (11 digits) or, elsewhere, the digits after `+`.
    public var nationalDigits: String {
        isMainland ? String(e164.dropFirst(3)) : String(e164.dropFirst())
    }

    /// The operator hinted by the number's range.
    public var operatorHint: MobileOperator {
        isMainland ? (MobileOperator.mainlandHint(nationalNumber: nationalDigits) ?? .unknown) : .unknown
    }

    /// The number as shown to someone who may not see it in full: `138****8000`, or for other
    /// countries `+44******0123`: the first and last four digits of what people dial, the rest hidden.
    public var masked: String {
        if isMainland {
            let digits = nationalDigits
            return String(digits.prefix(3)) + "****" + String(digits.suffix(4))
        }
        let digits = Array(e164.dropFirst())
        let shown = 2
        guard digits.count > shown + 4 else { return "+" + String(repeating: "*", count: digits.count) }
        return "+" + String(digits.prefix(shown)) + String(repeating: "*", count: digits.count - shown - 4)
            + String(digits.suffix(4))
    }

    public var description: String { masked }

    public static func < (lhs: MSISDN, rhs: MSISDN) -> Bool { lhs.e164 < rhs.e164 }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try MSISDN(parsing: raw)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(error)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(e164)
    }

    /// Longest input accepted (in Unicode scalars) before any parsing work, so a huge string costs nothing.
    public static let maximumInputLength = 32

    static func normalize(_ input: String) throws(MSISDNError) -> String {
        guard input.unicodeScalars.count <= maximumInputLength else { throw .tooLong }
        var digits = ""
        var sawPlus = false
        var sawDigit = false
        for scalar in input.unicodeScalars {
            switch scalar {
            case "0"..."9":
                digits.unicodeScalars.append(scalar)
                sawDigit = true
            case "０"..."９":
                digits.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
                sawDigit = true
            case "+", "＋":
                if sawPlus || sawDigit { throw .invalidCharacter }
                sawPlus = true
            case " ", "-", "(", ")", ".", "\u{00A0}", "\u{3000}", "\t":
                continue
            default:
                throw .invalidCharacter
            }
        }
        guard !digits.isEmpty else { throw .empty }

        let international: String
        if sawPlus {
            international = digits
        } else if digits.hasPrefix("00") {
            international = String(digits.dropFirst(2))
        } else if digits.count == 11, digits.hasPrefix("1") {
            international = "86" + digits
        } else if digits.count == 13, digits.hasPrefix("861") {
            international = digits
        } else {
            throw .notMobileNumber
        }

        if international.hasPrefix("86") {
            let national = String(international.dropFirst(2))
            guard national.count == 11, national.hasPrefix("1") else { throw .wrongLength }
            guard MobileOperator.mainlandHint(nationalNumber: national) != nil else { throw .unallocatedRange }
            return "+86" + national
        }
        guard let first = international.first, first != "0" else { throw .invalidCountryCode }
        guard (8...15).contains(international.count) else { throw .wrongLength }
        return "+" + international
    }
}

/// Why a typed number was not accepted.
public enum MSISDNError: Error, Equatable, Sendable {
    case empty
    case tooLong
    case invalidCharacter
    case notMobileNumber
    case wrongLength
    case invalidCountryCode
    case unallocatedRange
}
