import BaohaoDomain
import Foundation
import Testing

/// The hotline's dialog without any telephony or database: a stub does the effects and counts them.
@Suite("IVR dialog")
struct IVRDialogTests {
    actor Stub: IVRActions {
        var lines: [String: IVRNumberCheck] = ["13800138000": .line, "13900139000": .line, "13700137000": .notRechargeable]
        var charges: [(String, String)] = []
        var cancelled: [String] = []
        var opened = 0
        var nextResult: [IVRPaymentResult] = []

        func willAnswer(_ results: [IVRPaymentResult]) { nextResult = results }

        func lookUp(number: String) async -> IVRNumberCheck {
            guard number.count == 11 else { return .invalid }
            return lines[number] ?? .unknown
        }
        func amountRange() async -> (minimum: Money, maximum: Money)? { (.major(10), .major(500)) }
        func quote(yuan: Int64, number: String) async -> Quote? {
            guard (10...500).contains(yuan) else { return nil }
            return try? ChannelPolicy.defaultPolicy(for: .ivr).quote(.major(yuan))
        }
        func openOrder(number: String, quote: Quote, attempt: Int) async -> RechargeOrder? {
            opened += 1
            return RechargeOrder(
                id: "rc-\(attempt)", lineID: "ln", msisdn: try! MSISDN(parsing: number), channel: .ivr, paymentMethod: .sandbox,
                amount: quote.faceValue, fee: quote.fee, total: quote.total, status: .pendingPayment, idempotencyKey: nil,
                requestFingerprint: nil, createdAt: Date(timeIntervalSince1970: 0), expiresAt: Date(timeIntervalSince1970: 1800))
        }
        func charge(orderID: String, card: CardDetails) async -> IVRPaymentResult {
            charges.append((orderID, card.last4))
            return nextResult.isEmpty ? .credited(amount: .major(50), receiptNumber: "R20261201000123") : nextResult.removeFirst()
        }
        func connectorPaid(orderID: String, result: ConnectorPaymentResult) async -> IVRPaymentResult {
            switch result {
            case .approved: return .credited(amount: .major(50), receiptNumber: "R20261201000456")
            case .declined(let reason): return .declined(reason: reason)
            }
        }
        func balance(number: String) async -> IVRBalance? {
            lines[number] == nil ? nil : IVRBalance(balance: Money(1234, .cny), deadline: LocalDate(year: 2027, month: 1, day: 1))
        }
        func cancel(orderID: String) async { cancelled.append(orderID) }
        func redeemVoucher(number: String, pin: String) async -> IVRPaymentResult {
            pin == "123456789012345678"
                ? .credited(amount: .major(50), receiptNumber: "BH-20261124-VCHR-0001-AB") : .declined(reason: "voucher_refused")
        }
    }

    /// Plays keys into a dialog; returns every turn.
    func play(_ keys: [IVRInput], caller: String? = "13800138000", stub: Stub, capture: IVRDialog.CardCapture = .keypad)
        async -> (IVRDialog, [IVRTurn])
    {
        var (dialog, first) = IVRDialog.start(cardCapture: capture)
        var turns = [first]
        for key in keys { turns.append(await dialog.handle(key, caller: caller, actions: stub)) }
        return (dialog, turns)
    }

    func d(_ keys: String...) -> [IVRInput] { keys.map { .digits($0) } }

