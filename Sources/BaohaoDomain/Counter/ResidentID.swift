import Crypto
import Foundation

/// A mainland resident identity card number (居民身份证号码, GB 11643-1999), checked at the counter
/// before a sale when the channel's policy asks for real-name checks (实名).
///
/// The full number lives only in this value, for the length of one request: it is never stored
/// or logged. What is kept is ``keyedHash(key:)`` (to find repeat customers without the number)
/// and ``masked`` (the last four characters, for the receipt and the shift record).
/// `description` is the masked form, so string interpolation cannot leak the number.
public struct ResidentID: Sendable, Hashable, CustomStringConvertible {
    /// The 18 characters, the check character upper-cased.
    let number: String
    /// The birth date the number carries.
    public let birthDate: LocalDate

    /// Province codes of GB/T 2260 (the first two digits of the area code), including Taiwan,
    /// Hong Kong and Macao. The county part is not checked: county codes change every year and old
    /// cards keep the code they were issued with.
    static let provinces: Set<String> = [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
    ]
    /// ISO 7064 MOD 11-2 weights of the first 17 digits.
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    /// The check character for each remainder of the weighted sum modulo 11.
    static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// Checks `input` (surrounding spaces ignored, `x` accepted for `X`); a birth date after
    /// `today` is refused.
    public init(_ input: String, today: LocalDate) throws(ResidentIDError) {
        let text = input.trimmingCharacters(in: .whitespaces).uppercased()
        guard text.count == 18 else { throw .length }
        let characters = Array(text)
        guard characters[..<17].allSatisfy({ $0.isASCII && $0.isNumber }), characters[17].isASCII,
            characters[17].isNumber || characters[17] == "X"
        else { throw .characters }
        let digits = characters[..<17].map { Int(String($0))! }
        guard Self.provinces.contains(String(characters[0..<2])) else { throw .region }
        let year = digits[6] * 1000 + digits[7] * 100 + digits[8] * 10 + digits[9]
        let month = digits[10] * 10 + digits[11]
        let day = digits[12] * 10 + digits[13]
        guard year >= 1800, let birth = LocalDate(year: year, month: month, day: day) else { throw .birthDate }
        guard !(today < birth) else { throw .futureBirthDate }
        let sum = zip(digits, Self.weights).reduce(0) { $0 + $1.0 * $1.1 }
        guard Self.checkCharacters[sum % 11] == characters[17] else { throw .checkCharacter }
        number = text
        birthDate = birth
    }

    /// The last four characters, the rest starred: `**************002X`.
    public var masked: String { String(repeating: "*", count: 14) + number.suffix(4) }

    public var description: String { masked }

    /// HMAC-SHA256 of the number under the server's key, hex: the same person gives the same
    /// hash, and the hash gives nothing back without the key.
    public func keyedHash(key: SymmetricKey) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(number.utf8), using: key).map { String(format: "%02x", $0) }.joined()
    }
}

/// Why an ID number was refused; `rawValue` is the detail a 422 answer names.
public enum ResidentIDError: String, Error, Sendable, Equatable {
    case length = "not 18 characters"
    case characters = "17 digits and a digit or X expected"
    case region = "unknown province code"
    case birthDate = "the birth date does not exist"
    case futureBirthDate = "the birth date is in the future"
    case checkCharacter = "wrong check character"
}
