import BaohaoDomain
import Crypto
import Foundation
import Testing

@Suite("Resident ID numbers (GB 11643-1999)")
struct ResidentIDTests {
    let today = LocalDate(year: 2026, month: 11, day: 24)!

    @Test func theStandardsExampleIsValidAndOnlyItsLastFourCharactersAreShown() throws {
        let id = try ResidentID("11010519491231002x", today: today)
        #expect(id.masked == "**************002X")
        #expect("\(id)" == "**************002X")
        #expect(id.birthDate == LocalDate(year: 1949, month: 12, day: 31))
        let key = SymmetricKey(data: Data("server-key-for-tests-0123456789ab".utf8))
        #expect(id.keyedHash(key: key) == (try ResidentID(" 11010519491231002X ", today: today)).keyedHash(key: key))
        #expect(!id.keyedHash(key: key).contains("110105"))
        #expect(id.keyedHash(key: key) != id.keyedHash(key: SymmetricKey(data: Data("another-key-0123456789abcdefghij".utf8))))
    }

    @Test(
        "refusals name what is wrong",
        arguments: [
            ("11010519491231002", ResidentIDError.length), ("11010519491231002XX", .length), ("1101051949123100A2", .characters),
            ("99010519491231002X", .region), ("110105194902300020", .birthDate), ("110105190002290025", .birthDate),
            ("11010519491231002Y", .characters), ("110105194912310021", .checkCharacter), ("110105202611250024", .futureBirthDate),
        ])
    func refusals(_ input: String, _ reason: ResidentIDError) {
        #expect(throws: reason) { try ResidentID(input, today: today) }
    }

    @Test func aBirthdayTodayIsNotInTheFutureAndLeapDaysExistInLeapYears() throws {
        #expect(try ResidentID("110105202611240029", today: today).birthDate == today)
        #expect(try ResidentID("110105200002290021", today: today).birthDate == LocalDate(year: 2000, month: 2, day: 29))
    }
}
