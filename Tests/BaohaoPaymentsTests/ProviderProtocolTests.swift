import BaohaoDomain
import Crypto
import Foundation
import Testing
import _CryptoExtras

@testable import BaohaoPayments

/// The wire-format pieces every adapter rests on, and each adapter's checks, with keys these tests
/// make. The end-to-end runs against fake provider servers and independent oracles are in
/// `tests/test_providers.py`.
@Suite("Provider protocol pieces")
struct ProviderProtocolTests {
    @Test("form bodies decode as Alipay and UnionPay send them, and refuse ambiguity")
    func formEncoding() {
        let fields = FormEncoding.dictionary(Array("a=1&subject=%E8%AF%9D%E8%B4%B9+%E5%85%85%E5%80%BC&empty=".utf8))
        #expect(fields == ["a": "1", "subject": "话费 充值", "empty": ""])
        #expect(FormEncoding.parse(Array("a=1&a=2".utf8)) == nil)
        #expect(FormEncoding.parse(Array("a=%ZZ".utf8)) == nil)
        #expect(FormEncoding.parse(Array("a=%FF".utf8)) == nil)
        #expect(FormEncoding.signingString(["b": "2", "a": "1", "B": "3"]) == "B=3&a=1&b=2")
        #expect(FormEncoding.escape("a b/中") == "a%20b%2F%E4%B8%AD")
    }

    @Test(
        "decimal yuan amounts convert exactly or not at all",
        arguments: [
            ("50", Int64?(5000)), ("50.0", 5000), ("50.00", 5000), ("0.01", 1), ("50.001", nil), ("-1", nil), ("5e1", nil),
            ("", nil), (".5", nil), ("1234567890123", nil),
        ])
    func decimalAmounts(_ text: String, _ expected: Int64?) {
        #expect(DecimalAmount.minorUnits(text) == expected)
    }

    @Test("the raw text of a signed JSON member is found exactly")
    func rawJSON() {
        let body = Array(
            #"{"x":"\"alipay_trade_query_response\"","alipay_trade_query_response":{"a":"}{","b":[1,{"c":2}]},"sign":"S"}"#.utf8)
        let raw = RawJSON.value(of: "alipay_trade_query_response", in: body).map { String(decoding: $0, as: UTF8.self) }
        #expect(raw == #"{"a":"}{","b":[1,{"c":2}]}"#)
        #expect(RawJSON.value(of: "missing", in: body) == nil)
    }

    @Test("Beijing times convert both ways")
    func chinaTime() throws {
        let date = try #require(ChinaTime.parseDashed("2026-11-24 20:30:05"))
        #expect(Timestamp.format(date) == "2026-11-24T12:30:05.000Z")
        #expect(ChinaTime.parseCompact("20261124203005") == date)
        #expect(ChinaTime.formatCompact(date) == "20261124203005")
        #expect(ChinaTime.formatRFC3339(date) == "2026-11-24T20:30:05+08:00")
        #expect(ChinaTime.parseDashed("2026-11-24T20:30:05") == nil)
    }

    @Test("SHA256withRSA signatures verify, and fail on any change")
    func rsa() throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let publicKey = try RSAKeys.publicKey(key.publicKey.pemRepresentation)
        let signature = try RSAKeys.sign(Array("a=1&b=2".utf8), with: try RSAKeys.privateKey(key.pemRepresentation))
        #expect(RSAKeys.verify(base64Signature: signature, message: Array("a=1&b=2".utf8), with: publicKey))
        #expect(!RSAKeys.verify(base64Signature: signature, message: Array("a=1&b=3".utf8), with: publicKey))
        #expect(!RSAKeys.verify(base64Signature: "not base64!", message: Array("a=1&b=2".utf8), with: publicKey))
        // Alipay's console shows keys as bare base64 without PEM lines.
        let bare = key.publicKey.derRepresentation.base64EncodedString()
        #expect(RSAKeys.verify(base64Signature: signature, message: Array("a=1&b=2".utf8), with: try RSAKeys.publicKey(bare)))
    }

