import BaohaoDomain
import Foundation
import Testing

@Suite("Ledger transfers")
struct LedgerTests {
    let now = Date(timeIntervalSince1970: 1_795_521_600)

    @Test func balancedTransferIsAccepted() throws {
        let transfer = try Transfer(
            id: "t1", kind: .recharge, orderID: "o1",
            postings: [
                Posting(.providerClearing(provider: "sandbox"), Money(-5050, .cny)), Posting(.line(id: "l1"), Money(5000, .cny)),
                Posting(.feeRevenue, Money(50, .cny)),
            ],
            createdAt: now)
        #expect(transfer.postings.count == 3)
    }

    @Test func unbalancedZeroAndSingleLegTransfersAreRefused() {
        #expect(throws: LedgerError.unbalanced) {
            try Transfer(
                id: "t", kind: .recharge, orderID: nil,
                postings: [Posting(.feeRevenue, Money(1, .cny)), Posting(.line(id: "l"), Money(1, .cny))], createdAt: now)
        }
        #expect(throws: LedgerError.zeroPosting) {
            try Transfer(
                id: "t", kind: .recharge, orderID: nil,
                postings: [Posting(.feeRevenue, Money(0, .cny)), Posting(.line(id: "l"), Money(0, .cny))], createdAt: now)
        }
        #expect(throws: LedgerError.tooFewPostings) {
            try Transfer(id: "t", kind: .recharge, orderID: nil, postings: [Posting(.feeRevenue, Money(1, .cny))], createdAt: now)
        }
        #expect(throws: LedgerError.overflow) {
            try Transfer(
                id: "t", kind: .recharge, orderID: nil,
                postings: [
                    Posting(.feeRevenue, Money(.max, .cny)), Posting(.line(id: "l"), Money(.max, .cny)),
                    Posting(.openingBalances, Money(.min, .cny)),
                ], createdAt: now)
        }
    }

    @Test func accountCodesRoundTrip() {
        for account in [
            LedgerAccount.line(id: "line_1"), .providerClearing(provider: "alipay"), .feeRevenue, .openingBalances, .serviceRevenue,
            .till(shiftID: "sh_01KB", tender: "cash"), .till(shiftID: "sh_01KB", tender: "card"),
        ] {
            #expect(LedgerAccount(code: account.code) == account)
        }
        #expect(LedgerAccount(code: "till:sh_01KB:cash")?.code == "till:sh_01KB:cash")
        for bogus in ["bogus", "till:", "till:cash"] { #expect(LedgerAccount(code: bogus) == nil, "\(bogus)") }
    }

    @Test func receiptNumbersAreUniqueAndReadable() {
        let ids = IdentifierFactory()
        let numbers = Set((0..<2000).map { _ in ids.receiptNumber(at: now) })
        #expect(numbers.count == 2000)
        #expect(numbers.allSatisfy { $0.hasPrefix("BH-20261124-") && $0.count == 24 })
        // The date is Beijing's: 2026-11-30 17:00 UTC is already 1 December there.
        #expect(ids.receiptNumber(at: Date(timeIntervalSince1970: 1_796_058_000)).hasPrefix("BH-20261201-"))
        #expect(LocalDate(year: 987, month: 3, day: 4)?.compact == "09870304")
    }
}
