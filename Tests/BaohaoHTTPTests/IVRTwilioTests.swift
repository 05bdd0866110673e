import BaohaoDomain
import BaohaoHTTP
import BaohaoTelephony
import BaohaoTestSupport
import Foundation
import HTTPTypes
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The hotline on Twilio: signed webhooks in, TwiML out (parsed as XML), `<Pay>` results posted
/// to the action URL, retries answered once.
@Suite("IVR over Twilio")
struct IVRTwilioTests {
    static let callSid = "CA0123456789abcdef0123456789abcdef"

    /// Posts form `fields` to `uri` signed as Twilio signs it (or with `signature`).
    static func post(_ h: Harness, _ uri: String, _ fields: [(String, String)], signature: String? = nil) async throws -> Reply {
        let body = fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
        let signed = signature ?? TwilioSignature(authToken: twilioAuthToken).signature(url: "http://127.0.0.1" + uri, parameters: fields)
        return try await h.call(
            .post, uri, body: body, headers: [.contentType: "application/x-www-form-urlencoded", HTTPField.Name("X-Twilio-Signature")!: signed])
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }

    static func fields(_ extra: [(String, String)] = [], sid: String = callSid) -> [(String, String)] {
        [("AccountSid", "AC0123456789abcdef0123456789abcdef"), ("CallSid", sid), ("From", "+8613800138000"), ("To", "+8695500")] + extra
    }

    /// The TwiML document and an XPath reader over it.
    static func xml(_ reply: Reply) throws -> XMLDocument {
        #expect(reply.status == .ok, "\(reply.text)")
        #expect(reply.contentType.hasPrefix("application/xml"))
        return try XMLDocument(xmlString: reply.text)
    }

    static func value(_ document: XMLDocument, _ path: String) throws -> String? {
        try document.nodes(forXPath: path).first?.stringValue
    }

    @Test("a call recharges its own number and pays through <Pay>; a retried webhook is answered the same and credits once", arguments: [TestDatabase.memory, .sqlite])
    func payWithConnector(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            try await h.enableChannel("ivr")
            var document = try Self.xml(try await Self.post(h, "/v1/ivr/twilio/voice", Self.fields([("CallStatus", "ringing")])))
            #expect(try Self.value(document, "/Response/Gather/@numDigits") == "1")
            #expect(try Self.value(document, "/Response/Gather/@input") == "dtmf")
            #expect(try Self.value(document, "/Response/Gather/@action") == "http://127.0.0.1/v1/ivr/twilio/gather?turn=0")
            #expect(try Self.value(document, "/Response/Gather/Say/@language") == "cmn-CN")
            #expect(try Self.value(document, "/Response/Gather/Say")?.contains("欢迎致电保号自助服务热线") == true)

            for (turn, digits) in ["1", "50", "1"].enumerated() {
                document = try Self.xml(try await Self.post(h, "/v1/ivr/twilio/gather?turn=\(turn)", Self.fields([("Digits", digits)])))
            }
            #expect(try Self.value(document, "/Response/Gather/Say")?.contains("银行卡支付请按1") == true)
            document = try Self.xml(try await Self.post(h, "/v1/ivr/twilio/gather?turn=3", Self.fields([("Digits", "1")])))
            #expect(try Self.value(document, "/Response/Pay/@chargeAmount") == "50.50")
            #expect(try Self.value(document, "/Response/Pay/@currency") == "cny")
            #expect(try Self.value(document, "/Response/Pay/@action") == "http://127.0.0.1/v1/ivr/twilio/pay?turn=4")

            let paid = Self.fields([
                ("Result", "success"), ("PaymentConfirmationCode", "ch_3PpIVR0123"), ("PaymentCardNumber", "xxxxxxxxxxxx4242"),
                ("PaymentCardType", "visa"),
            ])
            let first = try await Self.post(h, "/v1/ivr/twilio/pay?turn=4", paid)
            document = try Self.xml(first)
            #expect(try Self.value(document, "/Response/Say")?.contains("充值成功，已到账50元") == true)
            #expect(try document.nodes(forXPath: "/Response/Hangup").count == 1)
            let retried = try await Self.post(h, "/v1/ivr/twilio/pay?turn=4", paid)
            #expect(retried.text == first.text)
            #expect(try await IVRFastAGITests.balance(h) == 2350 + 5000)
            let record = try #require(try await h.services.ivr.recentCalls().first)
            #expect(record.frontEnd == .twilio && record.dialog.outcome == .recharged && record.cardLast4 == "4242")
            let order = try await h.services.recharges.order(id: try #require(record.chargedOrderID))
            #expect(order.paymentMethod == .card && order.providerTransactionID == "ch_3PpIVR0123" && order.total == Money(5050, .cny))
            #expect(try await h.verify()["ok"] as? Bool == true)
        }
    }

