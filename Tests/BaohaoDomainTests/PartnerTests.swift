import Foundation
import Testing

@testable import BaohaoDomain

/// Wholesale pricing, request signatures, the callback schedule and sealed secrets, without I/O.
@Suite("Partners")
struct PartnerTests {
    @Test("the partner pays face value less the discount, rounded up to the fen; a face value's own discount wins")
    func pricing() throws {
        let pricing = try PartnerPricing.validated(discountBasisPoints: 200, byAmount: ["10000": 300])
        #expect(pricing.cost(of: Money(10_000, .cny)).amountMinor == 9_700)
        #expect(pricing.cost(of: Money(5_000, .cny)).amountMinor == 4_900)
        // 333 bp off ¥10.01: 1001 × 0.9667 = 967.67 fen → 968.
        #expect(PartnerPricing(discountBasisPoints: 333).cost(of: Money(1_001, .cny)).amountMinor == 968)
        #expect(PartnerPricing.faceValue.cost(of: Money(1_001, .cny)).amountMinor == 1_001)
        #expect(throws: ValidationError.self) { try PartnerPricing.validated(discountBasisPoints: 3_001, byAmount: [:]) }
        #expect(throws: ValidationError.self) { try PartnerPricing.validated(discountBasisPoints: 0, byAmount: ["ten": 100]) }
        #expect(throws: ValidationError.self) { try PartnerPricing.validated(discountBasisPoints: 0, byAmount: ["1000": -1]) }
    }

    @Test("the Authorization header parses only in its one form")
    func header() {
        let sig = String(repeating: "ab", count: 32)
        let parsed = PartnerSignature.parse("Baohao-HMAC key=pk_1,t=1795500000,sig=\(sig)")
        #expect(parsed?.keyID == "pk_1" && parsed?.timestamp == 1_795_500_000 && parsed?.signature.count == 32)
        for bad in [
            "Bearer x", "Baohao-HMAC key=pk_1,t=1795500000", "Baohao-HMAC key=pk_1,t=-5,sig=\(sig)",
            "Baohao-HMAC key=pk_1,t=1795500000,sig=zz", "Baohao-HMAC key=pk_1,key=pk_2,t=1,sig=\(sig)",
        ] {
            #expect(PartnerSignature.parse(bad) == nil, "\(bad)")
        }
    }

    @Test("the signed text is t, method, path with query and the body's SHA-256, one per line")
    func canonical() {
        let text = PartnerSignature.canonical(
            timestamp: 1_795_500_000, method: "POST", pathWithQuery: "/v1/partner/topups?a=1", body: Data("{}".utf8))
        #expect(text == "1795500000\nPOST\n/v1/partner/topups?a=1\n44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")
    }

    @Test("callbacks are retried after 10 s, doubling up to an hour, until 24 hours after the event")
    func schedule() {
        let start = Date(timeIntervalSince1970: 1_795_500_000)
        var now = start
        var waits: [TimeInterval] = []
        var attempts = 1
        while let next = CallbackSchedule.standard.retry(after: attempts, createdAt: start, now: now) {
            waits.append(next.timeIntervalSince(now))
            now = next
            attempts += 1
        }
        #expect(Array(waits.prefix(10)) == [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600])
        #expect(now.timeIntervalSince(start) <= 24 * 3600)
        #expect(now.timeIntervalSince(start) > 23 * 3600)
    }

    @Test("a sealed secret opens only with its key, and names the key that sealed it")
    func sealing() throws {
        let box = try PartnerSecretBox(keyMaterial: Data(repeating: 7, count: 32))
        let other = try PartnerSecretBox(keyMaterial: Data(repeating: 8, count: 32))
        let sealed = try box.seal("sk_secret")
        #expect(!sealed.contains("sk_secret"))
        #expect(try box.open(sealed) == "sk_secret")
        #expect(throws: PartnerSecretError.otherKey(box.fingerprint)) { try other.open(sealed) }
        #expect("\(PartnerCredentials(keyID: "pk_1", secret: "sk_2"))".contains("sk_2") == false)
    }

    @Test("statement fields that a spreadsheet would run as formulas are defused, and commas quoted")
    func csvFields() {
        #expect(PartnerStatement.field("=SUM(A1)") == "'=SUM(A1)")
        #expect(PartnerStatement.field("a,b") == "\"a,b\"")
        #expect(PartnerStatement.field("slip-1") == "slip-1")
    }
}
