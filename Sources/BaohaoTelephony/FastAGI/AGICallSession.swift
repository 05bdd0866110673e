import BaohaoDomain
import NIOCore

/// Speaks one call's turns to Asterisk as AGI commands and reads the caller's keys back.
///
/// A turn's utterances become `STREAM FILE` (prompts, from `<sounds>/<language>/<name>`), `SAY
/// DIGITS`, `SAY ALPHA`, `SAY NUMBER` and `SAY DATETIME`; a question's last prompt is played by `GET DATA`
/// itself, which then collects the keys (`#` ends, the timeout in milliseconds). A key pressed
/// while an earlier utterance plays interrupts it (barge-in) and counts as the first key.
/// Keys are never logged.
struct AGICallSession {
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    var lines: NIOAsyncChannelInboundStream<Substring>.AsyncIterator
    /// The sound folder prompts are in, relative to Asterisk's sounds directory.
    let sounds: String
    /// The channel language set last (`SET VARIABLE CHANNEL(language)`), for `SAY NUMBER`.
    var channelLanguage: Language?

    static let escapeDigits = "\"0123456789*#\""

    /// Sends one command and reads its final reply (skipping `100 Trying` and a usage text).
    mutating func command(_ text: String) async throws -> AGIReply {
        try await outbound.write(ByteBuffer(string: text + "\n"))
        var usageLines = 0
        while let line = try await lines.next() {
            guard let reply = AGIReply(line: line) else { throw FastAGIError.malformed("reply") }
            switch reply {
            case .trying:
                continue
            case .usageStart:
                // The usage text's own lines do not start with a code; read to its end.
                while let more = try await lines.next() {
                    usageLines += 1
                    if AGIReply(line: more) == .usageEnd { return .usageEnd }
                    guard usageLines < 100 else { throw FastAGIError.malformed("usage text too long") }
                }
                throw FastAGIError.closed
            default:
                return reply
            }
        }
        throw FastAGIError.closed
    }

    /// Plays a turn; the caller's answer, or `nil` when the turn ends the call or the caller left.
    mutating func play(_ turn: IVRTurn) async throws -> IVRInput? {
        if channelLanguage != turn.language {
            let reply = try await command("SET VARIABLE CHANNEL(language) \(turn.language.rawValue)")
            if reply.meansHangUp { return .hangUp }
            channelLanguage = turn.language
        }
        let asks: Bool
        if case .gather = turn.next { asks = true } else { asks = false }
        var utterances = turn.utterances
        var questionFile = "silence/1"
        if asks, case .prompt(let prompt)? = utterances.last {
            questionFile = file(prompt, turn.language)
            utterances.removeLast()
        }
        var typed = ""
        speaking: for utterance in utterances {
            switch try await say(utterance, turn.language, interruptible: asks) {
            case .hangUp: return .hangUp
            case .key(let key):
                typed = key
                break speaking
            case .done: continue
            }
        }
        switch turn.next {
        case .hangUp:
            _ = try? await command("HANGUP")
            return nil
        case .pay:
            // Only voice platforms with a payment connector take a card this way.
            _ = try? await command("HANGUP")
            return .hangUp
        case .gather(let maxDigits, _, let timeoutSeconds):
            if typed == "#" { return .noInput }
            if typed == "*" || (!typed.isEmpty && maxDigits == 1) { return .digits(typed) }
            let reply = try await command("GET DATA \(questionFile) \(timeoutSeconds * 1000) \(maxDigits - typed.count)")
            if reply.meansHangUp { return .hangUp }
            guard case .success(let result, _, _) = reply else { throw FastAGIError.malformed("GET DATA reply") }
            let keys = typed + result
            return keys.isEmpty ? .noInput : .digits(keys)
        }
    }

    enum Said {
        case done
        case key(String)
        case hangUp
    }

    mutating func say(_ utterance: IVRUtterance, _ language: Language, interruptible: Bool) async throws -> Said {
        let escape = interruptible ? Self.escapeDigits : "\"\""
        switch utterance {
        case .prompt(let prompt):
            return try await run("STREAM FILE \(file(prompt, language)) \(escape)")
        case .digits(let digits):
            return try await run("SAY DIGITS \(digits.filter(\.isNumber)) \(escape)")
        case .characters(let text):
            return try await run("SAY ALPHA \(text.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }) \(escape)")
        case .money(let money):
            let yuan = money.amountMinor / 100
            let fen = money.amountMinor % 100
            var parts: [String] = []
            if yuan != 0 || fen == 0 { parts += ["SAY NUMBER \(yuan) \(escape)", "STREAM FILE \(file(.yuan, language)) \(escape)"] }
            if fen != 0 { parts += ["SAY NUMBER \(fen) \(escape)", "STREAM FILE \(file(.fen, language)) \(escape)"] }
            for part in parts {
                let said = try await run(part)
                if case .done = said { continue }
                return said
            }
            return .done
        case .date(let date):
            // Noon UTC of the day, said in UTC: the calendar day whatever the server's zone.
            let seconds = date.dayNumber * 86_400 + 43_200
            return try await run("SAY DATETIME \(seconds) \(escape) \(language == .zh ? "YBd" : "dBY") UTC")
        }
    }

    mutating func run(_ text: String) async throws -> Said {
        let reply = try await command(text)
        if reply.meansHangUp { return .hangUp }
        if case .success(let result, _, _) = reply, let code = Int(result), code > 0, let scalar = Unicode.Scalar(code) {
            return .key(String(Character(scalar)))
        }
        return .done
    }

    func file(_ prompt: IVRPrompt, _ language: Language) -> String { "\(sounds)/\(language.rawValue)/\(prompt.rawValue)" }
}
