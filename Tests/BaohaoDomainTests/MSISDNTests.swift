import BaohaoDomain
import Testing

@Suite("Number parsing")
struct MSISDNTests {
    @Test(
        "forms people type",
        arguments: [
            "13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "+86-138-0013-8000", "+8613800138000",
            "008613800138000", "0086 138 0013 8000", "8613800138000", "(+86) 138.0013.8000", "１３８００１３８０００",
        ])
    func mainlandForms(_ input: String) throws {
        let number = try MSISDN(parsing: input)
        #expect(number.e164 == "+8613800138000")
        #expect(number.masked == "138****8000")
        #expect(number.operatorHint == .chinaMobile)
    }

    @Test func operatorHints() throws {
        #expect(try MSISDN(parsing: "13012345678").operatorHint == .chinaUnicom)
        #expect(try MSISDN(parsing: "18912345678").operatorHint == .chinaTelecom)
        #expect(try MSISDN(parsing: "19212345678").operatorHint == .chinaBroadnet)
        #expect(try MSISDN(parsing: "17012345678").operatorHint == .virtualOperator)
        #expect(try MSISDN(parsing: "13412345678").operatorHint == .chinaMobile)
        #expect(try MSISDN(parsing: "13491234567").operatorHint == .chinaTelecom)
        #expect(try MSISDN(parsing: "+44 7700 900123").operatorHint == .unknown)
    }

    @Test func international() throws {
        let uk = try MSISDN(parsing: "+44 7700 900123")
        #expect(uk.e164 == "+447700900123")
        #expect(uk.masked == "+44******0123")
        #expect(try MSISDN(parsing: "0044 7700 900123").e164 == "+447700900123")
    }

    @Test(
        "rejected",
        arguments: [
            ("", MSISDNError.empty), ("abc", .invalidCharacter), ("1380013800", .notMobileNumber),
            ("138001380001", .notMobileNumber), ("+86 138 0013 800", .wrongLength), ("+86 140 0013 8000", .unallocatedRange),
            ("+86 100 0013 8000", .unallocatedRange), ("+0 123456789", .invalidCountryCode), ("+44 12", .wrongLength),
            ("+1234567890123456", .wrongLength), ("13800138000+", .invalidCharacter), ("12345678901234567890123456789012345", .tooLong),
            ("138\u{0}00138000", .invalidCharacter),
        ])
    func rejected(_ input: String, _ error: MSISDNError) {
        #expect(throws: error) { try MSISDN(parsing: input) }
    }
}
