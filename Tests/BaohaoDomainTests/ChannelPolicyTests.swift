import BaohaoDomain
import Testing

@Suite("Channel policy")
struct ChannelPolicyTests {
    let online = ChannelPolicy.onlineDefault

    @Test func denominationsAndRange() throws {
        #expect(online.denominations.map(\.amountMinor) == [1000, 2000, 3000, 5000, 10000, 20000, 30000, 50000])
        let quote = try online.quote(.major(50))
        #expect(quote.total == .major(50))
        #expect(quote.fee == .zero(.cny))
        #expect(try online.quote(.major(37)).faceValue == .major(37))
    }

    @Test("refused amounts", arguments: [0, -100, 900, 50100, 1050, Int64.max])
    func refused(_ minor: Int64) {
        #expect(throws: ValidationError.self) { try online.quote(Money(minor, .cny)) }
    }

    @Test func wrongCurrency() {
        #expect(throws: ValidationError(field: "amount.currency", reason: .notAllowed, detail: "CNY")) {
            try online.quote(Money(5000, Currency(code: "USD")!))
        }
    }

    @Test func fees() throws {
        let ivr = ChannelPolicy(
            channel: .ivr, currency: .cny, denominations: [], minimumAmount: .major(10), maximumAmount: .major(100),
            freeAmountStepMinor: 100, fee: .proportional(basisPoints: 150, minimum: Money(50, .cny)))
        #expect(try ivr.quote(.major(10)).fee == Money(50, .cny))
        #expect(try ivr.quote(.major(100)).fee == Money(150, .cny))
        #expect(try ivr.quote(.major(37)).total == Money(3756, .cny))
    }
}

@Suite("Fee rounding")
struct FeeRoundingTests {
    @Test func halfUpAndUpDifferBelowHalfAFen() {
        // 1.25 % of ¥37 is 46.25 fen: 四舍五入 gives 46, rounding up 47.
        #expect(FeeRule.proportional(basisPoints: 125, minimum: .zero(.cny), rounding: .halfUp).fee(for: .major(37)) == Money(46, .cny))
        #expect(FeeRule.proportional(basisPoints: 125, minimum: .zero(.cny), rounding: .up).fee(for: .major(37)) == Money(47, .cny))
        // 46.5 fen rounds to 47 either way.
        #expect(FeeRule.proportional(basisPoints: 150, minimum: .zero(.cny), rounding: .halfUp).fee(for: .major(31)) == Money(47, .cny))
    }

    @Test func ivrDefaultIsOnePercentAtLeastFiftyFenHalfUp() throws {
        let ivr = ChannelPolicy.defaultPolicy(for: .ivr)
        #expect(ivr.fee == .proportional(basisPoints: 100, minimum: Money(50, .cny), rounding: .halfUp))
        #expect(try ivr.quote(.major(10)).fee == Money(50, .cny))
        #expect(try ivr.quote(.major(50)).total == Money(5050, .cny))
        #expect(try ivr.quote(.major(123)).total == Money(12423, .cny))
    }

    @Test func documentRoundTripsRounding() throws {
        let document = ChannelPolicyDocument(ChannelPolicy.defaultPolicy(for: .ivr))
        #expect(document.fee.rounding == "half_up")
        #expect(try document.policy(for: .ivr).fee == ChannelPolicy.defaultPolicy(for: .ivr).fee)
        var wrong = document
        wrong.fee.rounding = "down"
        #expect(throws: ValidationError(field: "fee.rounding", reason: .notAllowed, detail: "up, half_up")) { try wrong.policy(for: .ivr) }
    }
}