    @Test func ownNumberCardPaymentSaysFeeTotalAndReceipt() async {
        let stub = Stub()
        let (dialog, turns) = await play(d("1", "50", "1", "1", "4242424242424242", "1230", "123"), stub: stub)
        #expect(turns[0].utterances == [.prompt(.welcome), .prompt(.mainMenu)])
        #expect(turns[0].next == .gather(maxDigits: 1, hashEnds: false, timeoutSeconds: 5))
        #expect(turns[1].utterances.first == .prompt(.rechargingOwnNumber))
        #expect(
            turns[2].utterances == [
                .prompt(.amountIs), .money(.major(50)), .prompt(.feeIs), .money(Money(50, .cny)), .prompt(.totalIs),
                .money(Money(5050, .cny)),
                .prompt(.confirmOrReenter),
            ])
        #expect(turns[4].utterances == [.prompt(.enterCardNumber)] && turns[4].sensitive)
        #expect(
            turns.last?.utterances == [
                .prompt(.rechargeSucceeded), .money(.major(50)), .prompt(.receiptEndsWith), .characters("000123"), .prompt(.goodbye),
            ])
        #expect(turns.last?.next == .hangUp)
        #expect(dialog.outcome == .recharged)
        #expect(await stub.charges.map(\.1) == ["4242"])
        #expect(dialog.steps == [.menu, .amountEntry, .amountConfirm, .paymentChoice, .cardEntry, .charging, .credited, .ended])
    }

    @Test func aRechargeCardAtThePaymentStepIsAskedForItsPINAndCredited() async {
        let stub = Stub()
        let (dialog, turns) = await play(d("1", "50", "1", "2", "999999999999999999", "123456789012345678"), stub: stub)
        #expect(turns[4].utterances == [.prompt(.enterVoucherPIN)] && turns[4].sensitive)
        #expect(turns[4].next == .gather(maxDigits: 24, hashEnds: true, timeoutSeconds: 5))
        #expect(turns[5].utterances == [.prompt(.voucherRefused), .prompt(.enterVoucherPIN)])
        #expect(
            turns.last?.utterances == [
                .prompt(.rechargeSucceeded), .money(.major(50)), .prompt(.receiptEndsWith), .characters("0001AB"), .prompt(.goodbye),
            ])
        #expect(dialog.outcome == .recharged)
        #expect(await stub.charges.isEmpty)
        #expect(dialog.steps.contains(.voucherEntry) && !dialog.steps.contains(.cardEntry))
    }

    @Test func otherNumberIsReadBackAndCanBeReentered() async {
        let stub = Stub()
        let (_, turns) = await play(d("2", "1380013800", "13900139000", "2", "13900139000", "1"), stub: stub)
        #expect(turns[2].utterances == [.prompt(.numberInvalid), .prompt(.enterNumber)])
        #expect(turns[3].utterances == [.prompt(.youEntered), .digits("13900139000"), .prompt(.confirmOrReenter)])
        #expect(turns[4].utterances == [.prompt(.enterNumber)])
        #expect(turns[6].utterances.first == .prompt(.enterAmount))
        let unknown = await play(d("2", "13600136000"), stub: stub).1
        #expect(unknown.last?.utterances == [.prompt(.numberUnknown), .prompt(.enterNumber)])
    }

    @Test func starGoesBackOneStepAndCancelsAnOpenOrder() async {
        let stub = Stub()
        let (dialog, turns) = await play(d("1", "50", "*", "60", "1", "1", "*", "1", "4242424242424242", "*"), stub: stub)
        #expect(turns[3].utterances.first == .prompt(.enterAmount))
        #expect(turns[7].utterances == [.prompt(.choosePayment)])
        #expect(await stub.cancelled == ["rc-1"])
        #expect(turns[10].utterances == [.prompt(.enterCardNumber)])
        if case .cardNumber(_, let quote, let id) = dialog.state {
            #expect(quote.faceValue == .major(60) && id == "rc-2")
        } else {
            Issue.record("not back at the card number: \(dialog.state)")
        }
    }

    @Test func threeSilencesSayGoodbyeAndHangUp() async {
        let stub = Stub()
        let (dialog, turns) = await play([.noInput, .digits("7"), .noInput], stub: stub)
        #expect(turns[1].utterances == [.prompt(.noInput), .prompt(.mainMenu)])
        #expect(turns[2].utterances == [.prompt(.invalidChoice), .prompt(.mainMenu)])
        #expect(turns[3].utterances == [.prompt(.noInput), .prompt(.goodbye)] && turns[3].next == .hangUp)
        #expect(dialog.outcome == .noInput)
    }

    @Test func declineThenSuccessChargesTwoOrders() async {
        let stub = Stub()
        await stub.willAnswer([.declined(reason: "card_declined")])
        let (dialog, turns) = await play(
            d("1", "50", "1", "1", "4000000000000002", "1230", "123", "1", "4242424242424242", "1230", "123"), stub: stub)
        #expect(turns[7].utterances == [.prompt(.declined), .prompt(.tryAgainOrMenu)])
        #expect(turns[8].utterances == [.prompt(.enterCardNumber)])
        #expect(dialog.outcome == .recharged)
        #expect(await stub.charges.map(\.0) == ["rc-1", "rc-2"])
    }

    @Test func secondDeclineEndsTheCall() async {
        let stub = Stub()
        await stub.willAnswer([.declined(reason: "insufficient_funds"), .declined(reason: "card_declined")])
        let (dialog, turns) = await play(
            d("1", "50", "1", "1", "4000000000009995", "1230", "123", "1", "4000000000000002", "1230", "123"), stub: stub)
        #expect(turns[7].utterances.first == .prompt(.declinedInsufficientFunds))
        #expect(turns.last?.utterances == [.prompt(.declined), .prompt(.goodbye)] && turns.last?.next == .hangUp)
        #expect(dialog.outcome == .declined)
    }

    @Test func hangUpBeforeTheChargeCancelsTheOrderAndForgetsTheCard() async throws {
        let stub = Stub()
        let (dialog, _) = await play(d("1", "50", "1", "1", "4242424242424242", "1230") + [.hangUp], stub: stub)
        #expect(await stub.cancelled == ["rc-1"])
        #expect(await stub.charges.isEmpty)
        #expect(dialog.outcome == .hungUp)
        let (midway, _) = await play(d("1", "50", "1", "1", "4242424242424242", "1230"), stub: stub)
        let encoded = String(decoding: try JSONEncoder().encode(midway), as: UTF8.self)
        #expect(!encoded.contains("4242424242424242") && !encoded.contains("1230"))
        let decoded = try JSONDecoder().decode(IVRDialog.self, from: Data(encoded.utf8))
        #expect(decoded.state == midway.state)
    }

    @Test func balanceAndDeadlineThenEnglishThenEnd() async {
        let stub = Stub()
        let (dialog, turns) = await play(d("3", "0", "9"), stub: stub)
        #expect(
            turns[1].utterances == [
                .prompt(.balanceIs), .money(Money(1234, .cny)), .prompt(.deadlineIs), .date(LocalDate(year: 2027, month: 1, day: 1)!),
                .prompt(.mainMenu),
            ])
        #expect(turns[2].language == .en && turns[2].utterances == [.prompt(.languageChosen), .prompt(.mainMenu)])
        #expect(turns[3].utterances == [.prompt(.goodbye)] && turns[3].next == .hangUp)
        #expect(dialog.outcome == .endedByCaller)
        #expect(IVRUtterance.money(Money(1234, .cny)).text(.zh) == "12元34分")
        #expect(IVRUtterance.money(Money(50, .cny)).text(.en) == "50 fen")
        #expect(IVRUtterance.money(Money(1000, .cny)).text(.zh) == "10元")
        #expect(IVRUtterance.date(LocalDate(year: 2027, month: 1, day: 1)!).text(.en) == "1 January 2027")
    }

    @Test func withheldCallerCannotUseOwnNumber() async {
        let stub = Stub()
        let (_, turns) = await play(d("1", "3"), caller: nil, stub: stub)
        #expect(turns[1].utterances == [.prompt(.callerNotALine), .prompt(.mainMenu)])
        #expect(turns[2].utterances == [.prompt(.callerNotALine), .prompt(.mainMenu)])
    }

    @Test func connectorPaymentAsksThePlatformToTakeTheCard() async {
        let stub = Stub()
        var (dialog, _) = IVRDialog.start(cardCapture: .connector)
        var turn = IVRTurn(language: .zh, utterances: [], next: .hangUp)
        for key in ["1", "50", "1", "1"] { turn = await dialog.handle(.digits(key), caller: "13800138000", actions: stub) }
        #expect(turn.next == .pay(orderID: "rc-1", total: Money(5050, .cny), description: "话费充值 Recharge"))
        turn = await dialog.handle(.connectorPayment(.declined(reason: "caller-interrupted-with-star")), caller: nil, actions: stub)
        #expect(turn.utterances == [.prompt(.choosePayment)])
        #expect(await stub.cancelled == ["rc-1"])
        turn = await dialog.handle(.digits("1"), caller: nil, actions: stub)
        turn = await dialog.handle(.connectorPayment(.approved(reference: "ch_1", cardLast4: "4242")), caller: nil, actions: stub)
        #expect(turn.utterances.first == .prompt(.rechargeSucceeded))
        #expect(dialog.outcome == .recharged)
    }

    @Test func cardDetailsNeverPrintTheNumber() throws {
        let card = try CardDetails(number: "4242424242424242", expiry: "1230", securityCode: "123")
        #expect("\(card)" == "card ••••4242")
        #expect(String(reflecting: card) == "card ••••4242")
        #expect(!"\(Mirror(reflecting: card).children.map(\.value))".contains("424242424242"))
        #expect(throws: CardEntryError.number) { try CardDetails(number: "4242424242424241", expiry: "1230", securityCode: "123") }
        #expect(throws: CardEntryError.expiry) { try CardDetails(number: "4242424242424242", expiry: "1330", securityCode: "123") }
    }

    @Test func everyPromptHasBothTexts() {
        for prompt in IVRPrompt.allCases {
            #expect(!prompt.text(.zh).isEmpty && !prompt.text(.en).isEmpty)
        }
    }
}
