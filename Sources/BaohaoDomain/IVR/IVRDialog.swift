import Foundation

/// The hotline's dialog (自助服务热线): one state machine for every telephony front end. It turns
/// the caller's keys into the next thing to say and ask, and its effects (look up a number, open
/// an order, charge a card) into calls on ``IVRActions``.
///
/// The pinned menu: `1` recharge the calling number, `2` another number, `3` balance and deadline,
/// `0` English (or back to Chinese), `9` end. A number is read back digit by digit and confirmed
/// (`1`) or keyed again (`2`); an amount in whole yuan is read back with its handling fee and
/// total and confirmed the same way; then the card is keyed in (number `#`, expiry `MMYY`,
/// security code `#`) or taken by the voice platform's connector. `*` goes back one step. Every
/// question allows three tries (no key, or a wrong one), then says goodbye and hangs up.
///
/// The dialog is `Codable` so a stateless front end (TwiML webhooks) keeps it between requests;
/// keyed-in card data is held only in memory for the charge and is never part of the encoding.
public struct IVRDialog: Sendable, Hashable, Codable {
    /// How the card is taken.
    public enum CardCapture: String, Sendable, Hashable, Codable {
        /// Keyed in on the keypad and read by our front end (Asterisk).
        case keypad
        /// Taken by the voice platform's payment connector (TwiML `<Pay>`).
        case connector
    }

    /// The number being recharged.
    public struct Target: Sendable, Hashable, Codable {
        public let number: String
        /// The calling number (menu `1`).
        public let own: Bool
    }

    /// Where the call stands.
    public enum State: Sendable, Hashable, Codable {
        case menu
        case numberEntry
        case numberConfirm(String)
        case amountEntry(Target)
        case amountConfirm(Target, Quote)
        case paymentChoice(Target, Quote)
        case cardNumber(Target, Quote, orderID: String)
        case cardExpiry(Target, Quote, orderID: String)
        case cardCode(Target, Quote, orderID: String)
        case connectorPayment(Target, Quote, orderID: String)
        /// A recharge card's PIN (充值卡, menu `2` at the payment step): its face value is credited.
        case voucherPIN(Target, Quote)
        case declined(Target, Quote)
        case ended
    }

    public private(set) var state: State = .menu
    public private(set) var language: Language
    public let cardCapture: CardCapture
    /// Failed tries (no key, a wrong key) at the current question.
    public private(set) var failures = 0
    /// Orders opened in this call, to key each one.
    public private(set) var ordersOpened = 0
    /// Declined charges in this call.
    public private(set) var declines = 0
    /// Every step reached, in order, each once.
    public private(set) var steps: [IVRStep] = []
    public private(set) var outcome: IVRCallOutcome = .inProgress
    /// The last order opened.
    public private(set) var orderID: String?
    /// Keyed-in card digits, held only until the charge. Not encoded.
    var card = CardEntry()

    /// Tries a question allows.
    public static let maximumTries = 3
    /// Declines before the call ends.
    public static let maximumDeclines = 2
    /// Orders a call may open (each payment try opens one).
    public static let maximumOrders = 5
    /// Seconds of silence that end a wait for keys.
    public static let timeoutSeconds = 5

    enum CodingKeys: String, CodingKey {
        case state, language, cardCapture, failures, ordersOpened, declines, steps, outcome, orderID
    }

    /// A new call: greeting and main menu.
    public static func start(language: Language = .zh, cardCapture: CardCapture) -> (IVRDialog, IVRTurn) {
        var dialog = IVRDialog(language: language, cardCapture: cardCapture)
        dialog.reach(.menu)
        return (dialog, dialog.turn([.prompt(.welcome)] + dialog.menuQuestion, gather: .menu))
    }

    /// The same call again after its front end reconnected (Asterisk ran the AGI anew): an order
    /// left unpaid is cancelled and the caller is back at the main menu, with the call's payment
    /// tries still counted; a call already over (or paid) says so and ends.
    public mutating func resume(actions: any IVRActions) async -> IVRTurn {
        await abandonUnpaidOrder(actions: actions)
        failures = 0
        if outcome == .recharged { return end([.prompt(.alreadyCharged), .prompt(.goodbye)]) }
        if isEnded { return end([.prompt(.goodbye)]) }
        state = .menu
        reach(.menu)
        return turn([.prompt(.welcome)] + menuQuestion, gather: .menu)
    }

    init(language: Language, cardCapture: CardCapture) {
        self.language = language
        self.cardCapture = cardCapture
    }

    /// Whether the call is over.
    public var isEnded: Bool { state == .ended }

