import Foundation

/// The USSD menu, as a pure function of what the caller typed so far (Africa's Talking joins a
/// session's inputs with `*`): which screen to show, or what to do.
///
/// - first screen: 1 balance and deadline, 2 redeem a card for this number, 3 for another number,
///   4 the cheapest action that keeps this number alive;
/// - `*100*<PIN>#`: a PIN as the very first input redeems at once for this number.
public enum USSDMenu {
    public enum Step: Sendable, Hashable {
        case menu
        case askPIN
        case askNumber
        case askPINForOther(number: String)
        case balance
        case keepAlive
        case redeem(pin: String, number: String?)
        case invalid
    }

    /// Most characters in one answer (Africa's Talking's limit).
    public static let maximumLength = 182

    public static func step(_ text: String) -> Step {
        let inputs = text.isEmpty ? [] : text.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        switch inputs.count {
        case 0: return .menu
        case 1:
            let first = inputs[0]
            if first.count >= 10, first.allSatisfy(\.isNumber) { return .redeem(pin: first, number: nil) }
            switch first {
            case "1": return .balance
            case "2": return .askPIN
            case "3": return .askNumber
            case "4": return .keepAlive
            default: return .invalid
            }
        case 2:
            switch inputs[0] {
            case "2": return .redeem(pin: inputs[1], number: nil)
            case "3": return .askPINForOther(number: inputs[1])
            default: return .invalid
            }
        case 3 where inputs[0] == "3": return .redeem(pin: inputs[2], number: inputs[1])
        default: return .invalid
        }
    }

    public static let menuText = "保号 Baohao\n1 余额 Balance\n2 充值卡充值 Redeem card\n3 为他人充值 For another number\n4 保号建议 Keep-alive tip"
    public static let pinPrompt = "请输入充值卡密码\nEnter the card PIN"
    public static let numberPrompt = "请输入要充值的号码\nEnter the number to recharge"
    public static let invalidText = "输入无效，请重新拨打。\nInvalid choice; please dial again."
    public static let timedOutText = "会话已超时，请重新拨打。\nSession timed out; please dial again."
}
