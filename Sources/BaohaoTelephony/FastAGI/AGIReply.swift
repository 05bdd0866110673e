/// One line Asterisk sends back to a FastAGI command, as res_agi.c writes it:
/// - `200 result=<value> [(<data>)] [endpos=<n>]`: done; `result=-1` is a failure or a hang-up,
///   `(timeout)` says the wait for keys ended on the timeout, `(hangup)` that the caller hung up;
/// - `100 result=0 Trying...`: an intermediate line, a `200` follows;
/// - `510 Invalid or unknown command`, `511 Command Not Permitted on a dead channel…`;
/// - `520-Invalid command syntax.  Proper usage follows:` … `520 End of proper usage.`;
/// - a bare `HANGUP`: the channel hung up (sent at any time; every command after it gets `511`).
public enum AGIReply: Sendable, Hashable {
    /// `200`: the command ran. `result` is its value (GET DATA's digits, STREAM FILE's key as an
    /// ASCII code or `0`), `data` the parenthesised word, `endpos` where playback stopped.
    case success(result: String, data: String?, endpos: Int?)
    /// `100`: intermediate; read the next line.
    case trying
    /// A bare `HANGUP` line.
    case hangUpNotice
    /// `510`: the command is not known.
    case invalidCommand
    /// `511`: the channel is dead (hung up).
    case deadChannel
    /// `520-…`: a usage text follows, ending with `520 End of proper usage.`
    case usageStart
    /// `520 …`: the end of a usage text (or a one-line usage error).
    case usageEnd
    /// Any other code.
    case other(code: Int, text: String)

    /// Reads one line (without its newline); `nil` if it is not an AGI reply at all.
    public init?(line raw: Substring) {
        var line = raw
        if line.hasSuffix("\r") { line = line.dropLast() }
        if line == "HANGUP" {
            self = .hangUpNotice
            return
        }
        let digits = line.prefix(while: { $0.isASCII && $0.isNumber })
        guard digits.count == 3, let code = Int(digits) else { return nil }
        let separator = line.dropFirst(3).first
        let rest = line.dropFirst(4)
        switch code {
        case 200:
            guard separator == " " else { return nil }
            self = Self.parseSuccess(rest) ?? .other(code: 200, text: String(rest))
        case 100: self = .trying
        case 510: self = .invalidCommand
        case 511: self = .deadChannel
        case 520: self = separator == "-" ? .usageStart : .usageEnd
        default: self = .other(code: code, text: String(rest))
        }
    }

    /// `result=<value> [(<data>)] [endpos=<n>]`; the value runs to the next space.
    static func parseSuccess(_ text: Substring) -> AGIReply? {
        guard text.hasPrefix("result=") else { return nil }
        var rest = text.dropFirst("result=".count)
        let value = rest.prefix(while: { $0 != " " })
        rest = rest.dropFirst(value.count).drop(while: { $0 == " " })
        var data: String? = nil
        if rest.hasPrefix("("), let close = rest.firstIndex(of: ")") {
            data = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...].drop(while: { $0 == " " })
        }
        var endpos: Int? = nil
        if rest.hasPrefix("endpos=") { endpos = Int(rest.dropFirst("endpos=".count).prefix(while: { $0.isNumber })) }
        return .success(result: String(value), data: data, endpos: endpos)
    }

    /// Whether the caller is gone: `result=-1`, `(hangup)`, `511` or a `HANGUP` line.
    public var meansHangUp: Bool {
        switch self {
        case .success(let result, let data, _): return result == "-1" || data == "hangup"
        case .hangUpNotice, .deadChannel: return true
        default: return false
        }
    }
}
