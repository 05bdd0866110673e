import BaohaoDomain
import Foundation

/// A hotline turn as TwiML (Twilio's voice markup; SignalWire's cXML and Telnyx's TeXML read it
/// too): `<Say language="cmn-CN">` (or `en-US`) inside a `<Gather input="dtmf">` whose `action`
/// takes the keys, a `<Pay>` whose `action` takes the connector's result, or `<Hangup/>`.
public enum TwiML {
    /// Where the next request goes: the `Gather` action, the `Pay` action.
    public struct Actions: Sendable {
        public let gather: String
        public let pay: String
        /// Twilio's name of the payment connector (`Default` unless the console names another).
        public let paymentConnector: String

        public init(gather: String, pay: String, paymentConnector: String) {
            self.gather = gather
            self.pay = pay
            self.paymentConnector = paymentConnector
        }
    }

    public static func render(_ turn: IVRTurn, actions: Actions) -> String {
        let say = sayElement(turn)
        var body = ""
        switch turn.next {
        case .gather(let maxDigits, let hashEnds, let timeoutSeconds):
            body =
                "<Gather input=\"dtmf\" numDigits=\"\(maxDigits)\" finishOnKey=\"\(hashEnds ? "#" : "")\" timeout=\"\(timeoutSeconds)\""
                + " action=\"\(escape(actions.gather))\" method=\"POST\" actionOnEmptyResult=\"true\">\(say)</Gather>"
        case .pay(_, let total, let description):
            body =
                say + "<Pay paymentConnector=\"\(escape(actions.paymentConnector))\" chargeAmount=\"\(total.decimalString)\""
                + " currency=\"\(total.currency.code.lowercased())\" description=\"\(escape(description))\""
                + " timeout=\"\(IVRDialog.timeoutSeconds)\" maxAttempts=\"3\""
                + (turn.language == .en ? " language=\"en-US\"" : "")
                + " action=\"\(escape(actions.pay))\" method=\"POST\"/>"
        case .hangUp:
            body = say + "<Hangup/>"
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>\(body)</Response>"
    }

    static func sayElement(_ turn: IVRTurn) -> String {
        guard !turn.utterances.isEmpty else { return "" }
        let separator = turn.language == .zh ? "" : " "
        let text = turn.utterances.map { $0.text(turn.language) }.joined(separator: separator)
        let (language, voice) = turn.language == .zh ? ("cmn-CN", "Polly.Zhiyu") : ("en-US", "Polly.Joanna")
        return "<Say language=\"\(language)\" voice=\"\(voice)\">\(escape(text))</Say>"
    }

    /// XML text and attribute escaping.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}
