import Foundation
import Testing

@testable import BaohaoMessaging

/// What the gateways put on the wire, checked against independently computed values
/// (Python's `hmac`/`base64`) so a change in our encoding cannot pass unnoticed.
@Suite struct WireFormatTests {
    @Test func chineseSubjectIsSplitIntoDecodableEncodedWords() throws {
        let subject = "保号提醒：138****8000 将于 2027-03-01 停机，请在此之前充值至少 ¥12.00（任意渠道）"
        let encoded = MailMessage.encodedWords(subject)
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        var decoded = ""
        for word in words {
            #expect(word.count <= 75, "RFC 2047 limits an encoded word to 75 characters: \(word)")
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            let payload = String(word.dropFirst(10).dropLast(2))
            let data = try #require(Data(base64Encoded: payload))
            decoded += try #require(String(data: data, encoding: .utf8), "a word split a UTF-8 sequence")
        }
        #expect(decoded == subject)
    }

    @Test func shortAsciiSubjectStaysReadable() {
        #expect(MailMessage.encodedWords("Baohao reminder") == "Baohao reminder")
        #expect(MailMessage.encodedWords("tab\there").hasPrefix("=?UTF-8?B?"))
    }

    @Test func linesStartingWithADotAreStuffedAndLinesEndInCRLF() {
        #expect(MailMessage.dotStuffed("a\n.\n..b\r\nc") == "a\r\n..\r\n...b\r\nc")
    }

    @Test func renderedBodyDecodesBackAndHeadersDeclareIt() throws {
        let body = "您的号码 138****8000 余额 ¥3.00。\n.\n请充值。"
        let message = MailMessage(
            from: "noreply@baohao.example", to: "owner@example.com", subject: "保号提醒", body: body, messageID: "rem_1@baohao",
            date: Date(timeIntervalSince1970: 1_764_000_000))
        let rendered = message.rendered()
        let parts = rendered.components(separatedBy: "\r\n\r\n")
        #expect(parts.count == 2)
        let headers = parts[0].components(separatedBy: "\r\n")
        #expect(headers.contains("Date: Mon, 24 Nov 2025 16:00:00 +0000"))
        #expect(headers.contains("Content-Transfer-Encoding: base64"))
        #expect(headers.contains("Message-ID: <rem_1@baohao>"))
        #expect(headers.contains("Subject: =?UTF-8?B?5L+d5Y+35o+Q6YaS?="))
        let bodyLines = parts[1].components(separatedBy: "\r\n")
        #expect(bodyLines.allSatisfy { $0.count <= 76 })
        let data = try #require(Data(base64Encoded: bodyLines.joined()))
        #expect(String(data: data, encoding: .utf8) == body)
    }

    @Test func addressesThatCouldInjectCommandsAreRefused() {
        #expect(MailMessage.isAcceptableAddress("owner@example.com"))
        #expect(!MailMessage.isAcceptableAddress("owner@example.com>\r\nRCPT TO:<x@y"))
        #expect(!MailMessage.isAcceptableAddress("a b@example.com"))
        #expect(!MailMessage.isAcceptableAddress("no-at-sign"))
    }

    @Test func webhookSignatureMatchesAnIndependentHMAC() {
        let signature = WebhookSender.signature(body: Data(#"{"event":"reminder"}"#.utf8), timestamp: 1_764_000_000, secret: "whsec_test")
        #expect(signature == "t=1764000000,v1=67a9117818926196551684b2aa046adca178960f34b8df6ceddff8168ce78a75")
    }

    @Test func deliveryReportTokenIsTheTruncatedHMACOfTheReminder() {
        #expect(KannelConfiguration.token(reminderID: "rem_123", secret: "dlr-secret") == "79e38abc867727daa410d67ecc0db917")
        #expect(KannelConfiguration.token(reminderID: "rem_124", secret: "dlr-secret") != "79e38abc867727daa410d67ecc0db917")
    }
}
