import BaohaoDomain
import Foundation
import NIOCore
import NIOPosix

@testable import BaohaoTelephony

/// A scripted Asterisk for FastAGI tests: connects like `AGI(agi://127.0.0.1:PORT/recharge)`,
/// sends a realistic `agi_*` block, then answers every command as res_agi.c would, taking the
/// caller's keys for each `GET DATA` (and any barge-in during playback) from a script.
struct FakeAsterisk {
    /// What the caller does at the next `GET DATA` (or while a prompt plays).
    enum Step: Sendable {
        /// Keys, then `#` or the last digit: `200 result=<keys>`.
        case keys(String)
        /// Some keys, then silence: `200 result=<keys> (timeout)`.
        case partial(String)
        /// Silence: `200 result= (timeout)`.
        case silence
        /// Hangs up during the wait: `200 result=-1`.
        case hangUp
        /// Hangs up: a bare `HANGUP` line, then `511` to this and every later command.
        case hangUpLine
        /// Keys, then hangs up at once: the next command gets a bare `HANGUP` line and `511`.
        case keysThenHangUp(String)
        /// Presses a key while the next prompt plays: `200 result=<ascii> endpos=…` to `STREAM FILE`.
        case bargeIn(Character)
    }

    /// What the call did: every command received, in order.
    struct Transcript: Sendable {
        var commands: [String] = []
        var said: [String] { commands.filter { $0.hasPrefix("STREAM FILE") || $0.hasPrefix("GET DATA") }.map(Self.promptName) }
        var digitsSaid: [String] { commands.filter { $0.hasPrefix("SAY DIGITS") || $0.hasPrefix("SAY ALPHA") }.map { word($0, 2) } }
        var numbersSaid: [String] { commands.filter { $0.hasPrefix("SAY NUMBER") }.map { word($0, 2) } }
        var hungUpByServer: Bool { commands.last == "HANGUP" }

        static func promptName(_ command: String) -> String {
            let file = word(command, 2)
            return String(file.split(separator: "/").last ?? Substring(file))
        }
        func word(_ command: String, _ index: Int) -> String { Self.word(command, index) }
        static func word(_ command: String, _ index: Int) -> String {
            let words = command.split(separator: " ")
            return words.count > index ? String(words[index]) : ""
        }
    }

    let port: Int
    /// Commands answered `510 Invalid or unknown command` (an Asterisk without them).
    var unknownCommands: Set<String> = []
    /// Commands answered with a `520` usage text.
    var usageErrors: Set<String> = []

    func call(uniqueID: String, caller: String?, _ script: [Step], language: String = "zh") async throws -> Transcript {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(AGILineDecoder()))
                    return try NIOAsyncChannel<Substring, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var environment = [
                ("agi_network", "yes"), ("agi_network_script", "recharge"), ("agi_request", "agi://127.0.0.1:\(port)/recharge"),
                ("agi_channel", "PJSIP/trunk-0000002a"), ("agi_language", language), ("agi_type", "PJSIP"),
                ("agi_uniqueid", uniqueID), ("agi_version", "20.11.1"), ("agi_callerid", caller ?? "unknown"),
                ("agi_calleridname", "unknown"), ("agi_callingpres", "0"), ("agi_callingani2", "0"), ("agi_callington", "0"),
                ("agi_callingtns", "0"), ("agi_dnid", "95500"), ("agi_rdnis", "unknown"), ("agi_context", "hotline"),
                ("agi_extension", "95500"), ("agi_priority", "2"), ("agi_enhanced", "0.0"), ("agi_accountcode", ""),
                ("agi_threadid", "140245183252224"),
            ].map { "\($0.0): \($0.1)\n" }.joined()
            environment += "\n"
            try await outbound.write(ByteBuffer(string: environment))
            var transcript = Transcript()
            var steps = script[...]
            var dead = false
            var hangUpNow = false
            for try await raw in inbound {
                let command = String(raw)
                transcript.commands.append(command)
                let verb = command.split(separator: " ").prefix(2).joined(separator: " ")
                var reply: String
                if hangUpNow {
                    hangUpNow = false
                    dead = true
                    reply = "HANGUP\n511 Command Not Permitted on a dead channel or intercept routine"
                } else if dead {
                    reply = "511 Command Not Permitted on a dead channel or intercept routine"
                } else if unknownCommands.contains(verb) {
                    reply = "510 Invalid or unknown command"
                } else if usageErrors.contains(verb) {
                    reply = "520-Invalid command syntax.  Proper usage follows:\nUsage: \(verb) <args>\n520 End of proper usage."
                } else if command == "HANGUP" {
                    reply = "200 result=1"
                } else if command.hasPrefix("STREAM FILE"), case .bargeIn(let key)? = steps.first {
                    steps.removeFirst()
                    reply = "200 result=\(key.asciiValue ?? 0) endpos=4000"
                } else if command.hasPrefix("GET DATA") {
                    switch steps.popFirst() ?? .silence {
                    case .keys(let keys): reply = "200 result=\(keys)"
                    case .keysThenHangUp(let keys):
                        reply = "200 result=\(keys)"
                        hangUpNow = true
                    case .partial(let keys): reply = "200 result=\(keys) (timeout)"
                    case .silence, .bargeIn: reply = "200 result= (timeout)"
                    case .hangUp: reply = "200 result=-1"
                    case .hangUpLine:
                        dead = true
                        reply = "HANGUP\n511 Command Not Permitted on a dead channel or intercept routine"
                    }
                } else if command.hasPrefix("STREAM FILE") || command.hasPrefix("SAY") {
                    reply = "100 result=0 Trying...\n200 result=0 endpos=8000"
                } else {
                    reply = "200 result=0"
                }
                try await outbound.write(ByteBuffer(string: reply + "\n"))
                if command == "HANGUP" { break }
            }
            return transcript
        }
    }
}
