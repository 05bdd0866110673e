/// Every recorded phrase the hotline speaks, by name, with its Chinese and English text. TwiML says
/// the text; for Asterisk `baohao ivr prompts` synthesizes one sound file a name and language
/// (`zh/welcome.wav`), which an operator may replace with studio recordings of the same text.
public enum IVRPrompt: String, Sendable, Codable, CaseIterable {
    case welcome
    case mainMenu = "main_menu"
    case languageChosen = "language_chosen"
    case callerNotALine = "caller_not_a_line"
    case rechargingOwnNumber = "recharging_own_number"
    case enterNumber = "enter_number"
    case numberInvalid = "number_invalid"
    case numberUnknown = "number_unknown"
    case numberNotRechargeable = "number_not_rechargeable"
    case youEntered = "you_entered"
    case confirmOrReenter = "confirm_or_reenter"
    case enterAmount = "enter_amount"
    case amountRange = "amount_range"
    case to
    case amountOutOfRange = "amount_out_of_range"
    case amountIs = "amount_is"
    case feeIs = "fee_is"
    case totalIs = "total_is"
    /// A promotion's bonus, read back after the total.
    case bonusIs = "bonus_is"
    case yuan
    case fen
    case choosePayment = "choose_payment"
    /// A recharge card's PIN, at the payment step.
    case enterVoucherPIN = "enter_voucher_pin"
    case voucherRefused = "voucher_refused"
    case enterCardNumber = "enter_card_number"
    case cardNumberInvalid = "card_number_invalid"
    case enterExpiry = "enter_expiry"
    case expiryInvalid = "expiry_invalid"
    case enterSecurityCode = "enter_security_code"
    case securityCodeInvalid = "security_code_invalid"
    case payByCard = "pay_by_card"
    case pleaseWait = "please_wait"
    case rechargeSucceeded = "recharge_succeeded"
    case receiptEndsWith = "receipt_ends_with"
    case declined
    case declinedInsufficientFunds = "declined_insufficient_funds"
    case declinedExpiredCard = "declined_expired_card"
    case declinedInvalidCard = "declined_invalid_card"
    case tryAgainOrMenu = "try_again_or_menu"
    case paymentPending = "payment_pending"
    case alreadyCharged = "already_charged"
    case balanceIs = "balance_is"
    case deadlineIs = "deadline_is"
    case noDeadline = "no_deadline"
    case year
    case month
    case day
    case serviceUnavailable = "service_unavailable"
    case invalidChoice = "invalid_choice"
    case noInput = "no_input"
    case goodbye

    /// What the prompt says in `language`.
    public func text(_ language: Language) -> String {
        let (zh, en) = Self.table[self]!
        return language == .zh ? zh : en
    }