    /// The order opened and not yet charged, which a hang-up now cancels.
    public var unpaidOrderID: String? {
        switch state {
        case .cardNumber(_, _, let id), .cardExpiry(_, _, let id), .cardCode(_, _, let id), .connectorPayment(_, _, let id): return id
        default: return nil
        }
    }

    /// Moves the call on by one input from `caller` (the calling number, when shown).
    public mutating func handle(_ input: IVRInput, caller: String?, actions: any IVRActions) async -> IVRTurn {
        if case .hangUp = input {
            await abandonUnpaidOrder(actions: actions)
            close(as: .hungUp)
            state = .ended
            return IVRTurn(language: language, utterances: [], next: .hangUp)
        }
        guard !isEnded else { return IVRTurn(language: language, utterances: [.prompt(.goodbye)], next: .hangUp) }
        if case .connectorPayment(let target, let quote, let id) = state {
            guard case .connectorPayment(let result) = input else { return await again(nil, actions: actions) }
            if case .declined(let reason) = result, reason == "caller-interrupted-with-star" {
                await actions.cancel(orderID: id)
                return await enter(.paymentChoice(target, quote), actions: actions)
            }
            return await paid(await actions.connectorPaid(orderID: id, result: result), target: target, quote: quote, actions: actions)
        }
        let keys: String
        switch input {
        case .digits(let digits) where !digits.isEmpty: keys = digits
        case .noInput, .digits: return await again(.noInput, actions: actions, timedOut: true)
        case .connectorPayment: return await again(nil, actions: actions)
        case .hangUp: preconditionFailure("handled above")
        }
        if keys == "*" { return await back(actions: actions) }

        switch state {
        case .menu:
            return await menu(keys, caller: caller, actions: actions)
        case .numberEntry:
            guard keys.isAllASCIIDigits else { return await again(.numberInvalid, actions: actions) }
            switch await actions.lookUp(number: keys) {
            case .line: return await enter(.numberConfirm(keys), actions: actions)
            case .invalid: return await again(.numberInvalid, actions: actions)
            case .unknown: return await again(.numberUnknown, actions: actions)
            case .notRechargeable: return await again(.numberNotRechargeable, actions: actions)
            }
        case .numberConfirm(let number):
            switch keys {
            case "1": return await enter(.amountEntry(Target(number: number, own: false)), actions: actions)
            case "2": return await enter(.numberEntry, actions: actions)
            default: return await again(.invalidChoice, actions: actions)
            }
        case .amountEntry(let target):
            guard keys.utf8.count <= 6, keys.isAllASCIIDigits, let yuan = Int64(keys), yuan > 0,
                let quote = await actions.quote(yuan: yuan, number: target.number)
            else { return await again(.amountOutOfRange, actions: actions) }
            return await enter(.amountConfirm(target, quote), actions: actions)
        case .amountConfirm(let target, let quote):
            switch keys {
            case "1": return await enter(.paymentChoice(target, quote), actions: actions)
            case "2": return await enter(.amountEntry(target), actions: actions)
            default: return await again(.invalidChoice, actions: actions)
            }
        case .paymentChoice(let target, let quote):
            switch keys {
            case "1": return await openOrder(target, quote, actions: actions)
            case "2": return await enter(.voucherPIN(target, quote), actions: actions)
            default: return await again(.invalidChoice, actions: actions)
            }
        case .voucherPIN(let target, let quote):
            guard (10...24).contains(keys.count), keys.allSatisfy(\.isNumber) else { return await again(.voucherRefused, actions: actions) }
            reach(.charging)
            switch await actions.redeemVoucher(number: target.number, pin: keys) {
            case .credited(let amount, let receiptNumber):
                return await paid(.credited(amount: amount, receiptNumber: receiptNumber), target: target, quote: quote, actions: actions)
            case .declined:
                return await again(.voucherRefused, actions: actions)
            case .pending, .alreadyCharged:
                outcome = .paymentPending
                return end([.prompt(.paymentPending), .prompt(.goodbye)])
            }
        case .cardNumber(let target, let quote, let id):
            guard CardDetails.isCardNumber(keys) else { return await again(.cardNumberInvalid, actions: actions) }
            card = CardEntry(number: keys)
            return await enter(.cardExpiry(target, quote, orderID: id), actions: actions)
        case .cardExpiry(let target, let quote, let id):
            guard CardDetails.expiry(keys) != nil else { return await again(.expiryInvalid, actions: actions) }
            card.expiry = keys
            return await enter(.cardCode(target, quote, orderID: id), actions: actions)
        case .cardCode(let target, let quote, let id):
            guard CardDetails.isSecurityCode(keys), let number = card.number, let expiry = card.expiry,
                let details = try? CardDetails(number: number, expiry: expiry, securityCode: keys)
            else { return await again(.securityCodeInvalid, actions: actions) }
            card = CardEntry()
            reach(.charging)
            return await paid(await actions.charge(orderID: id, card: details), target: target, quote: quote, actions: actions)
        case .declined(let target, let quote):
            switch keys {
            case "1": return await openOrder(target, quote, actions: actions)
            case "2": return await enter(.menu, actions: actions)
            default: return await again(.invalidChoice, actions: actions)
            }
        case .connectorPayment, .ended:
            preconditionFailure("handled above")
        }
    }

