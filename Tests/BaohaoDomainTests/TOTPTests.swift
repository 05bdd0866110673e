import BaohaoDomain
import Foundation
import Testing

@Suite("TOTP and base32")
struct TOTPTests {
    /// RFC 6238 appendix B, SHA-1, the last six of the eight digits.
    @Test(
        "RFC 6238 test vectors",
        arguments: [
            (59.0, "287082"), (1_111_111_109.0, "081804"), (1_111_111_111.0, "050471"), (1_234_567_890.0, "005924"),
            (2_000_000_000.0, "279037"), (20_000_000_000.0, "353130"),
        ])
    func vectors(_ time: Double, _ expected: String) {
        let secret = Array("12345678901234567890".utf8)
        #expect(TOTP.code(secret: secret, step: TOTP.step(at: Date(timeIntervalSince1970: time))) == expected)
    }

    @Test("a code is good within one step either side, once, and never with other characters")
    func matching() {
        let secret = Array("12345678901234567890".utf8)
        let at = Date(timeIntervalSince1970: 1_234_567_890)
        let step = TOTP.step(at: at)
        #expect(TOTP.match("005924", secret: secret, at: at, after: 0) == step)
        #expect(TOTP.match("005924", secret: secret, at: at + 30, after: 0) == step)
        #expect(TOTP.match("005924", secret: secret, at: at + 61, after: 0) == nil)
        #expect(TOTP.match("005924", secret: secret, at: at, after: step) == nil)
        #expect(TOTP.match("00592４", secret: secret, at: at, after: 0) == nil)
        #expect(TOTP.match("5924", secret: secret, at: at, after: 0) == nil)
    }

    @Test("base32 as RFC 4648 spells it, both ways")
    func base32() {
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(Base32.encode(Array("f".utf8)) == "MY")
        #expect(Base32.decode("mzxw6ytboi======").map { String(decoding: $0, as: UTF8.self) } == "foobar")
        #expect(Base32.decode("MZXW6YTB01") == nil)
        let secret = TOTP.newSecret()
        #expect(Base32.decode(Base32.encode(secret)) == secret)
        #expect(
            TOTP.provisioningURI(secret: Array("foobar".utf8), account: "wang.li")
                == "otpauth://totp/Baohao:wang.li?secret=MZXW6YTBOI&issuer=Baohao")
    }
}
