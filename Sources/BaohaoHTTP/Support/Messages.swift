import BaohaoDomain

/// User-facing text, Simplified Chinese first, English available.
enum Messages {
    static let problemTitles: [String: (zh: String, en: String)] = [
        "validation-error": ("请求内容无效", "The request is invalid"),
        "invalid-msisdn": ("号码无效", "The phone number is invalid"),
        "line-not-found": ("号码不存在或未开通", "No line in service with this number"),
        "malformed-request": ("请求格式错误", "The request could not be parsed"),
        "voucher-refused": ("该充值卡密码无法使用，请核对后重试", "This card's PIN cannot be redeemed; check it and try again"),
        "too-many-attempts": ("尝试次数过多，请稍后再试", "Too many attempts; try again later"),
        "voucher-key-missing": ("充值卡服务暂不可用", "Recharge cards are unavailable now"),
        "voucher-not-found": ("没有这张充值卡或这个批次", "No such card or batch"),
        "promotion-exists": ("该活动代码已存在", "A promotion with this code exists"),
        "promotion-not-found": ("活动不存在", "No such promotion"),
        "line-exists": ("该号码已有在网线路", "This number already has a line in service"),
        "line-not-rechargeable": ("该号码当前不能充值", "This line cannot be recharged now"),
        "plan-not-found": ("套餐不存在", "No such plan"),
        "plan-exists": ("套餐代码已存在", "A plan with this code exists"),
        "order-not-found": ("订单不存在", "No such order"),
        "order-not-cancellable": ("订单当前不能取消", "This order can no longer be cancelled"),
        "receipt-not-found": ("凭证不存在", "No such receipt"),
        "idempotency-key-reused": ("幂等键已用于另一笔请求", "This Idempotency-Key was used for a different request"),
        "idempotency-key-missing": ("缺少 Idempotency-Key 请求头", "The Idempotency-Key header is required"),
        "payment-method-unavailable": ("该支付方式不可用", "This payment method is not available"),
        "policy-not-found": ("保号规则不存在", "No such retention policy"),
        "policy-mismatch": ("套餐与保号规则不一致", "The plan does not match its retention policy"),
        "number-quarantined": ("该号码已回收，冷却期内不能再分配", "This number was reclaimed and is in quarantine"),
        "staff-not-found": ("工作人员不存在", "No such member of staff"),
        "channel-not-found": ("渠道不存在", "No such channel"),
        "channel-policy-version-conflict": ("渠道规则已被他人修改，请刷新后重试", "The channel's rules were changed meanwhile; reload and retry"),
        "import-rejected": ("导入被拒绝，未导入任何数据", "Import rejected; nothing was imported"),
        "malformed-json": ("JSON 格式错误", "The body is not valid JSON of the expected shape"),
        "unsupported-media-type": ("不支持的内容类型", "Unsupported content type"),
        "body-too-large": ("请求体过大", "The request body is too large"),
        "unauthorized": ("未授权", "Unauthorized"),
        "forbidden": ("无权进行此操作", "Not allowed for this role"),
        "bad-signature": ("签名无效", "The request signature is not valid"),
        "invalid-credentials": ("用户名或密码错误", "Wrong username or password"),
        "account-locked": ("密码错误次数过多，账户已暂时锁定", "Too many wrong passwords: the account is locked for now"),
        "not-found": ("页面不存在", "Not found"),
        "method-not-allowed": ("不支持的请求方法", "Method not allowed"),
        "notification-rejected": ("支付通知被拒绝", "The payment notification was rejected"),
        "unknown-provider": ("未知的支付渠道", "Unknown payment provider"),
        "provider-unavailable": (
            "支付渠道暂时无法下单，请稍后重试或换一种支付方式", "The payment provider could not start the payment; try again or choose another method"
        ),
        "statement-rejected": ("对账单格式错误，未做任何对账", "The statement was rejected; nothing was compared"),
        "outlet-exists": ("营业厅代码已存在", "An outlet with this code exists"),
        "partner-exists": ("合作方代码已存在", "A partner with this code exists"),
        "partner-not-found": ("合作方不存在", "No such partner"),
        "partner-disabled": ("合作方已停用", "This partner is disabled"),
        "reference_reused": ("该业务流水号已用于另一笔请求", "This reference was used for another request"),
        "insufficient_float": ("预存款余额不足", "Not enough float for this top-up"),
        "topup-not-found": ("充值记录不存在", "No top-up with this reference"),
        "callback-not-found": ("回调记录不存在", "No such callback"),
        "refund-not-found": ("退款记录不存在", "No such refund"),
        "refund-needs-another-approver": ("申请人不能审批自己的退款，请由另一位管理员审批", "Another administrator must decide a refund you requested"),
        "refund-already-decided": ("该退款已审批过", "This refund was decided already"),
        "refund-exceeds-paid": ("退款金额超过可退金额", "More than is left to refund"),
        "refund-not-covered": ("号码余额已不足以退款", "The line's balance no longer covers this refund"),
        "refund-not-allowed": ("该订单当前状态不能退款", "This order cannot be refunded in its state"),
        "rate-limited": ("请求过于频繁，请稍后再试", "Too many requests; try again shortly"),
        "outlet-not-found": ("营业厅不存在", "No such outlet"),
        "shift-already-open": ("您已有一个未交班的班次", "You already have an open shift"),
        "shift-not-found": ("班次不存在", "No such shift"),
        "shift-closed": ("班次已交班，不能再收款或撤销", "The shift is closed: no more sales or voids"),
        "no-open-shift": ("请先开班", "Open a shift first"),
        "id-check-unavailable": ("实名核验暂不可用（服务器未配置证件号密钥）", "ID checks are unavailable (no ID hash key configured)"),
        "sale-not-found": ("没有这笔收款，或不是您本人的收款", "No such sale of yours"),
        "void-not-covered": ("号码余额已不足以撤销这笔充值，请走退款流程", "The balance no longer covers this sale; use a refund"),
        "payment-declined": ("付款码支付未成功，未扣款", "The payment code was declined; nothing was taken"),
        "shift-has-pending-payments": ("还有付款码收款在等待顾客确认，请稍后再交班", "Payment-code sales still wait for the payer; close later"),
        "too-many-requests": ("请求过于频繁，请稍后再试", "Too many requests; try again later"),
        "too-many-pending-orders": (
            "该号码已有多笔待支付订单，请先完成支付或稍后再试", "This number already has unpaid orders waiting; pay one or try again later"
        ),
        "busy": ("服务器繁忙，请稍后再试", "The server is busy; try again shortly"),
        "service-unavailable": ("服务暂不可用", "Service unavailable"),
        "internal-error": ("服务器内部错误", "Internal server error"),
    ]

