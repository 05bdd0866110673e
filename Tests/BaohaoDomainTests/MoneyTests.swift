import BaohaoDomain
import Foundation
import Testing

@Suite("Money")
struct MoneyTests {
    @Test func additionOverflowThrows() {
        let big = Money(Int64.max - 1, .cny)
        #expect(throws: MoneyError.overflow) { try big.adding(Money(2, .cny)) }
        #expect((try? big.adding(Money(1, .cny)))?.amountMinor == Int64.max)
    }

    @Test func negationAndMultiplicationOverflowThrow() {
        #expect(throws: MoneyError.overflow) { try Money(Int64.min, .cny).negated() }
        #expect(throws: MoneyError.overflow) { try Money(Int64.max / 2 + 1, .cny).multiplied(by: 2) }
        #expect(throws: MoneyError.overflow) { try Money(Int64.min, .cny).subtracting(Money(1, .cny)) }
    }

    @Test func currenciesDoNotMix() {
        #expect(throws: MoneyError.currencyMismatch("CNY", "HKD")) { try Money(1, .cny).adding(Money(1, Currency(code: "HKD")!)) }
    }

    @Test func formatting() {
        #expect(Money(5000, .cny).formatted == "¥50.00")
        #expect(Money(-305, .cny).formatted == "-¥3.05")
        #expect(Money(7, .cny).decimalString == "0.07")
        #expect(Money(500, Currency(code: "JPY")!).decimalString == "500")
    }

    @Test func jsonShapeAndUnknownCurrency() throws {
        let data = try JSONEncoder().encode(Money(5000, .cny))
        #expect(String(decoding: data, as: UTF8.self).contains("\"amount\":5000"))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Money.self, from: Data(#"{"amount":5000,"currency":"XXX"}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Money.self, from: Data(#"{"amount":99999999999999999999,"currency":"CNY"}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Money.self, from: Data(#"{"amount":10.5,"currency":"CNY"}"#.utf8))
        }
    }
}

@Suite("Timestamps and hex")
struct TimestampTests {
    @Test(
        "parse agrees with Foundation's ISO 8601 parser",
        arguments: [
            "2026-11-24T12:00:00Z", "2026-11-24T12:00:00.123Z", "2024-02-29T23:59:59+08:00", "1970-01-01T00:00:00Z",
            "2099-12-31T23:59:59.999999-05:30", "2000-03-01T00:00:00z",
        ])
    func parse(_ text: String) throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        let expected = try #require(
            formatter.date(from: text.replacingOccurrences(of: "z", with: "Z").replacingOccurrences(of: ".999999", with: ".999")))
        let parsed = try #require(Timestamp.parse(text))
        #expect(abs(parsed.timeIntervalSince1970 - expected.timeIntervalSince1970) < 0.001)
    }

    @Test(
        "malformed timestamps are refused",
        arguments: [
            "", "2026-11-24", "2026-11-24 12:00:00Z", "2026-02-30T12:00:00Z", "2026-13-01T00:00:00Z", "2026-11-24T24:00:00Z",
            "2026-11-24T12:00:00", "2026-11-24T12:00:00+0800", "2026-11-24T12:00:00.Z", "2026-11-24T12:00:00Zjunk", "２０２６-11-24T12:00:00Z",
        ])
    func malformed(_ text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func formatRoundTrips() throws {
        for seconds in stride(from: -86_400.0 * 400, to: 86_400.0 * 365 * 130, by: 86_400.0 * 37.3 + 0.123) {
            let date = Date(timeIntervalSince1970: (seconds * 1000).rounded(.down) / 1000)
            let text = Timestamp.format(date)
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            #expect(text == formatter.string(from: date), "\(seconds)")
            #expect(abs(try #require(Timestamp.parse(text)).timeIntervalSince1970 - date.timeIntervalSince1970) < 0.0005)
        }
    }

    @Test func hex() {
        #expect(Hex.encode([0x00, 0x0f, 0xa5, 0xff]) == "000fa5ff")
        #expect(Hex.encode([UInt8]()) == "")
    }
}