    /// The table: one line a prompt, Chinese then English.
    static let table: [IVRPrompt: (String, String)] = [
        .welcome: ("您好，欢迎致电保号自助服务热线。", "Welcome to the Baohao self-service hotline."),
        .mainMenu: (
            "为本机号码充值请按1，为其他号码充值请按2，查询余额和保号期限请按3，For English, press 0，结束通话请按9。",
            "To recharge the number you are calling from, press 1. To recharge another number, press 2. "
                + "To hear your balance and deadline, press 3. 中文服务请按0。 To end the call, press 9."
        ),
        .languageChosen: ("已切换到中文服务。", "You have chosen English."),
        .callerNotALine: (
            "您的来电号码不是我们的号码，或未显示号码。", "The number you are calling from is not one of our lines, or it is withheld."
        ),
        .rechargingOwnNumber: ("为本机号码充值。", "Recharging the number you are calling from."),
        .enterNumber: ("请输入要充值的手机号码，以井号键结束。", "Please key in the mobile number to recharge, then press hash."),
        .numberInvalid: ("号码格式不正确。", "That number is not valid."),
        .numberUnknown: ("该号码不是我们的号码。", "That number is not one of our lines."),
        .numberNotRechargeable: ("该号码目前无法充值。", "That number cannot be recharged now."),
        .youEntered: ("您输入的号码是", "You entered"),
        .confirmOrReenter: ("确认请按1，重新输入请按2。", "To confirm, press 1. To key it in again, press 2."),
        .enterAmount: ("请输入充值金额，以元为单位，以井号键结束。", "Please key in the amount in whole yuan, then press hash."),
        .amountRange: ("充值金额范围为", "The amount must be from"),
        .to: ("至", "to"),
        .amountOutOfRange: ("金额不在可充值范围内。", "That amount is not accepted."),
        .amountIs: ("充值金额", "Amount"),
        .feeIs: ("手续费", "handling fee"),
        .totalIs: ("合计支付", "total to pay"),
        .bonusIs: ("活动赠送", "promotion bonus"),
        .yuan: ("元", "yuan"),
        .fen: ("分", "fen"),
        .choosePayment: (
            "银行卡支付请按1，使用充值卡请按2。", "To pay by bank card, press 1. To use a recharge card, press 2."
        ),
        .enterVoucherPIN: (
            "请输入充值卡密码，以井号键结束。充值金额以卡面值为准。", "Please key in the recharge card's PIN, then press hash. The card's face value is credited."
        ),
        .voucherRefused: ("该充值卡密码无法使用。", "That card's PIN cannot be redeemed."),
        .enterCardNumber: ("请输入银行卡号，以井号键结束。", "Please key in your card number, then press hash."),
        .cardNumberInvalid: ("卡号不正确。", "That card number is not valid."),
        .enterExpiry: ("请输入卡片有效期，月份两位、年份两位。", "Please key in the card's expiry date: two digits for the month, two for the year."),
        .expiryInvalid: ("有效期不正确。", "That expiry date is not valid."),
        .enterSecurityCode: (
            "请输入卡背面的三位安全码，以井号键结束。", "Please key in the security code on the back of the card, then press hash."
        ),
        .securityCodeInvalid: ("安全码不正确。", "That security code is not valid."),
        .payByCard: ("请按提示输入银行卡信息。", "Please follow the prompts to enter your card."),
        .pleaseWait: ("正在处理，请稍候。", "Processing, please wait."),
        .rechargeSucceeded: ("充值成功，已到账", "Recharge successful. Credited"),
        .receiptEndsWith: ("收据编号末六位是", "The receipt number ends with"),
        .declined: ("支付未成功，银行卡被拒绝。", "The payment did not go through: the card was declined."),
        .declinedInsufficientFunds: ("支付未成功，余额不足。", "The payment did not go through: insufficient funds."),
        .declinedExpiredCard: ("支付未成功，卡片已过期。", "The payment did not go through: the card has expired."),
        .declinedInvalidCard: ("支付未成功，卡片信息有误。", "The payment did not go through: the card details are not valid."),
        .tryAgainOrMenu: ("重新支付请按1，返回主菜单请按2。", "To try again, press 1. To go back to the main menu, press 2."),
        .paymentPending: (
            "支付结果正在确认，请稍后拨打本热线按3查询。", "The payment is being confirmed. Please call again later and press 3 to check."
        ),
        .alreadyCharged: ("本次通话已完成一笔充值。", "This call has already made a recharge."),
        .balanceIs: ("您的余额是", "Your balance is"),
        .deadlineIs: ("保号期限至", "Keep the number by recharging before"),
        .noDeadline: ("您的号码目前没有保号期限。", "Your number has no deadline now."),
        .year: ("年", "year"),
        .month: ("月", "month"),
        .day: ("日", "day"),
        .serviceUnavailable: ("抱歉，暂时无法办理充值。", "Sorry, recharges are not available now."),
        .invalidChoice: ("输入有误。", "That key is not a choice."),
        .noInput: ("没有收到您的输入。", "We did not hear a key."),
        .goodbye: ("感谢您的来电，再见。", "Thank you for calling. Goodbye."),
    ]
}