    // MARK: - Steps

    mutating func menu(_ keys: String, caller: String?, actions: any IVRActions) async -> IVRTurn {
        switch keys {
        case "1":
            guard let caller, !caller.isEmpty else { return stay([.prompt(.callerNotALine)]) }
            switch await actions.lookUp(number: caller) {
            case .line:
                failures = 0
                return await enter(
                    .amountEntry(Target(number: caller, own: true)), prefix: [.prompt(.rechargingOwnNumber)], actions: actions)
            case .notRechargeable: return stay([.prompt(.numberNotRechargeable)])
            case .invalid, .unknown: return stay([.prompt(.callerNotALine)])
            }
        case "2":
            return await enter(.numberEntry, actions: actions)
        case "3":
            guard let caller, !caller.isEmpty, let balance = await actions.balance(number: caller) else {
                return stay([.prompt(.callerNotALine)])
            }
            reach(.balance)
            if outcome == .inProgress { outcome = .balanceHeard }
            var said: [IVRUtterance] = [.prompt(.balanceIs), .money(balance.balance)]
            if let deadline = balance.deadline {
                said += [.prompt(.deadlineIs), .date(deadline)]
            } else {
                said.append(.prompt(.noDeadline))
            }
            return stay(said)
        case "0":
            language = language == .zh ? .en : .zh
            return stay([.prompt(.languageChosen)])
        case "9":
            close(as: .endedByCaller)
            return end([.prompt(.goodbye)])
        default:
            return await again(.invalidChoice, actions: actions)
        }
    }

    /// The main menu again after something said at it, with the tries counted afresh.
    mutating func stay(_ said: [IVRUtterance]) -> IVRTurn {
        failures = 0
        state = .menu
        return turn(said + menuQuestion, gather: .menu)
    }

    mutating func openOrder(_ target: Target, _ quote: Quote, actions: any IVRActions) async -> IVRTurn {
        guard ordersOpened < Self.maximumOrders else {
            outcome = .unavailable
            return end([.prompt(.serviceUnavailable), .prompt(.goodbye)])
        }
        ordersOpened += 1
        guard let order = await actions.openOrder(number: target.number, quote: quote, attempt: ordersOpened) else {
            return await enter(.menu, prefix: [.prompt(.serviceUnavailable)], actions: actions)
        }
        orderID = order.id
        switch cardCapture {
        case .keypad: return await enter(.cardNumber(target, quote, orderID: order.id), actions: actions)
        case .connector: return await enter(.connectorPayment(target, quote, orderID: order.id), actions: actions)
        }
    }

    mutating func paid(_ result: IVRPaymentResult, target: Target, quote: Quote, actions: any IVRActions) async -> IVRTurn {
        switch result {
        case .credited(let amount, let receiptNumber):
            reach(.credited)
            outcome = .recharged
            return end([
                .prompt(.rechargeSucceeded), .money(amount), .prompt(.receiptEndsWith),
                .characters(String(receiptNumber.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.suffix(6))),
                .prompt(.goodbye),
            ])
        case .declined(let reason):
            reach(.declined)
            declines += 1
            let why = IVRUtterance.prompt(Self.declinePrompt(reason))
            guard declines < Self.maximumDeclines else {
                outcome = .declined
                return end([why, .prompt(.goodbye)])
            }
            return await enter(.declined(target, quote), prefix: [why], actions: actions)
        case .pending:
            outcome = .paymentPending
            return end([.prompt(.paymentPending), .prompt(.goodbye)])
        case .alreadyCharged:
            outcome = outcome == .recharged ? .recharged : .paymentPending
            return end([.prompt(.alreadyCharged), .prompt(.goodbye)])
        }
    }

