import BaohaoDomain
import Foundation
import Testing

@Suite("Recharge card codes")
struct VoucherCodeTests {
    /// Bytes in a fixed order, to see exactly which ones the PIN generator keeps.
    struct ScriptedRandom: RandomSource {
        let words: [UInt64]
        let next_: @Sendable () -> Int
        func next() -> UInt64 { words[next_() % words.count] }
    }

    final class Counter: @unchecked Sendable {
        var value = 0
        func take() -> Int {
            defer { value += 1 }
            return value
        }
    }

    @Test("digits are drawn without modulo bias: bytes 250–255 are drawn again")
    func rejection() {
        let counter = Counter()
        // Bytes, lowest first: 255 (dropped), 9, 250 (dropped), 10, 0, 249, 1, 2.
        let word: UInt64 = 0x0201_F900_0AFA_09FF
        let random = ScriptedRandom(words: [word], next_: counter.take)
        #expect(VoucherCodes.digits(6, random: random) == "900912")
    }

    @Test("a large batch of PINs has no duplicate and each digit is uniform (chi-square, p < 1e-6 to fail)")
    func uniformity() {
        var seen = Set<String>()
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0..<20_000 {
            let pin = VoucherCodes.digits(18)
            #expect(pin.count == 18 && pin.allSatisfy(\.isNumber))
            seen.insert(pin)
            for character in pin.utf8 { counts[Int(character) - 48] += 1 }
        }
        #expect(seen.count == 20_000)
        let expected = Double(20_000 * 18) / 10
        let chiSquare = counts.reduce(0.0) { $0 + pow(Double($1) - expected, 2) / expected }
        // 9 degrees of freedom: P(χ² > 42.3) ≈ 1e-6.
        #expect(chiSquare < 42.3, "\(counts)")
    }

    @Test("serials run in order within a batch and share its prefix; PINs are typed with spaces or dashes")
    func serialsAndPINs() {
        let serials = VoucherCodes.serials(count: 1_500, serialDigits: 17)
        #expect(serials.count == 1_500 && Set(serials).count == 1_500 && serials == serials.sorted())
        #expect(serials.allSatisfy { $0.count == 17 && $0.hasPrefix(String(serials[0].prefix(11))) })
        #expect(VoucherCodes.normalizedPIN("1234 5678-9012 3456 78") == "123456789012345678")
        #expect(VoucherCodes.normalizedPIN("12345678901234567x") == nil)
        #expect(VoucherCodes.normalizedPIN("123") == nil)
    }

    @Test("SMS commands: balance, redeem onto the sender or another number, help")
    func smsCommands() {
        #expect(SMSCommand.parse("BAL") == .balance(.en))
        #expect(SMSCommand.parse(" 余额 ") == .balance(.zh))
        #expect(SMSCommand.parse("CZ 123456789012345678") == .redeem(pin: "123456789012345678", number: nil, .zh))
        #expect(SMSCommand.parse("充值123456789012345678") == .redeem(pin: "123456789012345678", number: nil, .zh))
        #expect(SMSCommand.parse("cz 123456789012345678 13800138000") == .redeem(pin: "123456789012345678", number: "13800138000", .zh))
        #expect(SMSCommand.parse("TOPUP 1234") == .redeem(pin: "1234", number: nil, .en))
        #expect(SMSCommand.parse("帮助") == .help(.zh))
        #expect(SMSCommand.parse("hello there") == .unknown)
    }

    @Test("the throttle locks a number after 5 failures, for 30 minutes, without locking other numbers")
    func throttle() {
        var throttle = VoucherThrottle()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for index in 0..<4 { throttle.fail(number: "+8613800138000", address: "a\(index)", at: start) }
        #expect(throttle.lockedOut(number: "+8613800138000", address: "z", at: start) == nil)
        throttle.fail(number: "+8613800138000", address: "a4", at: start)
        #expect(throttle.lockedOut(number: "+8613800138000", address: "z", at: start)?.0 == .number)
        #expect(throttle.lockedOut(number: "+8613800138001", address: "z", at: start) == nil)
        #expect(throttle.lockedOut(number: "+8613800138000", address: "z", at: start + 30 * 60) == nil)
    }

    @Test("20 failures from one address lock it out whatever the numbers; 500 a minute pause the process for a minute")
    func throttleByAddressAndEverywhere() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var throttle = VoucherThrottle()
        for index in 0..<19 { throttle.fail(number: "+86138001\(String(format: "%05d", index))", address: "guesser", at: start) }
        #expect(throttle.lockedOut(number: "+8613900000000", address: "guesser", at: start) == nil)
        throttle.fail(number: "+8613800199999", address: "guesser", at: start)
        #expect(throttle.lockedOut(number: "+8613900000000", address: "guesser", at: start)?.0 == .address)
        #expect(throttle.lockedOut(number: "+8613900000000", address: "someone-else", at: start) == nil)
        // Failures spread over the window's edge do not add up.
        var spread = VoucherThrottle()
        for minute in 0..<19 { spread.fail(number: "+86\(minute)", address: "slow", at: start + Double(minute) * 60) }
        spread.fail(number: "+86x", address: "slow", at: start + 16 * 60)
        #expect(spread.lockedOut(number: "+86y", address: "slow", at: start + 16 * 60) == nil)

        var global = VoucherThrottle()
        for index in 0..<500 { global.fail(number: "+86\(index)", address: "a\(index)", at: start) }
        #expect(global.lockedOut(number: "+86new", address: "new", at: start + 1)?.0 == .global)
        #expect(global.lockedOut(number: "+86new", address: "new", at: start + 61) == nil)
    }
}
