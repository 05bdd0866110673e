import Foundation

/// A plain-text UTF-8 email, rendered for SMTP DATA.
public struct MailMessage: Sendable, Hashable {
    public let from: String
    public let to: String
    public let subject: String
    public let body: String
    public let messageID: String
    public let date: Date

    public init(from: String, to: String, subject: String, body: String, messageID: String, date: Date) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.messageID = messageID
        self.date = date
    }

    /// Whether an address is safe to put in an SMTP command and a header.
    public static func isAcceptableAddress(_ address: String) -> Bool {
        address.count <= 254 && address.contains("@")
            && !address.unicodeScalars.contains(where: { $0.value < 0x21 || $0 == "<" || $0 == ">" || $0 == "," || $0 == "\"" })
    }

    /// RFC 2047 encoded words (UTF-8, base64) for a header value, each at most 75 characters,
    /// split on character boundaries and folded.
    public static func encodedWords(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 }) && text.count <= 70 { return text }
        var words: [String] = []
        var chunk = ""
        for character in text {
            let candidate = chunk + String(character)
            if candidate.utf8.count > 45 {
                words.append(chunk)
                chunk = String(character)
            } else {
                chunk = candidate
            }
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    /// Escapes lines that start with a dot (RFC 5321 §4.5.2) and ends every line with CRLF.
    public static func dotStuffed(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n")
    }

    /// The message as sent after DATA, without the final `.` line.
    public func rendered() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss +0000"
        let encodedBody = Data(body.utf8).base64EncodedString(options: [
            .lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed,
        ])
        let headers = [
            "From: \(from)", "To: \(to)", "Subject: \(Self.encodedWords(subject))", "Date: \(formatter.string(from: date))",
            "Message-ID: <\(messageID)>", "MIME-Version: 1.0", "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
        ]
        return Self.dotStuffed(headers.joined(separator: "\r\n") + "\r\n\r\n" + encodedBody)
    }
}
