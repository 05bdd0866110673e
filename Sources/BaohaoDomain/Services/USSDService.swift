import Foundation

/// The USSD menu over a gateway's session callbacks (Africa's Talking's convention: each callback
/// carries the session id and every input so far, joined by `*`; the answer starts `CON ` to ask
/// more or `END ` to close). A session that started more than ``sessionTimeout`` ago is over; a
/// gateway's retry of one callback (same session, same inputs) gets the first answer and acts once.
public struct USSDService: Sendable {
    /// The ports this service uses, and no others.
    let store: Transactions<any InboundMessageRows>
    let commands: TextCommandService
    let reminders: ReminderService
    let clock: any WallClock
    /// How long a session may last (gateways end theirs after about three minutes).
    public static let sessionTimeout: TimeInterval = 180

    public init(store: any RechargeStore, commands: TextCommandService, reminders: ReminderService, clock: any WallClock) {
        self.store = Transactions(store) { $0 }
        self.commands = commands
        self.reminders = reminders
        self.clock = clock
    }

    /// The answer to one callback: `CON …` or `END …`, at most 182 characters.
    public func answer(sessionID input: String, phoneNumber: String, text: String) async throws -> String {
        let sessionID = String(input.prefix(64))
        let text = String(text.prefix(128))
        let now = clock.now()
        return try await commands.answerOnce(key: "ussd:\(sessionID):\(text)", at: now) {
            try await screen(text: text, sessionID: sessionID, phoneNumber: phoneNumber, now: now)
        }
    }

    /// The screen for `text`, or the end of a session that started too long ago.
    func screen(text: String, sessionID: String, phoneNumber: String, now: Date) async throws -> String {
        let startKey = "ussd:\(sessionID)"
        let started: Date
        if let start = try await store.read({ try await $0.inboundMessage(messageID: startKey) }) {
            started = start.at
        } else {
            _ = try await store.write { try await $0.recordInbound(messageID: startKey, reply: "", at: now) }
            started = try await store.read { try await $0.inboundMessage(messageID: startKey) }?.at ?? now
        }
        guard now.timeIntervalSince(started) <= Self.sessionTimeout else { return "END " + USSDMenu.timedOutText }
        return String(try await screen(USSDMenu.step(text), phoneNumber: phoneNumber).prefix(USSDMenu.maximumLength))
    }

    func screen(_ step: USSDMenu.Step, phoneNumber: String) async throws -> String {
        switch step {
        case .menu: return "CON " + USSDMenu.menuText
        case .askPIN, .askPINForOther: return "CON " + USSDMenu.pinPrompt
        case .askNumber: return "CON " + USSDMenu.numberPrompt
        case .invalid: return "END " + USSDMenu.invalidText
        case .balance:
            return "END " + (try await reminders.balanceReply(from: phoneNumber, text: "余额") ?? USSDMenu.invalidText)
        case .keepAlive:
            return "END " + (try await commands.keepAliveTip(for: phoneNumber))
        case .redeem(let pin, let number):
            return "END "
                + (try await commands.redeemReply(pin: pin, onto: number ?? phoneNumber, address: "ussd:\(phoneNumber)", language: .zh))
        }
    }
}