    @Test("a forged or missing signature is 403 and nothing happens", arguments: [TestDatabase.memory])
    func forged(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            try await h.enableChannel("ivr")
            let forged = try await Self.post(h, "/v1/ivr/twilio/voice", Self.fields(), signature: "bm90IGEgc2lnbmF0dXJl")
            #expect(forged.status == .forbidden && (forged.json["type"] as? String)?.hasSuffix("/bad-signature") == true)
            // Signed for another URL (the signature covers the query too).
            let body = Self.fields([("Digits", "1")])
            let elsewhere = TwilioSignature(authToken: twilioAuthToken).signature(
                url: "http://127.0.0.1/v1/ivr/twilio/gather?turn=1", parameters: body)
            #expect(try await Self.post(h, "/v1/ivr/twilio/gather?turn=0", body, signature: elsewhere).status == .forbidden)
            // A field changed after signing.
            let tampered = TwilioSignature(authToken: twilioAuthToken).signature(
                url: "http://127.0.0.1/v1/ivr/twilio/voice", parameters: Self.fields([("From", "+8613900139000")]))
            #expect(try await Self.post(h, "/v1/ivr/twilio/voice", Self.fields(), signature: tampered).status == .forbidden)
            #expect(try await h.services.ivr.recentCalls().isEmpty)
            // The standard port in the signed URL is accepted, as Twilio's validator accepts it.
            let withPort = TwilioSignature(authToken: twilioAuthToken).signature(
                url: "http://127.0.0.1:80/v1/ivr/twilio/voice", parameters: Self.fields())
            #expect(try await Self.post(h, "/v1/ivr/twilio/voice", Self.fields(), signature: withPort).status == .ok)
        }
    }

    @Test("a declined <Pay> offers another try; the status callback of a hang-up cancels the open order", arguments: [TestDatabase.memory])
    func declinedThenHangUp(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            try await h.enableChannel("ivr")
            let sid = "CAfedcba9876543210fedcba9876543210"
            _ = try await Self.post(h, "/v1/ivr/twilio/voice", Self.fields(sid: sid))
            for (turn, digits) in ["1", "20", "1", "1"].enumerated() {
                _ = try await Self.post(h, "/v1/ivr/twilio/gather?turn=\(turn)", Self.fields([("Digits", digits)], sid: sid))
            }
            var document = try Self.xml(
                try await Self.post(
                    h, "/v1/ivr/twilio/pay?turn=4",
                    Self.fields([("Result", "payment-connector-error"), ("PaymentError", "card_declined")], sid: sid)))
            #expect(try Self.value(document, "/Response/Gather/Say")?.contains("支付未成功") == true)
            document = try Self.xml(try await Self.post(h, "/v1/ivr/twilio/gather?turn=5", Self.fields([("Digits", "1")], sid: sid)))
            #expect(try Self.value(document, "/Response/Pay/@chargeAmount") == "20.50")
            let status = try await Self.post(h, "/v1/ivr/twilio/status", Self.fields([("CallStatus", "completed")], sid: sid))
            #expect(status.status == .noContent)
            let record = try #require(try await h.services.ivr.recentCalls().first)
            #expect(record.dialog.outcome == .hungUp && record.chargedOrderID == nil)
            #expect(try await h.services.recharges.order(id: try #require(record.dialog.orderID)).status == .cancelled)
            #expect(try await IVRFastAGITests.balance(h) == 2350)
        }
    }
}
