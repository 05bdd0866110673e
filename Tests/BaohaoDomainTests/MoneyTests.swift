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