    static func problemTitle(_ code: String, _ language: Language) -> String {
        guard let title = problemTitles[code] else { return language == .zh ? "请求失败" : "Request failed" }
        return language == .zh ? title.zh : title.en
    }

    /// Why a line changed stage, in the reader's language (the console shows no codes).
    static func stageReason(_ code: String, _ language: Language) -> String {
        let names: [String: (String, String)] = [
            "arrears": ("欠费", "Arrears"), "inactivity": ("长期未使用", "No use"), "validity": ("有效期届满", "Validity ran out"),
            "minimum_balance": ("余额低于保底", "Below the minimum balance"), "recharge": ("充值恢复", "Restored by a recharge"),
            "restored": ("已恢复", "Restored"), "activity": ("使用恢复", "Restored by use"), "manual": ("人工调整", "Set by staff"),
        ]
        guard let name = names[code] else { return code }
        return language == .zh ? name.0 : name.1
    }

    /// Why money moved, in the reader's language (the console's ledger shows no codes).
    static func transferKind(_ kind: TransferKind, _ language: Language) -> String {
        let names: (zh: String, en: String) =
            switch kind {
            case .recharge: ("充值", "Recharge")
            case .openingBalance: ("开户余额", "Opening balance")
            case .monthlyFee: ("月租", "Monthly fee")
            case .extensionCharge: ("保号延期扣费", "Validity extension")
            case .void: ("撤销", "Void")
            case .partnerDeposit: ("合作方预存", "Partner deposit")
            case .floatHold: ("预存款冻结", "Float hold")
            case .floatRelease: ("预存款解冻", "Float release")
            case .suspense: ("待处理款项", "Suspense")
            case .refund: ("退款", "Refund")
            case .refundPayout: ("退款付出", "Refund paid out")
            case .refundCancel: ("退款撤回", "Refund cancelled")
            case .bonus: ("赠送", "Bonus")
            case .bonusClawback: ("赠送扣回", "Bonus taken back")
            case .voucherActivation: ("充值卡激活", "Card activation")
            }
        return language == .zh ? names.zh : names.en
    }

    static func orderStatus(_ status: OrderStatus, _ language: Language) -> String {
        switch (status, language) {
        case (.pendingPayment, .zh): return "待支付"
        case (.pendingPayment, .en): return "Awaiting payment"
        case (.paid, .zh): return "已支付，待到账"
        case (.paid, .en): return "Paid, not yet credited"
        case (.credited, .zh): return "已到账"
        case (.credited, .en): return "Credited"
        case (.failed, .zh): return "支付失败"
        case (.failed, .en): return "Payment failed"
        case (.expired, .zh): return "已过期"
        case (.expired, .en): return "Expired"
        case (.cancelled, .zh): return "已取消"
        case (.cancelled, .en): return "Cancelled"
        case (.voided, .zh): return "已撤销"
        case (.voided, .en): return "Voided"
        case (.partiallyRefunded, .zh): return "已部分退款"
        case (.partiallyRefunded, .en): return "Partly refunded"
        case (.refunded, .zh): return "已退款"
        case (.refunded, .en): return "Refunded"
        }
    }

    /// The page style of a refund's state: paid back, ended without money back, or under way.
    static func refundStatusClass(_ status: RefundStatus) -> String {
        switch status {
        case .succeeded: return "ok"
        case .failed, .rejected: return "bad"
        case .requested, .processing: return "wait"
        }
    }

    /// A refund's state as people read it: a counter sale's approved refund waits for a counter.
    static func refundStatus(of refund: Refund, _ language: Language) -> String {
        guard refund.status == .processing, refund.paidAtCounter else { return refundStatus(refund.status, language) }
        return language == .zh ? "待到营业厅领取退款" : "To be paid back at a counter"
    }

    static func refundStatus(_ status: RefundStatus, _ language: Language) -> String {
        switch (status, language) {
        case (.requested, .zh): return "待审批"
        case (.requested, .en): return "Awaiting approval"
        case (.rejected, .zh): return "已驳回"
        case (.rejected, .en): return "Rejected"
        case (.processing, .zh): return "退款中"
        case (.processing, .en): return "Being refunded"
        case (.succeeded, .zh): return "已退款"
        case (.succeeded, .en): return "Refunded"
        case (.failed, .zh): return "退款失败"
        case (.failed, .en): return "Refund failed"
        }
    }
}
