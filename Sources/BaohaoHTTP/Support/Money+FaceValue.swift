import BaohaoDomain

extension Money {
    /// A face value as operators write it: `10元` in Chinese, `¥10` in English; fen only when
    /// there are any (`10.50元`). Prices and balances keep ``Money/formatted`` (`¥10.00`).
    func faceValue(_ language: Language) -> String {
        let text = amountMinor % 100 == 0 ? String(amountMinor / 100) : decimalString
        guard currency == .cny else { return amountMinor % 100 == 0 ? currency.symbol + text : formatted }
        return language == .zh ? text + "元" : currency.symbol + text
    }
}