    static func declinePrompt(_ reason: String) -> IVRPrompt {
        switch reason {
        case "insufficient_funds": return .declinedInsufficientFunds
        case "expired_card": return .declinedExpiredCard
        case "invalid_number", "incorrect_number", "invalid_cvc", "incorrect_cvc", "invalid_expiry_year", "invalid_expiry_month":
            return .declinedInvalidCard
        default: return .declined
        }
    }

    /// `*`: one step back.
    mutating func back(actions: any IVRActions) async -> IVRTurn {
        switch state {
        case .menu, .numberEntry, .declined:
            return await enter(.menu, actions: actions)
        case .numberConfirm:
            return await enter(.numberEntry, actions: actions)
        case .amountEntry(let target):
            return await enter(target.own ? .menu : .numberEntry, actions: actions)
        case .amountConfirm(let target, _):
            return await enter(.amountEntry(target), actions: actions)
        case .paymentChoice(let target, let quote):
            return await enter(.amountConfirm(target, quote), actions: actions)
        case .voucherPIN(let target, let quote):
            return await enter(.paymentChoice(target, quote), actions: actions)
        case .cardNumber(let target, let quote, let id), .connectorPayment(let target, let quote, let id):
            await actions.cancel(orderID: id)
            card = CardEntry()
            return await enter(.paymentChoice(target, quote), actions: actions)
        case .cardExpiry(let target, let quote, let id):
            card = CardEntry()
            return await enter(.cardNumber(target, quote, orderID: id), actions: actions)
        case .cardCode(let target, let quote, let id):
            card.expiry = nil
            return await enter(.cardExpiry(target, quote, orderID: id), actions: actions)
        case .ended:
            return end([.prompt(.goodbye)])
        }
    }

    /// A try that did not count: says why, then asks again, or after the last try says goodbye.
    mutating func again(_ why: IVRPrompt?, actions: any IVRActions, timedOut: Bool = false) async -> IVRTurn {
        failures += 1
        let said: [IVRUtterance] = why.map { [.prompt($0)] } ?? []
        guard failures < Self.maximumTries else {
            await abandonUnpaidOrder(actions: actions)
            close(as: timedOut ? .noInput : .invalidInput)
            return end(said + [.prompt(.goodbye)])
        }
        return await ask(prefix: said, actions: actions)
    }

    /// Cancels the order left unpaid, if any, and forgets keyed card digits.
    mutating func abandonUnpaidOrder(actions: any IVRActions) async {
        if let open = unpaidOrderID { await actions.cancel(orderID: open) }
        card = CardEntry()
    }

    /// Records how the call ended, unless it already came to more (a recharge, a decline, a
    /// payment pending) than hearing the balance.
    mutating func close(as ending: IVRCallOutcome) {
        if outcome == .inProgress || outcome == .balanceHeard { outcome = ending }
    }

    /// Moves to `next` and asks its question.
    mutating func enter(_ next: State, prefix: [IVRUtterance] = [], actions: any IVRActions) async -> IVRTurn {
        state = next
        failures = 0
        reach(next.step)
        return await ask(prefix: prefix, actions: actions)
    }

    mutating func end(_ said: [IVRUtterance]) -> IVRTurn {
        state = .ended
        card = CardEntry()
        reach(.ended)
        return IVRTurn(language: language, utterances: said, next: .hangUp)
    }

    /// The current state's question.
    mutating func ask(prefix: [IVRUtterance], actions: any IVRActions) async -> IVRTurn {
        switch state {
        case .menu:
            return turn(prefix + menuQuestion, gather: .menu)
        case .numberEntry:
            return turn(prefix + [.prompt(.enterNumber)], gather: .number)
        case .numberConfirm(let number):
            return turn(prefix + [.prompt(.youEntered), .digits(number), .prompt(.confirmOrReenter)], gather: .choice)
        case .amountEntry:
            guard let range = await actions.amountRange() else {
                outcome = .unavailable
                return end(prefix + [.prompt(.serviceUnavailable), .prompt(.goodbye)])
            }
            return turn(
                prefix + [.prompt(.enterAmount), .prompt(.amountRange), .money(range.minimum), .prompt(.to), .money(range.maximum)],
                gather: .amount)
        case .amountConfirm(_, let quote):
            var readBack: [IVRUtterance] = [
                .prompt(.amountIs), .money(quote.faceValue), .prompt(.feeIs), .money(quote.fee), .prompt(.totalIs), .money(quote.total),
            ]
            if let bonus = quote.bonus, bonus.amountMinor > 0 { readBack += [.prompt(.bonusIs), .money(bonus)] }
            return turn(prefix + readBack + [.prompt(.confirmOrReenter)], gather: .choice)
        case .paymentChoice:
            return turn(prefix + [.prompt(.choosePayment)], gather: .choice)
        case .cardNumber:
            return turn(prefix + [.prompt(.enterCardNumber)], gather: .cardNumber)
        case .voucherPIN:
            return turn(prefix + [.prompt(.enterVoucherPIN)], gather: .voucherPIN)
        case .cardExpiry:
            return turn(prefix + [.prompt(.enterExpiry)], gather: .expiry)
        case .cardCode:
            return turn(prefix + [.prompt(.enterSecurityCode)], gather: .securityCode)
        case .connectorPayment(_, let quote, let id):
            return IVRTurn(
                language: language, utterances: prefix + [.prompt(.payByCard)],
                next: .pay(orderID: id, total: quote.total, description: "话费充值 Recharge"))
        case .declined:
            return turn(prefix + [.prompt(.tryAgainOrMenu)], gather: .choice)
        case .ended:
            return end(prefix + [.prompt(.goodbye)])
        }
    }