    @Test("a Stripe signature is checked over t.body with any v1, inside the tolerance")
    func stripeSignature() {
        let body = Array(#"{"id":"evt_1"}"#.utf8)
        let secret = "whsec_test_secret_0123456789"
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let mac = Hex.encode(StripeSignature.mac(body: body, timestamp: 1_800_000_000, secret: secret))
        #expect(StripeSignature.verify(header: "t=1800000000,v1=00,v1=\(mac)", body: body, secret: secret, tolerance: 300, now: now) == nil)
        #expect(
            StripeSignature.verify(header: "t=1800000000,v1=\(mac)", body: body + [32], secret: secret, tolerance: 300, now: now)
                == "bad_signature")
        #expect(
            StripeSignature.verify(header: "t=1800000000,v1=\(mac)", body: body, secret: secret, tolerance: 300, now: now + 301)
                == "stale_timestamp")
        #expect(StripeSignature.verify(header: "v1=\(mac)", body: body, secret: secret, tolerance: 300, now: now) == "missing_signature")
    }

    @Test("a sandbox signature header may carry spaces around its parameters and upper-case hex; anything else is malformed")
    func sandboxSignatureHeader() throws {
        let body = Array(#"{"order_id":"rc_1"}"#.utf8)
        let secret = "sandbox-secret-0123456789"
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let mac = SandboxSignature.hexHMAC(body: body, secret: secret, timestamp: 1_800_000_000)
        try SandboxSignature.verify(header: " t = 1800000000 ,\tv1=\(mac.uppercased()) ", body: body, secret: secret, now: now)
        func reason(_ header: String) -> String? {
            do {
                try SandboxSignature.verify(header: header, body: body, secret: secret, now: now)
                return nil
            } catch { return error.reason }
        }
        #expect(reason("t=1800000000,v1=\(mac)") == nil)
        #expect(reason("t=1800000000,v1") == "malformed_signature")
        #expect(reason("t=\u{3000}1800000000,v1=\(mac)") == "malformed_signature")
        #expect(reason("t=1800000000,v1=\(mac)0") == "bad_signature")
    }

    @Test("a WeChat Pay resource opens only with the APIv3 key, nonce and associated data it was sealed with")
    func wechatResource() throws {
        let key = Array("0123456789abcdef0123456789abcdef".utf8)
        let nonce = "abcdefghijkl"
        let sealed = try AES.GCM.seal(
            Array(#"{"trade_state":"SUCCESS"}"#.utf8), using: SymmetricKey(data: key), nonce: try AES.GCM.Nonce(data: Array(nonce.utf8)),
            authenticating: Array("transaction".utf8))
        let ciphertext = (sealed.ciphertext + sealed.tag).base64EncodedString()
        let plain = WeChatPaySignature.decrypt(ciphertext: ciphertext, nonce: nonce, associatedData: "transaction", key: key)
        #expect(plain.map { String(decoding: $0, as: UTF8.self) } == #"{"trade_state":"SUCCESS"}"#)
        #expect(WeChatPaySignature.decrypt(ciphertext: ciphertext, nonce: nonce, associatedData: "other", key: key) == nil)
        #expect(WeChatPaySignature.decrypt(ciphertext: ciphertext, nonce: "abcdefghijkm", associatedData: "transaction", key: key) == nil)
    }

    @Test("WeChat H5 is offered to phone browsers only, and returns the payer to the order page")
    func wechatH5() {
        let iPhone =
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
        let android = "Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36"
        let inWeChat = android + " MicroMessenger/8.0.49.2600(0x28003133) NetType/WIFI Language/zh_CN"
        let desktop = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
        #expect(PayerDevice.kind(userAgent: iPhone) == .phoneBrowser)
        #expect(PayerDevice.kind(userAgent: android) == .phoneBrowser)
        #expect(PayerDevice.kind(userAgent: inWeChat) == .weChatBrowser)
        #expect(PayerDevice.kind(userAgent: desktop) == .computer)
        #expect(PayerDevice.kind(userAgent: nil) == .computer)
        #expect(
            WeChatPayProvider.h5URL(
                "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx1&package=1",
                returningTo: "https://pay.example.cn/orders/rc_1?from=cashier")
                == "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx1&package=1"
                + "&redirect_url=https%3A%2F%2Fpay.example.cn%2Forders%2Frc_1%3Ffrom%3Dcashier")
    }
    @Test("UnionPay order ids lose their underscore and get it back")
    func unionPayOrderIDs() {
        let id = "rc_01JD5ZQ8W3K4M6N7P8Q9R0S1T2"
        #expect(UnionPayProvider.unionPayOrderID(id) == "rc01JD5ZQ8W3K4M6N7P8Q9R0S1T2")
        #expect(UnionPayProvider.baohaoOrderID(UnionPayProvider.unionPayOrderID(id)) == id)
    }

    @Test("statements are read whole or refused with line numbers")
    func statements() throws {
        let lines = try StatementCSV.parse("provider_txn_id,order_id,amount,currency,paid_at\nT1,rc_a,1000,cny,2026-11-24T04:00:00Z\n")
        #expect(lines.map(\.amount) == [Money(1000, .cny)])
        #expect(throws: StatementError.self) { try StatementCSV.parse("txn,order\n") }
        do {
            _ = try StatementCSV.parse(
                "provider_txn_id,order_id,amount,currency,paid_at\nT1,rc_a,10,CNY,\nT1,rc_b,0,CNY,\nT3,rc_c,5,XXX,\n")
            Issue.record("a bad statement was accepted")
        } catch {
            #expect(error.problems.map(\.line) == [3, 4])
        }
    }

    @Test("reconciliation backs off exponentially up to a bound")
    func backoff() {
        let policy = ReconciliationPolicy(initialDelay: 60, maximumDelay: 600)
        #expect((1...6).map { policy.delay(afterAttempt: $0) } == [60, 120, 240, 480, 600, 600])
    }
}
