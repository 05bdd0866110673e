import Foundation

/// A command texted to the service number (through Kannel's sms-service): `BAL` / `余额` (balance
/// and deadline), `CZ <PIN>` / `充值 <PIN>` (redeem a card onto the sender), `CZ <PIN> <number>`
/// (onto another number), `HELP` / `帮助`. The keyword's script picks the answer's language when
/// the line has no preference.
public enum SMSCommand: Sendable, Hashable {
    case balance(Language)
    case redeem(pin: String, number: String?, Language)
    case help(Language)
    /// Anything else: answered with the help text.
    case unknown

    public static func parse(_ text: String) -> SMSCommand {
        let words = text.trimmingCharacters(in: .whitespacesAndNewlines).split(whereSeparator: { $0.isWhitespace || $0 == "\u{3000}" })
            .map(String.init)
        guard let first = words.first else { return .unknown }
        var keyword = first.uppercased()
        var rest = Array(words.dropFirst())
        // "充值1234…" with no space after the keyword is common on phones.
        for prefix in ["充值", "CZ"] where keyword.hasPrefix(prefix) && keyword.count > prefix.count && rest.count <= 1 {
            let tail = String(keyword.dropFirst(prefix.count))
            if tail.allSatisfy(\.isNumber) {
                rest.insert(tail, at: 0)
                keyword = prefix
            }
        }
        switch (keyword, rest.count) {
        case ("BAL", 0), ("BALANCE", 0): return .balance(.en)
        case ("余额", 0), ("YE", 0), ("CXYE", 0): return .balance(.zh)
        case ("HELP", 0), ("?", 0): return .help(.en)
        case ("帮助", 0), ("BZ", 0): return .help(.zh)
        case ("CZ", 1...2), ("充值", 1...2), ("TOPUP", 1...2):
            let language: Language = keyword == "充值" || keyword == "CZ" ? .zh : .en
            return .redeem(pin: rest[0], number: rest.count == 2 ? rest[1] : nil, language)
        default: return .unknown
        }
    }

    /// What `HELP` answers.
    public static func helpText(_ language: Language) -> String {
        language == .zh
            ? "发送“余额”查询余额和保号截止日；发送“CZ 充值卡密码”为本机充值，“CZ 密码 号码”为其他号码充值。"
            : "Send BAL for balance and deadline; CZ <PIN> to redeem a recharge card for this number, CZ <PIN> <number> for another."
    }
}