    var menuQuestion: [IVRUtterance] { [.prompt(.mainMenu)] }

    /// What a question collects.
    enum Gather {
        case menu, choice, number, amount, cardNumber, expiry, securityCode, voucherPIN

        var next: IVRNext {
            let timeout = IVRDialog.timeoutSeconds
            switch self {
            case .menu, .choice: return .gather(maxDigits: 1, hashEnds: false, timeoutSeconds: timeout)
            case .number: return .gather(maxDigits: 15, hashEnds: true, timeoutSeconds: timeout)
            case .amount: return .gather(maxDigits: 6, hashEnds: true, timeoutSeconds: timeout)
            case .cardNumber: return .gather(maxDigits: 19, hashEnds: true, timeoutSeconds: timeout)
            case .expiry: return .gather(maxDigits: 4, hashEnds: false, timeoutSeconds: timeout)
            case .securityCode: return .gather(maxDigits: 4, hashEnds: true, timeoutSeconds: timeout)
            case .voucherPIN: return .gather(maxDigits: 24, hashEnds: true, timeoutSeconds: timeout)
            }
        }

        /// Card data and a recharge card's PIN are never logged or kept.
        var sensitive: Bool { self == .cardNumber || self == .expiry || self == .securityCode || self == .voucherPIN }
    }

    func turn(_ said: [IVRUtterance], gather: Gather) -> IVRTurn {
        IVRTurn(language: language, utterances: said, next: gather.next, sensitive: gather.sensitive)
    }

    mutating func reach(_ step: IVRStep) {
        if steps.last != step, steps.count < 64 { steps.append(step) }
    }
}

/// Card digits keyed so far in this call; never encoded, cleared after the charge.
struct CardEntry: Sendable, Hashable {
    var number: String?
    var expiry: String?
}

/// A stage of the call, for its record and metrics.
public enum IVRStep: String, Sendable, Hashable, Codable, CaseIterable {
    case menu
    case numberEntry = "number_entry"
    case numberConfirm = "number_confirm"
    case amountEntry = "amount_entry"
    case amountConfirm = "amount_confirm"
    case paymentChoice = "payment_choice"
    case cardEntry = "card_entry"
    case voucherEntry = "voucher_entry"
    case connectorPayment = "connector_payment"
    case charging
    case credited
    case declined
    case balance
    case ended
}

/// How a call ended (or stands).
public enum IVRCallOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    case inProgress = "in_progress"
    /// 到账: a recharge was credited.
    case recharged
    /// Every payment try was declined.
    case declined
    /// The charge's result was unknown when the call ended; it completes without the caller.
    case paymentPending = "payment_pending"
    /// Heard the balance (and nothing more yet).
    case balanceHeard = "balance_heard"
    /// Pressed 9.
    case endedByCaller = "ended_by_caller"
    case hungUp = "hung_up"
    /// Three questions without a key.
    case noInput = "no_input"
    /// Three wrong answers.
    case invalidInput = "invalid_input"
    /// The channel takes no recharge now.
    case unavailable
}

extension IVRDialog.State {
    var step: IVRStep {
        switch self {
        case .menu: return .menu
        case .numberEntry: return .numberEntry
        case .numberConfirm: return .numberConfirm
        case .amountEntry: return .amountEntry
        case .amountConfirm: return .amountConfirm
        case .paymentChoice: return .paymentChoice
        case .cardNumber, .cardExpiry, .cardCode: return .cardEntry
        case .voucherPIN: return .voucherEntry
        case .connectorPayment: return .connectorPayment
        case .declined: return .declined
        case .ended: return .ended
        }
    }
}
