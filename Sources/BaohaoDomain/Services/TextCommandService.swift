import Foundation

/// Answers text commands sent to the service number (SMS through Kannel, see ``SMSCommand``):
/// balance, redeeming a recharge card onto the sender or another number, help. A gateway's retry
/// of the same message (same id) gets the first answer, and redeems nothing twice.
public struct TextCommandService: Sendable {
    /// The ports this service uses, and no others.
    let store: Transactions<any InboundMessageRows & RetentionRows & LineRows & PlanRows>
    let reminders: ReminderService
    let vouchers: VoucherService
    let retention: PolicyBook
    let clock: any WallClock

    public init(
        store: any RechargeStore, reminders: ReminderService, vouchers: VoucherService, retention: PolicyBook = .shippedBook,
        clock: any WallClock
    ) {
        self.store = Transactions(store) { $0 }
        self.reminders = reminders
        self.vouchers = vouchers
        self.retention = retention
        self.clock = clock
    }

    /// The answer to `text` from `sender`; `messageID` is the gateway's id of the message, if it gives one.
    public func reply(from sender: String, text: String, messageID: String?) async throws -> String {
        guard let id = messageID.flatMap({ $0.isEmpty ? nil : String($0.prefix(128)) }) else {
            return try await handle(from: sender, text: text)
        }
        return try await answerOnce(key: id, at: clock.now()) { try await handle(from: sender, text: text) }
    }

    /// The answer kept under `key`, or else `compute`'s, kept: a gateway's retry of one message or
    /// callback gets the first answer and acts once. When two copies are handled at the same
    /// moment, both give the answer recorded first.
    func answerOnce(key: String, at now: Date, _ compute: () async throws -> String) async throws -> String {
        if let earlier = try await store.read({ try await $0.inboundMessage(messageID: key) }) { return earlier.reply }
        let answer = try await compute()
        if try await store.write({ try await $0.recordInbound(messageID: key, reply: answer, at: now) }) { return answer }
        return try await store.read { try await $0.inboundMessage(messageID: key) }?.reply ?? answer
    }

    func handle(from sender: String, text: String) async throws -> String {
        switch SMSCommand.parse(text) {
        case .balance:
            return try await reminders.balanceReply(from: sender, text: text) ?? SMSCommand.helpText(.zh)
        case .help(let language):
            return SMSCommand.helpText(language)
        case .unknown:
            return SMSCommand.helpText(.zh) + " " + SMSCommand.helpText(.en)
        case .redeem(let pin, let number, let keywordLanguage):
            return try await redeemReply(pin: pin, onto: number ?? sender, address: "sms:\(sender)", language: keywordLanguage)
        }
    }

    /// What a redemption answers, in the line's reminder language (else `language`): the amount,
    /// the balance, the new deadline and the receipt number; or why not.
    func redeemReply(pin: String, onto target: String, address: String, language fallback: Language) async throws -> String {
        let language = try await preferredLanguage(of: target) ?? fallback
        let zh = language == .zh
        do {
            let redeemed = try await vouchers.redeem(msisdn: target, pin: pin, address: address)
            let line = redeemed.line
            let plan = try await store.read { try await $0.plan(code: line.planCode) }
            let deadline = retention.assess(line, plan: plan, at: clock.now()).deadline
            let receipt = redeemed.receipt
            if zh {
                return "充值成功：\(receipt.faceValue.formatted) 已到账 \(line.msisdn.masked)"
                    + (receipt.bonus.amountMinor > 0 ? "（另赠 \(receipt.bonus.formatted)）" : "")
                    + "，余额 \(line.balance.formatted)" + (deadline.map { "，保号截止 \($0.iso)" } ?? "") + "，凭证号 \(receipt.number)。"
            }
            return "Recharged \(receipt.faceValue.formatted) to \(line.msisdn.masked)"
                + (receipt.bonus.amountMinor > 0 ? " (+\(receipt.bonus.formatted) bonus)" : "")
                + "; balance \(line.balance.formatted)" + (deadline.map { "; deadline \($0.iso)" } ?? "") + "; receipt \(receipt.number)."
        } catch let error as DomainError {
            switch error {
            case .voucherRefused:
                return zh ? "充值失败：该充值卡密码无法使用，请核对后重试。" : "Not recharged: this PIN cannot be redeemed. Check it and try again."
            case .voucherThrottled(let seconds):
                let minutes = max((seconds + 59) / 60, 1)
                return zh ? "尝试次数过多，请 \(minutes) 分钟后再试。" : "Too many attempts; try again in \(minutes) min."
            case .invalidNumber, .lineNotFound:
                return zh
                    ? "充值失败：号码 \(target.prefix(20)) 不是可充值的号码。" : "Not recharged: \(target.prefix(20)) is not a number we can recharge."
            case .lineNotRechargeable:
                return zh ? "充值失败：该号码目前无法充值。" : "Not recharged: this number cannot be recharged now."
            default:
                return zh ? "暂时无法充值，请稍后再试。" : "Recharges are unavailable now; try again later."
            }
        }
    }

    /// The cheapest action that keeps `number` alive, and by when, in both languages.
    func keepAliveTip(for number: String) async throws -> String {
        guard let msisdn = try? MSISDN(parsing: number),
            let (line, plan) = try await store.read({ try await $0.lineWithPlan(msisdn: msisdn) })
        else {
            return "未找到该号码的在网线路。\nNo line in service for this number."
        }
        let assessment = retention.assess(line, plan: plan, at: clock.now())
        let deadline = assessment.deadline.map { " \($0.iso)" } ?? ""
        return "\(assessment.action.text(.zh))\(deadline.isEmpty ? "" : "（截止\(deadline)）")\n\(assessment.action.text(.en))"
    }

    /// The reminder language the line's owner chose, if the number is a line with preferences.
    func preferredLanguage(of number: String) async throws -> Language? {
        guard let msisdn = try? MSISDN(parsing: number) else { return nil }
        return try await store.read { session in
            guard let line = try await session.line(msisdn: msisdn) else { return nil }
            return try await session.contactPreferences(lineIDs: [line.id])[line.id]?.language
        }
    }
}
