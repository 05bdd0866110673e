/// A way money reaches Baohao. Each has its own rules (``ChannelPolicy``).
public enum Channel: String, Sendable, Codable, CaseIterable {
    /// 线上充值: website and app, no login needed.
    case online
    /// 营业厅: a clerk at a business hall.
    case counter
    /// 自助服务热线: the IVR self-service hotline.
    case ivr
    /// 第三方平台: partner and reseller platforms.
    case partner
    /// 充值卡: a recharge card's PIN redeemed (web, portal, SMS, USSD).
    case voucher
}

/// How the payer pays. `sandbox` is the built-in test provider.
public enum PaymentMethod: String, Sendable, Codable, CaseIterable {
    case sandbox
    case alipay
    case wechatPay = "wechat_pay"
    case unionPay = "unionpay"
    case card
    /// Cash at a counter.
    case cash
    /// A bank card on the counter's POS terminal (card present).
    case cardPresent = "card_present"
    /// A partner platform's prefunded float (第三方平台).
    case partnerFloat = "partner_float"
    /// A recharge card (充值卡), paid for when it was sold.
    case voucher

    /// The methods a payer uses at a provider, away from any counter.
    public static let online: [PaymentMethod] = [.sandbox, .alipay, .wechatPay, .unionPay, .card]

    public func displayName(_ language: Language) -> String {
        switch (self, language) {
        case (.sandbox, .zh): return "沙箱支付（测试）"
        case (.sandbox, .en): return "Sandbox (test)"
        case (.alipay, .zh): return "支付宝"
        case (.alipay, .en): return "Alipay"
        case (.wechatPay, .zh): return "微信支付"
        case (.wechatPay, .en): return "WeChat Pay"
        case (.unionPay, .zh): return "银联"
        case (.unionPay, .en): return "UnionPay"
        case (.card, .zh): return "银行卡"
        case (.card, .en): return "Bank card"
        case (.cash, .zh): return "现金"
        case (.cash, .en): return "Cash"
        case (.cardPresent, .zh): return "银行卡（刷卡）"
        case (.cardPresent, .en): return "Bank card (POS)"
        case (.partnerFloat, .zh): return "第三方平台"
        case (.partnerFloat, .en): return "Partner platform"
        case (.voucher, .zh): return "充值卡"
        case (.voucher, .en): return "Recharge card"
        }
    }
}
