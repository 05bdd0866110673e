import BaohaoDomain
import Foundation

/// An iCalendar (RFC 5545) feed of keep-alive deadlines: all-day events with alarms 7 days and
/// 1 day before; text escaped, lines folded at 75 octets, CRLF line ends.
enum DeadlineCalendar {
    struct Event {
        let uid: String
        let day: LocalDate
        let summary: String
        let description: String
    }

    static func render(_ events: [Event], stamp: Date) -> String {
        let stampText =
            Timestamp.format(stamp).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
            .prefix(15) + "Z"
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Baohao//Keep-alive deadlines//ZH", "CALSCALE:GREGORIAN",
            "X-WR-CALNAME:保号截止日 / Keep-alive deadlines",
        ]
        for event in events {
            let day = event.day.iso.replacingOccurrences(of: "-", with: "")
            let next = event.day.adding(days: 1).iso.replacingOccurrences(of: "-", with: "")
            lines += [
                "BEGIN:VEVENT", "UID:\(escape(event.uid))", "DTSTAMP:\(stampText)", "DTSTART;VALUE=DATE:\(day)", "DTEND;VALUE=DATE:\(next)",
                "SUMMARY:\(escape(event.summary))", "DESCRIPTION:\(escape(event.description))", "TRANSP:TRANSPARENT",
            ]
            for before in ["-P7D", "-P1D"] {
                lines += ["BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:\(before)", "DESCRIPTION:\(escape(event.summary))", "END:VALARM"]
            }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;").replacingOccurrences(
            of: ",", with: "\\,"
        )
        .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Folds a content line into chunks of at most 75 octets, never splitting a character.
    static func fold(_ line: String) -> String {
        var chunks: [String] = []
        var current = ""
        var limit = 75
        for character in line {
            if current.utf8.count + String(character).utf8.count > limit {
                chunks.append(current)
                current = ""
                limit = 74
            }
            current.append(character)
        }
        chunks.append(current)
        return chunks.joined(separator: "\r\n ")
    }
}
